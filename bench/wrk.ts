// Runs wrk against one URL and reads its summary. Requests are described by a generated Lua script;
// the new-token scenario's script takes each request's token from a file, a distinct slice per
// thread, and reports whether any thread ran out and had to reuse one.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { BenchError } from "./bench-error.js";
import { startChild } from "./children.js";

export interface WrkRequest {
  readonly method: "GET" | "POST";
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
}

/** Lines `first` to `first + count` of `file` hold tokens never sent to this server before. */
export interface WrkTokens {
  readonly file: string;
  readonly first: number;
  readonly count: number;
}

export interface WrkOptions {
  readonly baseUrl: string;
  readonly request: WrkRequest;
  readonly connections: number;
  readonly threads: number;
  readonly seconds: number;
  /** Runs wrk on CPU 1 only (the server has CPU 0). */
  readonly pinned: boolean;
  readonly tokens?: WrkTokens;
  /** Where the script and body files go. */
  readonly workDir: string;
}

export interface WrkResult {
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly non2xx: number;
  readonly socketErrors: number;
  /** How many times a thread reached the end of its token slice and started over. */
  readonly tokensWrapped: number;
  /**
   * CPU time (user + system, all threads) the server process spent per answered request during
   * the run: what a request costs, whatever else the machine was doing. Set by the caller.
   */
  readonly serverCpuUs?: number;
}

let scriptCount = 0;

export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const n = scriptCount++;
  const script = join(options.workDir, `wrk-${n}.lua`);
  const bodyFile = join(options.workDir, `body-${n}.bin`);
  if (options.request.body !== undefined) await writeFile(bodyFile, options.request.body);
  const bodyPath = options.request.body === undefined ? undefined : bodyFile;
  await writeFile(script, options.tokens === undefined ? staticScript(options.request, bodyPath) : tokenScript(options, bodyPath));
  const whole = Number.isInteger(options.seconds);
  const argv = [
    "wrk",
    ...["-t", String(options.threads), "-c", String(options.connections)],
    ...["-d", `${Math.max(1, Math.ceil(options.seconds))}s`, "--timeout", "10s", "--latency", "-s", script],
    options.baseUrl,
  ];
  if (options.tokens !== undefined)
    argv.push("--", options.tokens.file, String(options.tokens.first), String(options.tokens.count), String(options.threads));
  const child = startChild(options.pinned ? ["taskset", "-c", "1", ...argv] : argv);
  // wrk's -d counts whole seconds; SIGINT makes it stop early and still print its summary. wrk
  // installs its SIGINT handler just before printing "Running", and a SIGINT before that kills it.
  let timer: NodeJS.Timeout | undefined;
  if (!whole) {
    const stdout = child.process.stdout!;
    const start = (chunk: Buffer): void => {
      if (!chunk.toString().includes("Running")) return;
      stdout.off("data", start);
      timer = setTimeout(() => child.process.kill("SIGINT"), options.seconds * 1000);
    };
    stdout.on("data", start);
  }
  const code = await child.exited;
  clearTimeout(timer);
  if (code !== 0) throw new BenchError(`wrk exited with ${code}: ${child.output().trim()}`);
  return parseWrk(child.output());
}

/** A Lua string literal; bytes outside printable ASCII become decimal escapes. */
function lua(value: string): string {
  let literal = "";
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code > 0xff) throw new BenchError(`cannot put ${JSON.stringify(value)} into a Lua script`);
    literal += code >= 0x20 && code <= 0x7e && char !== '"' && char !== "\\" ? char : `\\${String(code).padStart(3, "0")}`;
  }
  return `"${literal}"`;
}

function readBody(bodyPath: string | undefined): string {
  return bodyPath === undefined
    ? "local body = nil"
    : `local f = assert(io.open(${lua(bodyPath)}, "rb"))\nlocal body = f:read("*a")\nf:close()`;
}

function staticScript(request: WrkRequest, bodyPath: string | undefined): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `wrk.headers[${lua(name)}] = ${lua(value)}`);
  return [
    readBody(bodyPath),
    "wrk.body = body",
    `wrk.method = ${lua(request.method)}`,
    `wrk.path = ${lua(request.path)}`,
    ...headers,
    "",
  ].join("\n");
}

// The raw request is assembled from a prefix and a suffix around the token, which costs wrk far
// less per request than wrk.format.
function tokenScript(options: WrkOptions, bodyPath: string | undefined): string {
  const { request } = options;
  const host = new URL(options.baseUrl).host;
  const head = [
    `${request.method} ${request.path} HTTP/1.1`,
    `Host: ${host}`,
    ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`),
  ];
  return `${readBody(bodyPath)}
local threads = {}
local count = 0
function setup(thread)
  thread:set("tid", count)
  count = count + 1
  table.insert(threads, thread)
end
function init(args)
  local first, total, nthreads = tonumber(args[2]), tonumber(args[3]), tonumber(args[4])
  local per = math.floor(total / nthreads)
  local lo = first + tid * per
  local hi = lo + per
  tokens = {}
  local i = 0
  for line in io.lines(args[1]) do
    if i >= hi then break end
    if i >= lo then tokens[#tokens + 1] = line end
    i = i + 1
  end
  if #tokens == 0 then error("no tokens for thread " .. tid) end
  nexti = 1
  wrapped = 0
  local length = body and #body or 0
  prefix = ${lua(head.join("\r\n") + "\r\n")} .. "Content-Length: " .. length .. "\\r\\nAuthorization: Bearer "
  suffix = "\\r\\n\\r\\n" .. (body or "")
end
function request()
  if nexti > #tokens then
    nexti = 1
    wrapped = wrapped + 1
  end
  local token = tokens[nexti]
  nexti = nexti + 1
  return prefix .. token .. suffix
end
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("wrapped") end
  io.write("tokens-wrapped: " .. total .. "\\n")
end
`;
}

const units: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

function milliseconds(value: string, unit: string): number {
  return Number(value) * units[unit]!;
}

export function parseWrk(output: string): WrkResult {
  const rps = /^Requests\/sec:\s+([\d.]+)/m.exec(output);
  const total = /^\s*(\d+) requests in /m.exec(output);
  const p50 = /^\s+50%\s+([\d.]+)(us|ms|s|m|h)\s*$/m.exec(output);
  const p99 = /^\s+99%\s+([\d.]+)(us|ms|s|m|h)\s*$/m.exec(output);
  if (rps === null || total === null || p50 === null || p99 === null) throw new BenchError(`cannot read wrk's output:\n${output}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(output);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
  const wrapped = /^tokens-wrapped: (\d+)/m.exec(output);
  return {
    requests: Number(total[1]),
    rps: Number(rps[1]),
    p50Ms: milliseconds(p50[1]!, p50[2]!),
    p99Ms: milliseconds(p99[1]!, p99[2]!),
    non2xx: non2xx === null ? 0 : Number(non2xx[1]),
    socketErrors: errors === null ? 0 : errors.slice(1).reduce((sum, n) => sum + Number(n), 0),
    tokensWrapped: wrapped === null ? 0 : Number(wrapped[1]),
  };
}
