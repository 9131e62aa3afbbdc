// The servers a run compares: ours (the built bundle), the original Go test server, a bare Node HTTP
// server (the floor for start time and memory, and plain node:http in the cost checks), and ours
// with its handlers mounted on node:http (the `http-layer` rows). Each start is a fresh process on
// fresh ports, and is timed from spawn until every region answers `/settings/regions`.
import { request } from "node:http";
import { readFile } from "node:fs/promises";
import { setTimeout as sleep } from "node:timers/promises";
import { defaultHttpLimits } from "../src/http/limits.js";
import { freePorts } from "../test/support/free-ports.js";
import { BenchError } from "./bench-error.js";
import { startChild, withOpenFiles, type Child } from "./children.js";
import { benchSecret } from "./tokens.js";

export type ServerKind = "ours" | "original" | "bare" | "ours-on-node-http";

export const serverLabels: Record<ServerKind, string> = {
  ours: "ours",
  original: "original",
  bare: "bare Node",
  "ours-on-node-http": "ours on node:http",
};

/** Where the servers live on disk; `original` is absent when the run does not compare. */
export interface ServerPaths {
  readonly ours: string;
  readonly original?: string;
  /** bench/ours-on-node-http.ts bundled; absent when no measure needs it. */
  readonly oursOnNodeHttp?: string;
}

export interface StartOptions {
  /** Runs the server on CPU 0 only (clients then use CPU 1). */
  readonly pinned?: boolean;
  readonly openFiles?: number;
  /** Extra `node` flags for our server, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
}

export interface RunningServer {
  readonly kind: ServerKind;
  readonly pid: number;
  readonly ports: readonly number[];
  /** Milliseconds from spawn until every region answered. */
  readonly readyMs: number;
  url(region: number): string;
  rssBytes(): Promise<number>;
  /** SIGTERM lets our server write a CPU profile on the way out; the default is SIGKILL. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const regionCount = 4;
const bind = "127.0.0.1";

// A plain node:http server: what any Node server pays before its own code runs. It reads every body
// the usual way (each chunk kept, then joined) and answers every request 200 with the regions; it
// takes heads as large as ours does (src/http/limits.ts), so that the cost checks send it the same.
const bareNodeScript = `const http = require("node:http");
const ports = process.argv.slice(1);
const body = JSON.stringify({ regions: ports.map((p, i) => ({ region: "region-" + i, url: "http://${bind}:" + p })) });
for (const port of ports)
  http.createServer({ maxHeaderSize: ${defaultHttpLimits.headerBytes} }, (req, res) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => {
      Buffer.concat(chunks);
      res.writeHead(200, { "Content-Type": "application/json" });
      res.end(body);
    });
  }).listen(Number(port), "${bind}");`;

function command(kind: ServerKind, paths: ServerPaths, ports: readonly number[], options: StartOptions): string[] {
  const list = ports.join(",");
  switch (kind) {
    case "ours":
    case "ours-on-node-http": {
      const script = kind === "ours" ? paths.ours : paths.oursOnNodeHttp;
      if (script === undefined) throw new BenchError("ours on node:http is not bundled");
      return [
        process.execPath,
        ...(options.nodeFlags ?? []),
        script,
        ...["--ports", list, "--bind", bind, "--log-level", "silent", "--api-secret", benchSecret],
      ];
    }
    case "original":
      if (paths.original === undefined) throw new BenchError("the original server is not built");
      return [paths.original, "--ports", list, "--bind", bind, "--api-secret", benchSecret];
    case "bare":
      return [process.execPath, "-e", bareNodeScript, ...ports.map(String)];
  }
}

class ExitedEarly extends BenchError {}

/** Retries with other ports when a process exits before answering: a free port can be taken by another process before the server binds it. */
export async function startServer(kind: ServerKind, paths: ServerPaths, options: StartOptions = {}): Promise<RunningServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(kind, paths, options);
    } catch (error) {
      if (!(error instanceof ExitedEarly) || attempt === 3) throw error;
    }
  }
}

async function startOnce(kind: ServerKind, paths: ServerPaths, options: StartOptions): Promise<RunningServer> {
  const ports = await freePorts(regionCount);
  let argv = command(kind, paths, ports, options);
  if (options.pinned === true) argv = ["taskset", "-c", "0", ...argv];
  if (options.openFiles !== undefined) argv = withOpenFiles(options.openFiles, argv);
  const started = performance.now();
  const child = startChild(argv);
  try {
    await Promise.all(ports.map((port) => waitForRegions(child, port, kind)));
  } catch (error) {
    await child.stop();
    throw error;
  }
  const readyMs = performance.now() - started;
  return {
    kind,
    pid: child.pid,
    ports,
    readyMs,
    url: (region) => `http://${bind}:${ports[region]}`,
    rssBytes: () => rssBytes(child.pid),
    async stop(signal = "SIGKILL") {
      await child.stop(signal);
    },
  };
}

async function waitForRegions(child: Child, port: number, kind: ServerKind): Promise<void> {
  const deadline = performance.now() + 20_000;
  let exited = false;
  const markExited = (): void => {
    exited = true;
  };
  child.exited.then(markExited, markExited);
  for (;;) {
    if (exited) throw new ExitedEarly(`${serverLabels[kind]} server exited before answering: ${child.output().trim()}`);
    if ((await statusOf(port, "/settings/regions")) === 200) return;
    if (performance.now() > deadline) throw new BenchError(`${serverLabels[kind]} server did not answer on port ${port} within 20 s`);
    // Connection refused comes back within microseconds; a short pause keeps the poll from stealing the CPU it measures.
    await sleep(1);
  }
}

function statusOf(port: number, path: string): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: bind, port, path, agent: false, timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode);
    });
    req.once("error", () => resolve(undefined));
    req.once("timeout", () => req.destroy());
    req.end();
  });
}

/** CPU seconds (user + system, every thread) a process has used so far, from /proc. */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, "utf8");
  // Fields after the command (which may hold spaces) start after the last ')'; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

/** Linux's USER_HZ, which /proc reports times in; 100 on every architecture Linux runs on here. */
const clockTicksPerSecond = 100;

export async function rssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status);
  if (match === null) throw new BenchError(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}
