// `--profile <scenario>`: one pinned run of our server under `node --cpu-prof`, then the functions
// that spent the most self time, read from the .cpuprofile the server writes as it exits.
import { mkdir, readdir, readFile } from "node:fs/promises";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchError } from "./bench-error.js";
import type { WrkScenario } from "./scenarios.js";
import { createTokenPool, measureOnce, type ThroughputSettings } from "./throughput.js";

interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber: number };
  }>;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface SelfTime {
  readonly functionName: string;
  /** `file:line:column`, relative to the repository when inside it. */
  readonly location: string;
  readonly ms: number;
  readonly share: number;
}

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

export async function profileScenario(scenario: WrkScenario, settings: ThroughputSettings): Promise<{ file: string; top: SelfTime[] }> {
  const dir = join(repoRoot, ".cache", "bench", "profiles", `${scenario.name}-${new Date().toISOString().replace(/[:.]/g, "-")}`);
  await mkdir(dir, { recursive: true });
  await measureOnce("ours", scenario, "pinned", settings, createTokenPool(settings.workDir), {
    nodeFlags: ["--cpu-prof", `--cpu-prof-dir=${dir}`],
    stopSignal: "SIGTERM",
  });
  const files = (await readdir(dir)).filter((name) => name.endsWith(".cpuprofile"));
  if (files.length !== 1) throw new BenchError(`expected one .cpuprofile in ${dir}, found ${files.length}`);
  const file = join(dir, files[0]!);
  return { file, top: selfTimes(JSON.parse(await readFile(file, "utf8")) as CpuProfile).slice(0, 25) };
}

/** Self time per function (name, file, line and column), largest first. */
export function selfTimes(profile: CpuProfile): SelfTime[] {
  const keyOf = new Map<number, string>();
  const frames = new Map<string, { functionName: string; location: string }>();
  for (const node of profile.nodes) {
    const { functionName, url, lineNumber, columnNumber } = node.callFrame;
    const path = url.startsWith("file://") ? relative(repoRoot, fileURLToPath(url)) : url;
    // The bundle is whitespace-minified: many functions share a line, so the column tells them apart.
    const location = path === "" ? "" : `${path}:${lineNumber + 1}:${columnNumber + 1}`;
    const key = `${functionName}\0${location}`;
    keyOf.set(node.id, key);
    frames.set(key, { functionName: functionName === "" ? "(anonymous)" : functionName, location });
  }
  // Each sample stands for the interval up to the next one, as Chrome DevTools counts it.
  const micros = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const delta = profile.timeDeltas[i + 1] ?? 0;
    const key = keyOf.get(profile.samples[i]!)!;
    micros.set(key, (micros.get(key) ?? 0) + delta);
    total += delta;
  }
  return [...micros]
    .map(([key, us]) => ({ ...frames.get(key)!, ms: us / 1000, share: total === 0 ? 0 : us / total }))
    .sort((a, b) => b.ms - a.ms);
}
