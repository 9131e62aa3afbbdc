// Turns each measure's raw results into report rows, and judges them against the targets of bench/README.md.
// Every target is a ratio to a server measured in the same run, except the isolation bound.
import type { BurstReport } from "./burst-client.js";
import type { ChunkedMemoryResult } from "./chunked-memory.js";
import type { FloodMode, FloodReport } from "./flood-client.js";
import type { HeadCostResult } from "./head-cost.js";
import type { IsolationReport } from "./isolation-client.js";
import { format, type MeasureRow, type Target } from "./report.js";
import type { ServerKind } from "./servers.js";
import type { SignalResult } from "./signal-memory.js";
import { median } from "./stats.js";

export const targets = {
  startVsBare: 1.7,
  idleRssVsBare: 1.5,
  signalMemoryVsOriginal: 2,
  isolationP99Ms: 100,
  headCpuVsOriginal: 2,
  /** Per MB at the larger head ÷ per MB at the smaller: 1 is linear; a reader that re-reads what is pending grows with the size. */
  headCpuGrowth: 1.5,
  chunkedRssPerByte: 10,
  floodP99VsOriginal: 2,
};

type Medians = Partial<Record<ServerKind, number>>;

function mediansOf<T>(results: ReadonlyMap<ServerKind, readonly T[]>, pick: (result: T) => number): Medians {
  const medians: Medians = {};
  for (const [kind, list] of results) medians[kind] = median(list.map(pick));
  return medians;
}

function formatted(medians: Medians, show: (value: number) => string): MeasureRow["values"] {
  const values: MeasureRow["values"] = {};
  for (const [kind, value] of Object.entries(medians) as Array<[ServerKind, number]>) values[kind] = show(value);
  return values;
}

/** "1.91× bare · 19.6× original" for whichever references were measured. */
function ratios(medians: Medians, against: ReadonlyArray<"bare" | "original">): string {
  const ours = medians.ours;
  const parts = against
    .filter((kind) => ours !== undefined && medians[kind] !== undefined)
    .map((kind) => `${format.ratio(ours! / medians[kind]!)} ${kind === "bare" ? "bare" : "original"}`);
  return parts.length === 0 ? "—" : parts.join(" · ");
}

function judged(judge: boolean, target: Target): { target?: Target } {
  return judge ? { target } : {};
}

export function startRows(results: ReadonlyMap<ServerKind, readonly number[]>, judge: boolean): MeasureRow[] {
  const m = mediansOf(results, (ms) => ms);
  const count = results.get("ours")?.length ?? 0;
  return [
    {
      name: "start",
      measure: `start to every region answering, ms (median of ${count})`,
      values: formatted(m, format.ms),
      ratio: ratios(m, ["bare", "original"]),
      ...judged(judge, { text: `ours ≤ ${targets.startVsBare}× bare`, met: m.ours! <= targets.startVsBare * m.bare! }),
    },
  ];
}

export function idleRssRows(results: ReadonlyMap<ServerKind, readonly number[]>, judge: boolean): MeasureRow[] {
  const m = mediansOf(results, (bytes) => bytes / 2 ** 20);
  return [
    {
      name: "idle-rss",
      measure: "idle RSS after start, MiB",
      values: formatted(m, (v) => v.toFixed(1)),
      ratio: ratios(m, ["bare", "original"]),
      ...judged(judge, { text: `ours ≤ ${targets.idleRssVsBare}× bare`, met: m.ours! <= targets.idleRssVsBare * m.bare! }),
    },
  ];
}

export function burstRows(
  results: ReadonlyMap<ServerKind, readonly BurstReport[]>,
  count: number,
  delayMs: number,
  judge: boolean,
): MeasureRow[] {
  const what = `${count.toLocaleString("en-US")} concurrent calls delayed ${delayMs / 1000} s`;
  const p50 = mediansOf(results, (r) => r.p50Ms);
  const p99 = mediansOf(results, (r) => r.p99Ms);
  const failed = mediansOf(results, (r) => r.failed);
  const rows: MeasureRow[] = [
    { name: "burst", measure: `${what}: lateness p50, ms`, values: formatted(p50, format.ms), ratio: ratios(p50, ["original"]) },
    {
      name: "burst",
      measure: `${what}: lateness p99, ms`,
      values: formatted(p99, format.ms),
      ratio: ratios(p99, ["original"]),
      ...judged(judge, { text: "ours ≤ original", met: p99.ours! <= (p99.original ?? Infinity) }),
    },
  ];
  if (Object.values(failed).some((n) => n > 0)) {
    rows.push({ name: "burst", measure: `${what}: calls that failed`, values: formatted(failed, (v) => String(v)), ratio: "—" });
  }
  return rows;
}

export function signalRows(results: ReadonlyMap<ServerKind, readonly SignalResult[]>, count: number, judge: boolean): MeasureRow[] {
  const memory = mediansOf(results, (r) => r.bytesPerConnection / 1024);
  const join = mediansOf(results, (r) => r.joinP50Ms);
  return [
    {
      name: "signal",
      measure: `signal connections with permessage-deflate: RSS per connection, KiB (${count} open)`,
      values: formatted(memory, (v) => v.toFixed(1)),
      ratio: ratios(memory, ["original"]),
      ...judged(judge, {
        text: `ours ≤ ${targets.signalMemoryVsOriginal}× original`,
        met: memory.ours! <= targets.signalMemoryVsOriginal * (memory.original ?? Infinity),
      }),
    },
    {
      name: "signal",
      measure: "signal join time (to the first message), median, ms",
      values: formatted(join, format.ms),
      ratio: ratios(join, ["original"]),
    },
  ];
}

export function isolationRows(
  results: ReadonlyMap<ServerKind, readonly IsolationReport[]>,
  bodyBytes: number,
  judge: boolean,
): MeasureRow[] {
  const p99 = mediansOf(results, (r) => r.smallP99Ms);
  return [
    {
      name: "isolation",
      measure: `small requests to region 1 while region 0 decodes ${(bodyBytes / 2 ** 20).toFixed(bodyBytes < 2 ** 20 ? 2 : 1)} MiB bodies: p99, ms`,
      values: formatted(p99, format.ms),
      ratio: ratios(p99, ["original"]),
      ...judged(judge, { text: `ours ≤ ${targets.isolationP99Ms} ms`, met: p99.ours! <= targets.isolationP99Ms }),
    },
  ];
}

/** "600 KB" for 600,000 bytes: the cost checks count in powers of ten. */
function kilobytes(bytes: number): string {
  return `${format.rate(bytes / 1000)} KB`;
}

export function headCpuRows(
  results: ReadonlyMap<ServerKind, readonly HeadCostResult[]>,
  sizes: readonly number[],
  packetBytes: number,
  judge: boolean,
): MeasureRow[] {
  const perSize = sizes.map((_, i) => mediansOf(results, (r) => r.cpuMsPerMb[i]!));
  const last = sizes.length - 1;
  const growth = mediansOf(results, (r) => r.cpuMsPerMb[last]! / r.cpuMsPerMb[0]!);
  const rows: MeasureRow[] = sizes.map((size, i) => ({
    name: "head-cpu",
    measure: `a ${kilobytes(size)} head in ${packetBytes}-byte packets: server CPU per MB of head, ms`,
    values: formatted(perSize[i]!, format.ms),
    ratio: ratios(perSize[i]!, ["original", "bare"]),
    ...(i === last
      ? judged(judge, {
          text: `ours ≤ ${targets.headCpuVsOriginal}× original`,
          met: perSize[i]!.ours! <= targets.headCpuVsOriginal * (perSize[i]!.original ?? Infinity),
        })
      : {}),
  }));
  rows.push({
    name: "head-cpu",
    measure: `CPU per MB at ${kilobytes(sizes[last]!)} ÷ at ${kilobytes(sizes[0]!)} (1 is linear)`,
    values: formatted(growth, (v) => v.toFixed(2)),
    ratio: "—",
    ...judged(judge, { text: `ours ≤ ${targets.headCpuGrowth}`, met: growth.ours! <= targets.headCpuGrowth }),
  });
  return rows;
}

export function chunkedRssRows(
  results: ReadonlyMap<ServerKind, readonly ChunkedMemoryResult[]>,
  bodyBytes: number,
  judge: boolean,
): MeasureRow[] {
  const perByte = mediansOf(results, (r) => r.bytesPerBodyByte);
  return [
    {
      name: "chunk-rss",
      measure: `a ${kilobytes(bodyBytes)} body in one-byte chunks: peak RSS growth per body byte, bytes`,
      values: formatted(perByte, (v) => v.toFixed(1)),
      ratio: ratios(perByte, ["original", "bare"]),
      ...judged(judge, { text: `ours ≤ ${targets.chunkedRssPerByte}`, met: perByte.ours! <= targets.chunkedRssPerByte }),
    },
  ];
}

const floodTexts: Record<FloodMode, { what: string; rate: string; perSecond: (value: number) => string }> = {
  pipeline: {
    what: "while another connection pipelines requests as fast as it can",
    rate: "pipelined requests answered meanwhile, per second",
    perSecond: format.rate,
  },
  heads: {
    what: "while another connection sends endless heads as fast as it can",
    rate: "MB of head taken meanwhile, per second",
    perSecond: (bytes) => (bytes / 1e6).toFixed(1),
  },
};

export function floodRows(
  mode: FloodMode,
  results: ReadonlyMap<ServerKind, readonly FloodReport[]>,
  smallCount: number,
  judge: boolean,
): MeasureRow[] {
  const text = floodTexts[mode];
  const p50 = mediansOf(results, (r) => r.smallP50Ms);
  const p99 = mediansOf(results, (r) => r.smallP99Ms);
  const rate = mediansOf(results, (r) => r.floodPerSecond);
  const name = `flood-${mode}`;
  const rows: MeasureRow[] = [
    { name, measure: `small requests ${text.what}: p50, ms`, values: formatted(p50, format.ms), ratio: ratios(p50, ["original", "bare"]) },
    {
      name,
      measure: `small requests ${text.what}: p99, ms`,
      values: formatted(p99, format.ms),
      ratio: ratios(p99, ["original", "bare"]),
      ...judged(judge, {
        text: `ours ≤ ${targets.floodP99VsOriginal}× original`,
        met: p99.ours! <= targets.floodP99VsOriginal * (p99.original ?? Infinity),
      }),
    },
    { name, measure: text.rate, values: formatted(rate, text.perSecond), ratio: ratios(rate, ["original", "bare"]) },
  ];
  // A server that starves the small requests answers fewer than asked for in the time allowed.
  const calls = mediansOf(results, (r) => r.smallCalls);
  if (Object.values(calls).some((n) => n < smallCount)) {
    rows.push({
      name,
      measure: `small requests answered in the time allowed (of ${smallCount})`,
      values: formatted(calls, String),
      ratio: "—",
    });
  }
  return rows;
}
