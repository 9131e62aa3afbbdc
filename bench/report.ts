// The Markdown report: a header saying where and how the numbers were taken, one throughput table
// per placement, and one table for the other measures. Medians across rounds throughout.
import type { Machine } from "./machine.js";
import { serverLabels, type ServerKind } from "./servers.js";
import { median } from "./stats.js";
import type { Placement, ThroughputResult } from "./throughput.js";

export interface Target {
  readonly text: string;
  readonly met: boolean;
}

/** One line of the measures table; values are already formatted. */
export interface MeasureRow {
  readonly name: string;
  readonly measure: string;
  readonly values: Partial<Record<ServerKind, string>>;
  readonly ratio: string;
  readonly target?: Target;
}

export interface ReportInput {
  readonly machine: Machine;
  readonly started: Date;
  readonly minutes: number;
  /** The settings the run used, one phrase each. */
  readonly run: readonly string[];
  readonly note: string | undefined;
  /** One-minute load averages when the run began and ended: how busy the machine was besides. */
  readonly load: { readonly start: number; readonly end: number };
  readonly command: string;
  readonly kinds: readonly ServerKind[];
  readonly judge: boolean;
  readonly throughput: readonly ThroughputResult[];
  /** The wrk scenarios measured on ours and on ours mounted on node:http (the `http-layer` rows). */
  readonly layer: readonly ThroughputResult[];
  readonly measures: readonly MeasureRow[];
}

export const format = {
  rate: (value: number): string => Math.round(value).toLocaleString("en-US"),
  ms: (value: number): string =>
    Number.isNaN(value) ? "—" : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0),
  ratio: (value: number): string => (Number.isFinite(value) ? `${value.toFixed(2)}×` : "—"),
};

const placementTitles: Record<Placement, string> = {
  pinned: "pinned: each server on CPU 0 alone, wrk on CPU 1",
  unpinned: "unpinned: servers and wrk free to use every core",
};

export function renderReport(input: ReportInput): string {
  const { machine } = input;
  const against = input.kinds.includes("original");
  const lines = [
    against ? "# Benchmark: livekit-test-server against the original test server" : "# Benchmark: livekit-test-server",
    "",
    `- **Date**: ${input.started.toISOString().slice(0, 16).replace("T", " ")} UTC, for ${input.minutes.toFixed(1)} minutes`,
    `- **Machine**: ${machine.cpu}, ${machine.cores} cores, ${machine.kernel}; ` +
      `load average ${input.load.start.toFixed(1)} at the start, ${input.load.end.toFixed(1)} at the end`,
    `- **Versions**: our server at \`${machine.serverCommit}\` (the last commit that changed src/); Node ${machine.node}; ` +
      (against ? `original: livekit-server ${machine.original} \`cmd/test-server\`; ` : "") +
      `LiveKit protocol ${machine.protocol}; wrk ${machine.wrk}`,
    "- **Run**:",
    ...input.run.map((phrase) => `  - ${phrase}`),
    ...(input.note === undefined ? [] : [`- **Note**: ${input.note}`]),
    `- **Command**: \`${input.command}\``,
    "",
  ];
  const placements = [...new Set(input.throughput.map((result) => result.placement))];
  for (const placement of placements) {
    lines.push(`## Throughput, ${placementTitles[placement]}`, "");
    lines.push(
      ...throughputTable(
        input.throughput.filter((result) => result.placement === placement),
        against,
        input.judge,
      ),
      "",
    );
  }
  if (input.layer.length > 0) {
    lines.push("## The HTTP layer: the same handlers on src/http/ and on node:http (`http-layer`)", "");
    lines.push(...layerTable(input.layer, input.judge), "");
  }
  if (input.measures.length > 0) lines.push("## Start, memory, bursts, signal, isolation, HTTP costs", "", ...measureTable(input), "");
  return lines.join("\n") + "\n";
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(" | ")} |`;
}

function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  return [row(header), row(header.map(() => "---")), ...rows.map(row)];
}

function scenarioCell(name: string, title: string): string {
  return `${title} (\`${name}\`)`;
}

function throughputTable(results: readonly ThroughputResult[], against: boolean, judge: boolean): string[] {
  if (!against) {
    return table(
      ["scenario", "req/s", "p50 ms", "p99 ms"],
      results.map(({ scenario, rounds }) => {
        const ours = rounds.get("ours")!;
        return [scenarioCell(scenario.name, scenario.title), format.rate(median(ours.map((r) => r.rps))), ...latencies(ours)];
      }),
    );
  }
  const header = [
    "scenario",
    "ours req/s",
    "original req/s",
    "ratio",
    "ours p50 ms",
    "original p50 ms",
    "ours p99 ms",
    "original p99 ms",
    "ours CPU µs/req",
    "original CPU µs/req",
  ];
  return table(
    judge ? [...header, "target: ratio ≥ 1, p50 ≤ original's"] : header,
    results.map(({ scenario, rounds }) => {
      const ours = rounds.get("ours")!;
      const original = rounds.get("original")!;
      const ratio = median(ours.map((r, i) => r.rps / original[i]!.rps));
      const oursP50 = median(ours.map((r) => r.p50Ms));
      const originalP50 = median(original.map((r) => r.p50Ms));
      const cells = [
        scenarioCell(scenario.name, scenario.title),
        format.rate(median(ours.map((r) => r.rps))),
        format.rate(median(original.map((r) => r.rps))),
        format.ratio(ratio),
        format.ms(oursP50),
        format.ms(originalP50),
        format.ms(median(ours.map((r) => r.p99Ms))),
        format.ms(median(original.map((r) => r.p99Ms))),
        cpuCell(ours),
        cpuCell(original),
      ];
      return judge ? [...cells, verdict({ text: "", met: ratio >= 1 && oursP50 <= originalP50 })] : cells;
    }),
  );
}

/** "Clearly faster": what the issue asks of our HTTP layer against node:http, taken as 10 %. */
const layerTarget = 1.1;

function layerTable(results: readonly ThroughputResult[], judge: boolean): string[] {
  const header = [
    "scenario",
    "placement",
    "ours req/s",
    "on node:http req/s",
    "ratio",
    "ours p50 ms",
    "on node:http p50 ms",
    "ours p99 ms",
    "on node:http p99 ms",
    "ours CPU µs/req",
    "on node:http CPU µs/req",
  ];
  return table(
    judge ? [...header, `target: ratio ≥ ${layerTarget}`] : header,
    results.map(({ scenario, placement, rounds }) => {
      const ours = rounds.get("ours")!;
      const node = rounds.get("ours-on-node-http")!;
      const ratio = median(ours.map((r, i) => r.rps / node[i]!.rps));
      const cells = [
        scenarioCell(scenario.name, scenario.title),
        placement,
        format.rate(median(ours.map((r) => r.rps))),
        format.rate(median(node.map((r) => r.rps))),
        format.ratio(ratio),
        format.ms(median(ours.map((r) => r.p50Ms))),
        format.ms(median(node.map((r) => r.p50Ms))),
        format.ms(median(ours.map((r) => r.p99Ms))),
        format.ms(median(node.map((r) => r.p99Ms))),
        cpuCell(ours),
        cpuCell(node),
      ];
      return judge ? [...cells, verdict({ text: "", met: ratio >= layerTarget })] : cells;
    }),
  );
}

function cpuCell(runs: ReadonlyArray<{ serverCpuUs?: number }>): string {
  const known = runs.flatMap((r) => (r.serverCpuUs === undefined ? [] : [r.serverCpuUs]));
  return known.length === 0 ? "—" : median(known).toFixed(1);
}

function latencies(runs: ReadonlyArray<{ p50Ms: number; p99Ms: number }>): string[] {
  return [format.ms(median(runs.map((r) => r.p50Ms))), format.ms(median(runs.map((r) => r.p99Ms)))];
}

function verdict(target: Target): string {
  const text = target.text === "" ? "" : `${target.text}: `;
  return target.met ? `${text}met` : `${text}**missed**`;
}

function measureTable(input: ReportInput): string[] {
  const kinds = (["ours", "original", "bare", "ours-on-node-http"] as const).filter((kind) =>
    input.measures.some((m) => m.values[kind] !== undefined),
  );
  const header = ["measure", ...kinds.map((kind) => serverLabels[kind]), "ratio"];
  return table(
    input.judge ? [...header, "target"] : header,
    input.measures.map((m) => {
      const cells = [scenarioCell(m.name, m.measure), ...kinds.map((kind) => m.values[kind] ?? "—"), m.ratio];
      return input.judge ? [...cells, m.target === undefined ? "—" : verdict(m.target)] : cells;
    }),
  );
}
