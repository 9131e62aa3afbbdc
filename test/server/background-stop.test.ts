// What a CI script does: start the server in the background with `&`, use it, `kill $!`. Each way
// of starting it (the bin, `npm run serve`, `npx`) must then stop and free its ports, on SIGTERM
// and on SIGINT. Run in a real bash, as CI runs it; needs `npm run build` first.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, describe, test } from "node:test";
import { freePorts } from "../support/free-ports.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(repo, "dist/bin/cli.mjs");
// A project that installed the package: `npx livekit-test-server` finds the bin here, and only here
// (offline: it never asks the registry).
const project = mkdtempSync(join(tmpdir(), "lk-background-"));
mkdirSync(join(project, "node_modules/.bin"), { recursive: true });
symlinkSync(bin, join(project, "node_modules/.bin/livekit-test-server"));
writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
after(() => rmSync(project, { recursive: true, force: true }));

// npx runs the bin under a shell of its own that forwards no signal: on SIGTERM that shell dies and
// the server, seeing its parent gone, stops; on SIGINT the shell waits for the server, which never
// hears of it, so `kill -INT` is not supported there (the docs use `kill $!`).
const starts = {
  "the bin": { cwd: project, command: "./node_modules/.bin/livekit-test-server", signals: ["TERM", "INT"] },
  "npm run serve": { cwd: repo, command: "npm run --silent serve --", signals: ["TERM", "INT"] },
  npx: { cwd: project, command: "npx livekit-test-server", signals: ["TERM"] },
} as const;

/**
 * Runs the CI script in bash, in a process group of its own that is killed afterwards, so that a
 * server the script failed to stop does not outlive the test. Resolves with what it printed.
 */
function runScript(cwd: string, script: string, timeoutMs = 60_000): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const shell = spawn("bash", ["-c", script], { cwd, detached: true, env: { ...process.env, npm_config_offline: "true" } });
    let output = "";
    const killGroup = (): void => {
      try {
        process.kill(-shell.pid!, "SIGKILL");
      } catch {
        // The group is gone already.
      }
    };
    const timer = setTimeout(() => {
      output += `\n(the script did not finish within ${timeoutMs} ms)`;
      killGroup();
    }, timeoutMs);
    shell.stdout.setEncoding("utf8").on("data", (d: string) => (output += d));
    shell.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    shell.once("error", reject);
    shell.once("close", (code) => {
      clearTimeout(timer);
      killGroup();
      resolve({ code, output });
    });
  });
}

/** Whether a listener could bind the port now. */
function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

async function waitFree(ports: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const held = [];
    for (const port of ports) if (!(await isFree(port))) held.push(port);
    if (held.length === 0 || Date.now() > deadline) return held;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("started in the background with & and stopped with kill $!", { concurrency: true }, () => {
  for (const [how, { cwd, command, signals }] of Object.entries(starts)) {
    for (const signal of signals) {
      test(`${how} stops on SIG${signal} and frees its ports`, { timeout: 90_000 }, async () => {
        const ports = await freePorts(2);
        const script = [
          `${command} --ports ${ports.join(",")} --bind 127.0.0.1 --log-level silent &`,
          "server=$!",
          `curl -s --retry 60 --retry-connrefused --retry-delay 1 --max-time 5 localhost:${ports[1]}/_test/health; echo`,
          `kill -${signal} $server`,
          "wait $server",
          'echo "wait: $?"',
        ].join("\n");
        const { code, output } = await runScript(cwd, script);
        assert.equal(code, 0, output);
        assert.match(output, /^ok$/m, `the server never answered its health check:\n${output}`);
        assert.match(output, /^test-server: shutting down$/m, output);
        // The bin and npm (which waits for it) exit 0 after a clean shutdown.
        if (how !== "npx") assert.match(output, /^wait: 0$/m, output);
        // npx leaves the server behind its own shell, which notices within a second; the others
        // have exited by the time `wait` returns.
        const held = await waitFree(ports, how === "npx" ? 10_000 : 1_000);
        assert.deepEqual(held, [], `ports still held after kill -${signal}:\n${output}`);
      });
    }
  }
});
