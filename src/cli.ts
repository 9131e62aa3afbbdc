#!/usr/bin/env node
// The command line: parse flags, start every region, print one line per region, stop cleanly on
// SIGINT/SIGTERM; or, as `trigger <event> …`, send one signed webhook and exit; or, as `token …`,
// print a signed access token. Errors are caught once here and printed as one line (a JSON object
// under --log-format json, as every other line then is).
import { isMainThread } from "node:worker_threads";
import { ConfigError, helpText, parseArgs, type LogFormat } from "./server/config.js";
import { packageVersion } from "./server/package-version.js";
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
  const say = (message: string, fields: Record<string, unknown> = {}): void => announce(config.logFormat, message, fields);
  if (config.readyFile !== "") checkReadyFile(config.readyFile);
  const server = await startServer(config, log);
  const stop = (why: string): void => {
    say("test-server: shutting down", { event: "shutdown", why });
    if (config.readyFile !== "") removeReadyFile(config.readyFile);
    void server.close().then(() => process.exit(0));
  };
  // Before anything announces readiness: a signal sent as soon as the lines appear (or the ready
  // file does) would otherwise meet the default action and kill the process with no clean exit.
  process.once("SIGINT", () => stop("SIGINT"));
  process.once("SIGTERM", () => stop("SIGTERM"));
  stopWithNpm(() => stop("the npm process that started it ended"));
  for (const region of server.regions) {
    say(`test-server: ${region.name} listening on ${config.bind}:${region.port} (advertised as ${region.url})`, {
      event: "listening",
      region: region.name,
      bind: config.bind,
      port: region.port,
      url: region.url,
    });
  }
  if (config.readyFile !== "") writeReadyFile(config.readyFile, config.bind, server.regions);
}

/** A start-up or shutdown line: the text as it is, or a JSON object whose `msg` is that text. */
function announce(format: LogFormat, message: string, fields: Record<string, unknown>, stream: NodeJS.WriteStream = process.stdout): void {
  if (format === "json") stream.write(`${JSON.stringify({ time: new Date().toISOString(), level: "info", msg: message, ...fields })}\n`);
  else stream.write(`${message}\n`);
}

/**
 * Started by `npm run` or `npx`, the server is a child of the shell npm runs the script in, and
 * `kill <npm's pid>` ends npm and that shell but never reaches the server, which would hold its
 * ports. That shell only waits for the server, so when it is gone (the parent process changes) the
 * server stops as on SIGTERM. Started any other way (a container, a shell's `&`, a test runner),
 * the server outlives its parent as any daemon does.
 */
function stopWithNpm(stop: () => void): void {
  if (process.env["npm_lifecycle_event"] === undefined) return;
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid === parent) return;
    clearInterval(watch);
    stop();
  }, 250);
  watch.unref();
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

async function token(argv: readonly string[]): Promise<void> {
  const { tokenCommand } = await import("./server/token-command.js");
  process.exitCode = await tokenCommand(
    argv,
    process.env,
    (text) => void process.stdout.write(text),
    (line) => void process.stderr.write(`${line}\n`),
  );
}

function failStartUp(err: unknown): void {
  const message =
    err instanceof ConfigError || err instanceof ListenError || err instanceof ReadyFileError
      ? err.message
      : err instanceof Error
        ? (err.stack ?? err.message)
        : String(err);
  announce(requestedLogFormat(process.argv.slice(2)), `test-server: ${message}`, { level: "error", event: "failed" }, process.stderr);
  process.exit(1);
}

/** The log format asked for, read without judging the other flags (one of them may be what failed). */
function requestedLogFormat(argv: readonly string[]): LogFormat {
  let format = process.env["LK_TEST_SERVER_LOG_FORMAT"];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--log-format") format = argv[i + 1];
    else if (argv[i]!.startsWith("--log-format=")) format = argv[i]!.slice("--log-format=".length);
  }
  return format === "json" ? "json" : "text";
}

// The bundled bin is also what the body-decoding worker thread loads (twirp/decode-off-thread.ts):
// there, only that module's role runs.
if (isMainThread) {
  const argv = process.argv.slice(2);
  if (argv[0] === "trigger") trigger(argv.slice(1)).catch(failTrigger);
  else if (argv[0] === "token") token(argv.slice(1)).catch(failStartUp);
  else if (argv[0] === "--version" || argv[0] === "-v") process.stdout.write(`${packageVersion()}\n`);
  else serve(argv).catch(failStartUp);
}
