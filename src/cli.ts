#!/usr/bin/env node
// The command line: parse flags, start every region, print one line per region, stop cleanly on
// SIGINT/SIGTERM. Errors are caught once here and printed as one line.
import { isMainThread } from "node:worker_threads";
import { ConfigError, helpText, parseArgs } from "./server/config.js";
import { createLogger } from "./server/request-log.js";
import { removeReadyFile, writeReadyFile } from "./server/ready-file.js";
import { ListenError, startServer } from "./server/start-server.js";

async function main(): Promise<void> {
  const parsed = parseArgs(process.argv.slice(2), process.env);
  if (parsed.help) {
    process.stdout.write(helpText());
    return;
  }
  const { config } = parsed;
  const log = createLogger(config.logLevel, config.logFormat);
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

// The bundled bin is also what the body-decoding worker thread loads (twirp/decode-off-thread.ts):
// there, only that module's role runs.
if (isMainThread) {
  main().catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof ListenError) {
      process.stderr.write(`test-server: ${err.message}\n`);
    } else {
      process.stderr.write(`test-server: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    }
    process.exit(1);
  });
}
