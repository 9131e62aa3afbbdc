// Turns each measure's raw results into report rows, and judges them against the targets of bench/README.md.
// Every target is a ratio to a server measured in the same run, except the isolation bound.
import type { BurstReport } from "./burst-client.js";
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
