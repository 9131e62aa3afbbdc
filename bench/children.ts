// Every process the harness starts goes through here, so a failed run never leaves a server or a
// client behind: each is killed by its own pid when the harness exits.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import { readFileSync } from "node:fs";
import { BenchError } from "./bench-error.js";

export interface Child {
  readonly process: ChildProcess;
  readonly pid: number;
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  readonly exited: Promise<number | string>;
  /** The last few KiB of stdout and stderr together, for error messages. */
  output(): string;
  /** Sends `signal` and waits; SIGKILL follows if the process is still alive after `graceMs`. */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<number | string>;
}

const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});
// Without these, Ctrl-C would end the harness without running the exit hook above.
process.once("SIGINT", () => process.exit(130));
process.once("SIGTERM", () => process.exit(143));

/** Raises the open-file limit of `command` through a shell when this process's own is lower. */
export function withOpenFiles(limit: number, command: readonly string[]): string[] {
  const current = openFilesLimit();
  if (current.soft >= limit) return [...command];
  if (current.hard < limit) throw new BenchError(`needs ${limit} open files, but the hard limit is ${current.hard}`);
  return ["sh", "-c", `ulimit -n ${limit} && exec "$@"`, "sh", ...command];
}

function openFilesLimit(): { soft: number; hard: number } {
  const line = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync("/proc/self/limits", "utf8"));
  const parse = (value: string | undefined): number => (value === undefined || value === "unlimited" ? Infinity : Number(value));
  return { soft: parse(line?.[1]), hard: parse(line?.[2]) };
}

export function startChild(command: readonly string[], options: SpawnOptions = {}): Child {
  const [file, ...args] = command;
  if (file === undefined) throw new BenchError("empty command");
  const child = spawn(file, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  running.add(child);
  let tail = "";
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString()).slice(-4096);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  const exited = new Promise<number | string>((resolve, reject) => {
    child.once("error", (error) => {
      running.delete(child);
      reject(new BenchError(`cannot start ${file}: ${error.message}`));
    });
    child.once("exit", (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? "unknown");
    });
  });
  // Callers that never await `exited` must not see an unhandled rejection; `pid` reports the failure.
  exited.catch(() => {});
  if (child.pid === undefined) throw new BenchError(`cannot start ${file}`);
  return {
    process: child,
    pid: child.pid,
    exited,
    output: () => tail,
    async stop(signal = "SIGKILL", graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
