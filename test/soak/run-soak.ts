// A soak: the built server in a child process under mixed traffic (traffic.ts) for `--seconds N`,
// sampled once a second from inside (server-probe.ts): resident memory, event-loop delay (p99 per
// second) and open handles. A warm-up comes first (`--warmup`, default 10 s, not sampled), with the
// large bodies four times as often, so that V8 has sized its heap for them before the clock starts:
// otherwise a short run mistakes that one-off growth for a leak. It passes when each has levelled off (level-off.ts: the last third's
// median within the tolerance below of the middle third's), no answer was wrong, and the server
// logged nothing and did not exit. Exit code 1 otherwise.
//
//   npm run soak -- --seconds 1800 [--warmup 10] [--workers 16] [--samples samples.jsonl]
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { transformSync } from "esbuild";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createRawHttpClient } from "../fuzz/raw-http.js";
import { levelOff, median, type Tolerance } from "./level-off.js";
import type { ProbeSample } from "./server-probe.js";
import { periodicScenarios, scenarios, type Scenario } from "./traffic.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    warmup: { type: "string", default: "10" },
    workers: { type: "string", default: "16" },
    samples: { type: "string" },
  },
});
const seconds = Number(values.seconds);
const workers = Number(values.workers);
const warmup = Number(values.warmup);
if (!(seconds >= 9) || !(warmup >= 0) || !Number.isInteger(workers) || workers < 1) {
  throw new Error("--seconds must be at least 9, --warmup at least 0 and --workers a positive integer");
}

// Memory grows for a while as caches fill (tokens, controls) and V8 sizes its old generation for
// the megabyte bodies; a leak keeps growing. Loop delay and handles are noisy on a shared machine,
// hence the absolute slack.
const tolerances: Record<"rssMiB" | "loopP99Ms" | "handles", Tolerance> = {
  rssMiB: { relative: 0.15, absolute: 20 },
  loopP99Ms: { relative: 0.5, absolute: 20 },
  handles: { relative: 0.25, absolute: 20 },
};

const cli = fileURLToPath(new URL("../../dist/bin/cli.mjs", import.meta.url));
// The probe goes into the server as plain JavaScript: a worker thread the server starts inherits
// the --import flags, and TypeScript loader hooks do not reach worker threads.
const probe = join(mkdtempSync(join(tmpdir(), "lk-soak-")), "server-probe.mjs");
writeFileSync(
  probe,
  transformSync(readFileSync(fileURLToPath(new URL("./server-probe.ts", import.meta.url)), "utf8"), { loader: "ts", format: "esm" }).code,
);
const child = spawn(process.execPath, ["--import", probe, cli, "--ports", "0,0,0,0", "--bind", "127.0.0.1", "--log-level", "error"], {
  stdio: ["ignore", "pipe", "pipe", "ipc"],
});
const serverOutput: string[] = [];
const samples: ProbeSample[] = [];
let exited: string | undefined;
child.on("message", (sample: ProbeSample) => samples.push(sample));
child.once("exit", (code, signal) => (exited = `the server exited (code ${code}, signal ${signal})`));
const ports = await new Promise<number[]>((resolve, reject) => {
  let stdout = "";
  child.stdout!.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    const found = [...stdout.matchAll(/listening on 127\.0\.0\.1:(\d+)/g)].map((m) => Number(m[1]));
    if (found.length === 4) {
      child.stdout!.removeAllListeners("data");
      child.stdout!.on("data", (more: string) => serverOutput.push(more.trimEnd()));
      resolve(found);
    }
  });
  child.stderr!.setEncoding("utf8").on("data", (chunk: string) => serverOutput.push(chunk.trimEnd()));
  child.once("exit", () => reject(new Error(`the server did not start: ${serverOutput.join("\n")}`)));
});

const warmupEnd = performance.now() + warmup * 1000;
const deadline = warmupEnd + seconds * 1000;
const totalWeight = scenarios.reduce((sum, s) => sum + s.weight, 0);
const counts = new Map([...scenarios, ...periodicScenarios].map((s) => [s.name, { runs: 0, problems: 0 }]));
const problems: string[] = [];
let requests = 0;
let requestsBeforeMeasuring = 0;
samples.length = 0;
setTimeout(() => {
  samples.length = 0;
  requestsBeforeMeasuring = requests;
}, warmup * 1000);

async function runOnce(scenario: Scenario, client: ReturnType<typeof createRawHttpClient>): Promise<void> {
  const result = await scenario.run({ ports, client }).catch((err: unknown) => ({ requests: 1, problem: `threw ${String(err)}` }));
  requests += result.requests;
  const count = counts.get(scenario.name)!;
  count.runs++;
  if (result.problem !== undefined) {
    count.problems++;
    if (problems.length < 20) problems.push(`${scenario.name}: ${result.problem}`);
  }
}

async function worker(): Promise<void> {
  const client = createRawHttpClient();
  while (performance.now() < deadline && exited === undefined) {
    let roll = Math.random() * totalWeight;
    await runOnce(scenarios.find((s) => (roll -= s.weight) < 0) ?? scenarios[0]!, client);
  }
  client.close();
}

async function periodic(scenario: Scenario & { everyMs: number }): Promise<void> {
  const client = createRawHttpClient();
  for (
    let next = performance.now();
    next < deadline && exited === undefined;
    next += next < warmupEnd ? scenario.everyMs / 4 : scenario.everyMs
  ) {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
    if (performance.now() < deadline) await runOnce(scenario, client);
  }
  client.close();
}

const progress = setInterval(() => {
  const last = samples.at(-1);
  process.stdout.write(
    `soak: ${Math.round(seconds - (deadline - performance.now()) / 1000)} s measured, ${requests} requests` +
      (last === undefined
        ? "\n"
        : `, rss ${last.rssMiB.toFixed(0)} MiB, loop p99 ${last.loopP99Ms.toFixed(1)} ms, handles ${last.handles}\n`),
  );
}, 60_000);
await Promise.all([...Array.from({ length: workers }, () => worker()), ...periodicScenarios.map((s) => periodic(s))]);
clearInterval(progress);
const measuredRequests = requests - requestsBeforeMeasuring;
// Only the samples taken under traffic count.
const measured = samples.slice();
if (values.samples !== undefined) await writeFile(values.samples, measured.map((s) => JSON.stringify(s)).join("\n") + "\n");
// Let the last connections close, then a final look.
await new Promise((resolve) => setTimeout(resolve, 1500));
const stopping = exited === undefined;
child.stdout!.removeAllListeners("data");
child.kill("SIGTERM");
await new Promise((resolve) => (exited === undefined ? child.once("exit", resolve) : resolve(undefined)));

const failures: string[] = [];
const rows: string[] = [];
for (const [metric, tolerance] of Object.entries(tolerances) as [keyof typeof tolerances, Tolerance][]) {
  const series = measured.map((s) => s[metric]);
  if (series.length < 9) {
    failures.push(`only ${series.length} samples of ${metric}`);
    continue;
  }
  const result = levelOff(series, tolerance);
  rows.push(
    `  ${metric.padEnd(10)} thirds' medians ${result.firstMedian.toFixed(1)} → ${result.middleMedian.toFixed(1)} → ${result.lastMedian.toFixed(1)}` +
      ` (limit ${result.limit.toFixed(1)}; max ${Math.max(...series).toFixed(1)}) ${result.ok ? "levelled off" : "STILL GROWING"}`,
  );
  if (!result.ok) failures.push(`${metric} did not level off`);
}
const wrong = [...counts.values()].reduce((sum, c) => sum + c.problems, 0);
if (wrong > 0) failures.push(`${wrong} wrong answers`);
if (serverOutput.length > 0) failures.push(`the server logged: ${serverOutput.join("\n").slice(0, 2000)}`);
if (!stopping) failures.push(exited ?? "the server exited");

process.stdout.write(
  `soak: ${measuredRequests} requests in ${seconds} s after a ${warmup} s warm-up (${(measuredRequests / seconds).toFixed(0)}/s) by ${workers} workers; ${measured.length} samples\n` +
    `${rows.join("\n")}\n` +
    `  median rss ${median(measured.map((s) => s.rssMiB)).toFixed(0)} MiB, heap ${median(measured.map((s) => s.heapMiB)).toFixed(0)} MiB, max loop delay ${Math.max(...measured.map((s) => s.loopMaxMs)).toFixed(0)} ms; after the traffic: ${samples.at(-1)?.sockets ?? "?"} sockets, ${samples.at(-1)?.handles ?? "?"} handles\n` +
    [...counts].map(([name, c]) => `  ${name}: ${c.runs}${c.problems > 0 ? ` (${c.problems} wrong)` : ""}`).join("\n") +
    "\n",
);
for (const problem of problems) process.stdout.write(`  wrong: ${problem}\n`);
process.stdout.write(failures.length === 0 ? "soak: passed\n" : `soak: FAILED: ${failures.join("; ")}\n`);
process.exit(failures.length === 0 ? 0 : 1);
