// Load generators that must not share a CPU (or an event loop) with the harness run as child
// processes on CPU 1. They speak in JSON lines: the harness reads what they print and writes
// commands to their stdin.
import { fileURLToPath } from "node:url";
import { BenchError } from "./bench-error.js";
import { startChild, withOpenFiles } from "./children.js";

export interface ClientProcess {
  /** The next JSON line the client printed. */
  message<T>(): Promise<T>;
  tell(command: string): void;
  /** Closes the client's stdin and waits for it to exit. */
  finish(): Promise<void>;
}

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export interface ClientOptions {
  readonly pinned: boolean;
  readonly openFiles?: number;
}

export function startClient(script: string, config: unknown, options: ClientOptions): ClientProcess {
  const path = fileURLToPath(new URL(script, import.meta.url));
  let argv = [process.execPath, "--import", "tsx", path, JSON.stringify(config)];
  if (options.pinned) argv = ["taskset", "-c", "1", ...argv];
  if (options.openFiles !== undefined) argv = withOpenFiles(options.openFiles, argv);
  const child = startChild(argv, { cwd: repoRoot, stdio: ["pipe", "pipe", "pipe"] });
  const lines: string[] = [];
  const waiting: Array<{ resolve: (line: string) => void; reject: (error: Error) => void }> = [];
  let partial = "";
  let ended: Error | undefined;
  child.process.stdout!.on("data", (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split("\n");
    partial = parts.pop()!;
    for (const line of parts) {
      const waiter = waiting.shift();
      if (waiter === undefined) lines.push(line);
      else waiter.resolve(line);
    }
  });
  const fail = (): void => {
    ended = new BenchError(`${script} stopped early: ${child.output().trim()}`);
    for (const waiter of waiting.splice(0)) waiter.reject(ended);
  };
  child.exited.then(fail, fail);
  return {
    async message<T>() {
      const line =
        lines.shift() ??
        (await new Promise<string>((resolve, reject) => {
          if (ended !== undefined) reject(ended);
          else waiting.push({ resolve, reject });
        }));
      return JSON.parse(line) as T;
    },
    tell(command) {
      child.process.stdin!.write(`${command}\n`);
    },
    async finish() {
      child.process.stdin!.end();
      const code = await child.exited;
      if (code !== 0) throw new BenchError(`${script} exited with ${code}: ${child.output().trim()}`);
    },
  };
}

/** For the client side: resolves with each line the harness writes. */
export function commands(): AsyncIterator<string> {
  const input = process.stdin;
  input.setEncoding("utf8");
  let buffer = "";
  const queue: string[] = [];
  const waiting: Array<(result: IteratorResult<string>) => void> = [];
  let done = false;
  input.on("data", (chunk: string) => {
    const parts = (buffer + chunk).split("\n");
    buffer = parts.pop()!;
    for (const line of parts) {
      const waiter = waiting.shift();
      if (waiter === undefined) queue.push(line);
      else waiter({ value: line, done: false });
    }
  });
  input.on("end", () => {
    done = true;
    for (const waiter of waiting.splice(0)) waiter({ value: undefined, done: true });
  });
  return {
    next() {
      const line = queue.shift();
      if (line !== undefined) return Promise.resolve({ value: line, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => waiting.push(resolve));
    },
  };
}

export function report(message: unknown): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}
