// Runs an SDK conformance suite's run.sh against our server started in-process, for the node
// wrappers (go-sdk.test.ts, python-sdk.test.ts, kotlin-sdk.test.ts), and against the original where
// a suite asks. The server keeps serving on this event loop while the child runs, so the child is
// spawned asynchronously.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { access } from "node:fs/promises";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startServer, type RunningServer } from "../../../src/server/start-server.js";
import { startOracle, type RunningOracle } from "./start-oracle.js";

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

export interface SdkSuite {
  /** The suite's runner, relative to the repository root. */
  readonly script: string;
  /** Checks the toolchain the suite needs; throws (the test fails, never skips) when it is missing. */
  readonly requires: () => Promise<void>;
  /** Also run against the original test server, with LK_TEST_SERVER_TARGET=original. */
  readonly original?: boolean;
  /** What `npm test` allows one run, first downloads included. */
  readonly timeoutMs?: number;
}

/** One test per target: the suite's run.sh must exit 0 against ours (and the original, if asked). */
export function describeSdkSuite(title: string, suite: SdkSuite): void {
  const timeout = suite.timeoutMs ?? 20 * 60_000;
  describe(title, () => {
    let server: RunningServer | undefined;
    before(async () => {
      server = await startOurs();
    });
    after(async () => {
      await server?.close();
    });
    it("passes against our server (LK_TEST_SERVER_TARGET=ours)", { timeout }, async () => {
      await runSuite(suite, server!.url(0), "ours");
    });

    if (suite.original !== true) return;
    describe("against the original test server", () => {
      let oracle: RunningOracle | undefined;
      before(async () => {
        oracle = await startOracle();
      });
      after(async () => {
        await oracle?.close();
      });
      it("passes with the intended differences (LK_TEST_SERVER_TARGET=original)", { timeout }, async () => {
        await runSuite(suite, oracle!.url(0), "original");
      });
    });
  });
}

async function runSuite(suite: SdkSuite, url: string, target: "ours" | "original"): Promise<void> {
  await suite.requires();
  const script = join(repoRoot, suite.script);
  await access(script).catch(() => assert.fail(`${script} does not exist`));
  const run = await runCommand("bash", [script], {
    LK_TEST_SERVER_URL: url,
    LK_TEST_SERVER_API_KEY: "devkey",
    LK_TEST_SERVER_API_SECRET: "secret",
    LK_TEST_SERVER_TARGET: target,
  });
  assert.equal(run.code, 0, `${suite.script} exited with ${run.code ?? run.signal}:\n${tail(run.output)}`);
}
