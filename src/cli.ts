#!/usr/bin/env node
// The command line: parse flags, start every region, print one line per region, stop cleanly on
// SIGINT/SIGTERM; or, as `trigger <event> …`, send one signed webhook and exit. Errors are caught
// once here and printed as one line.
import { isMainThread } from "node:worker_threads";
import { ConfigError, helpText, parseArgs } from "./server/config.js";
import { createLogger } from "./server/request-log.js";
import { checkReadyFile, ReadyFileError, removeReadyFile, writeReadyFile } from "./server/ready-file.js";
import { ListenError, startServer } from "./server/start-server.js";

async function serve(argv: readonly string[]): Promise<void> {
  const parsed = parseArgs(argv, process.env);
  if (parsed.help) {
    process.stdout.write(helpText());
    return;
  }
  const { config } = parsed;
  const log = createLogger(config.logLevel, config.logFormat);
  if (config.readyFile !== "") checkReadyFile(config.readyFile);
  const server = await startServer(config, log);
  const stop = (): void => {
    process.stdout.write("test-server: shutting down\n");
    if (config.readyFile !== "") removeReadyFile(config.readyFile);
    void server.close().then(() => process.exit(0));
  };
  // Before anything announces readiness: a signal sent as soon as the lines appear (or the ready
  // file does) would otherwise meet the default action and kill the process with no clean exit.
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  for (const region of server.regions) {
    process.stdout.write(`test-server: ${region.name} listening on ${config.bind}:${region.port} (advertised as ${region.url})\n`);
  }
  if (config.readyFile !== "") writeReadyFile(config.readyFile, config.bind, server.regions);
}

async function trigger(argv: readonly string[]): Promise<void> {
  // Loaded only for the subcommand: starting the server does not pay for it.
  const { triggerCommand } = await import("./webhooks/trigger-command.js");
  const line = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(`${text}\n`);
  process.exitCode = await triggerCommand(argv, process.env, line(process.stdout), line(process.stderr));
}

function failTrigger(err: unknown): void {
  process.stderr.write(`trigger: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}

function failStartUp(err: unknown): void {
  if (err instanceof ConfigError || err instanceof ListenError || err instanceof ReadyFileError) {
    process.stderr.write(`test-server: ${err.message}\n`);
  } else {
    process.stderr.write(`test-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  }
  process.exit(1);
}

// The bundled bin is also what the body-decoding worker thread loads (twirp/decode-off-thread.ts):
// there, only that module's role runs.
if (isMainThread) {
  const argv = process.argv.slice(2);
  if (argv[0] === "trigger") trigger(argv.slice(1)).catch(failTrigger);
  else serve(argv).catch(failStartUp);
}
