// Runs an SDK conformance suite's run.sh against our server started in-process, for the node
// wrappers (go-sdk.test.ts, python-sdk.test.ts). The server keeps serving on this event loop
// while the child runs, so the child is spawned asynchronously.
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, type RunningServer } from "../../../src/server/start-server.js";

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

export interface SuiteRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly output: string;
}

/** Starts ours on four free loopback ports. */
export function startOurs(): Promise<RunningServer> {
  return startServer({ ports: [0, 0, 0, 0], bind: "127.0.0.1", logLevel: "silent" });
}

export function runCommand(
  command: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {},
  cwd = repoRoot,
): Promise<SuiteRun> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", (err) => resolve({ code: null, signal: null, output: `${output}\ncannot run ${command}: ${err.message}` }));
    child.on("close", (code, signal) => resolve({ code, signal, output }));
  });
}

/** Fails (never skips) when a toolchain the suite needs is missing. */
export async function requireTool(command: string, args: readonly string[], what: string): Promise<void> {
  const run = await runCommand(command, args);
  if (run.code !== 0)
    throw new Error(`${what} is required for this conformance suite but \`${command} ${args.join(" ")}\` failed:\n${run.output}`);
}

/** The tail of a long log, which is where go test and pytest summarize. */
export function tail(output: string, maxChars = 60_000): string {
  return output.length <= maxChars ? output : `…(${output.length - maxChars} characters cut)\n${output.slice(-maxChars)}`;
}
