// The server under fuzzing: started in this process (fast, for `npm test`) or as the built CLI in
// a child process (for long campaigns, where a crash must not take the fuzzer down with it). Either
// way it collects what must never happen outside an answer: a line logged at error level, an
// unhandled rejection or uncaught exception, the process exiting.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startServer } from "../../src/server/start-server.js";
import { createLogger } from "../../src/server/request-log.js";

export interface FuzzTarget {
  readonly ports: readonly number[];
  /** Everything that went wrong since the last call. */
  takeProblems(): string[];
  close(): Promise<void>;
}

export async function startInProcessTarget(): Promise<FuzzTarget> {
  const problems: string[] = [];
  const onRejection = (reason: unknown): void => {
    problems.push(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`);
  };
  const onException = (err: Error): void => {
    problems.push(`uncaught exception: ${err.stack ?? err.message}`);
  };
  process.on("unhandledRejection", onRejection);
  process.on("uncaughtException", onException);
  const log = createLogger("error", "text", (line) => problems.push(`logged: ${line.trimEnd()}`));
  const server = await startServer({ ports: [0, 0, 0, 0], bind: "127.0.0.1", logLevel: "error" }, log);
  return {
    ports: server.regions.map((r) => r.port),
    takeProblems: () => problems.splice(0),
    close: async () => {
      await server.close();
      process.off("unhandledRejection", onRejection);
      process.off("uncaughtException", onException);
    },
  };
}

const cli = fileURLToPath(new URL("../../dist/bin/cli.mjs", import.meta.url));

/** The bundled CLI (`npm run build` first), at `--log-level error`: any output after start-up is a problem. */
export async function startChildTarget(): Promise<FuzzTarget> {
  const child = spawn(process.execPath, [cli, "--ports", "0,0,0,0", "--bind", "127.0.0.1", "--log-level", "error"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const problems: string[] = [];
  let started = false;
  let stdout = "";
  const ports: number[] = [];
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      if (started) {
        problems.push(`logged: ${chunk.trimEnd()}`);
        return;
      }
      stdout += chunk;
      for (const match of stdout.matchAll(/listening on 127\.0\.0\.1:(\d+)/g)) ports.push(Number(match[1]));
      if (ports.length >= 4) {
        started = true;
        resolve();
      } else ports.length = 0;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => problems.push(`stderr: ${chunk.trimEnd()}`));
    child.once("exit", (code, signal) => {
      problems.push(`the server exited (code ${code}, signal ${signal})`);
      reject(new Error(`the server exited before it was ready: ${problems.join("\n")}`));
    });
  });
  await ready;
  return {
    ports,
    takeProblems: () => problems.splice(0),
    close: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    },
  };
}
