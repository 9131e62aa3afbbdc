// `npm run bench -- [options]`: our server alone, or side by side with the original Go test server
// (`--against-original`), on the measures and targets of bench/README.md. See it and `--help`.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchError, isBenchError } from "./bench-error.js";
import { measureBurst } from "./burst.js";
import { measureIdleMemory } from "./idle-memory.js";
import { measureIsolation } from "./isolation.js";
import { log } from "./log.js";
import { describeMachine } from "./machine.js";
import { burstRows, idleRssRows, isolationRows, signalRows, startRows } from "./measure-rows.js";
import { parseOptions, usage, type Options } from "./options.js";
import { profileScenario } from "./profile.js";
import { format, renderReport, type MeasureRow } from "./report.js";
import { wrkScenarios } from "./scenarios.js";
import type { ServerKind, ServerPaths } from "./servers.js";
import { measureSignalMemory } from "./signal-memory.js";
import { measureStartTime } from "./start-time.js";
import { measureThroughput, wrkThreads, type Placement, type ThroughputResult, type ThroughputSettings } from "./throughput.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const otherMeasures = ["start", "idle-rss", "burst", "signal", "isolation"] as const;

/** Counts and durations of every measure: full size, or just enough to exercise the code (`--smoke`). */
function sizes(options: Options) {
  const smoke = options.smoke;
  return {
    placements: (smoke ? ["pinned"] : ["pinned", "unpinned"]) as Placement[],
    warmupSeconds: smoke ? 0.1 : 1,
    connections: 64,
    starts: smoke ? 1 : Math.max(7, options.rounds),
    idleStarts: smoke ? 1 : 3,
    idleMs: smoke ? 100 : 1000,
    burstCount: smoke ? 200 : 5000,
    burstDelayMs: smoke ? 200 : 2000,
    signalCount: smoke ? 20 : 500,
    signalSettleMs: smoke ? 50 : 500,
    isolationSmall: smoke ? 5 : 20,
    isolationIntervalMs: smoke ? 20 : 50,
    // Just under our server's 4 MiB body limit (src/http/limits.ts); the smoke run only needs the path to work.
    isolationBodyBytes: smoke ? 256 * 1024 : 4 * 1024 * 1024 - 1024,
  };
}

function buildOriginal(): string {
  try {
    const output = execFileSync("bash", [join(repoRoot, "test/conformance/oracle/build.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
    });
    return output.trim().split("\n").at(-1)!;
  } catch (error) {
    throw new BenchError(`cannot build the original server (it needs Go): ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The command as typed, with the note (already in the header) left out and anything else quoted for a shell. */
function commandLine(argv: readonly string[]): string {
  const words: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--note") i++;
    else if (!arg.startsWith("--note=")) words.push(/^[\w,./=:-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);
  }
  return ["npm run bench --", ...words].join(" ");
}

async function main(argv: readonly string[]): Promise<void> {
  const options = parseOptions(argv);
  if (options.help) {
    console.log(usage);
    return;
  }
  const machine = describeMachine();
  const loadAtStart = loadavg()[0]!;
  const startedAt = new Date();
  if (availableParallelism() < 2) throw new BenchError("the pinned placement needs at least two CPUs");
  const ours = join(repoRoot, "dist/bin/cli.mjs");
  if (!existsSync(ours)) throw new BenchError("dist/bin/cli.mjs is missing: run npm run build (npm run bench does)");
  const against = options.againstOriginal && options.profile === undefined;
  const paths: ServerPaths = against ? { ours, original: buildOriginal() } : { ours };
  const kinds: ServerKind[] = against ? ["ours", "original"] : ["ours"];
  const size = sizes(options);
  const scenarios = wrkScenarios();
  const known = [...scenarios.map((s) => s.name), ...otherMeasures];
  const selected = options.scenarios ?? known;
  const unknown = selected.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new BenchError(`unknown measure ${unknown.join(", ")}; known: ${known.join(", ")}`);
  const workDir = await mkdtemp(join(tmpdir(), "lk-bench-"));
  const settings: ThroughputSettings = {
    paths,
    kinds,
    rounds: options.rounds,
    seconds: options.seconds,
    warmupSeconds: size.warmupSeconds,
    connections: size.connections,
    workDir,
  };
  try {
    if (options.profile !== undefined) {
      const scenario = scenarios.find((s) => s.name === options.profile);
      if (scenario === undefined) throw new BenchError(`--profile takes a wrk scenario: ${scenarios.map((s) => s.name).join(", ")}`);
      const { file, top } = await profileScenario(scenario, settings);
      console.log(`Self time of our server, ${scenario.title}, pinned, ${options.seconds} s (${file}):\n`);
      console.log("| self ms | share | function | location |\n| ---: | ---: | --- | --- |");
      for (const t of top) console.log(`| ${t.ms.toFixed(1)} | ${(t.share * 100).toFixed(1)}% | \`${t.functionName}\` | ${t.location} |`);
      return;
    }
    const judge = against && !options.smoke;
    const throughput: ThroughputResult[] = [];
    const chosen = scenarios.filter((s) => selected.includes(s.name));
    if (chosen.length > 0)
      for (const placement of size.placements) throughput.push(...(await measureThroughput(chosen, placement, settings)));
    const measures: MeasureRow[] = [];
    const withBare: ServerKind[] = [...kinds, "bare"];
    if (selected.includes("start")) measures.push(...startRows(await measureStartTime(paths, withBare, size.starts), judge));
    if (selected.includes("idle-rss"))
      measures.push(...idleRssRows(await measureIdleMemory(paths, withBare, size.idleStarts, size.idleMs), judge));
    if (selected.includes("burst")) {
      const results = await measureBurst({ paths, kinds, rounds: options.rounds, count: size.burstCount, delayMs: size.burstDelayMs });
      measures.push(...burstRows(results, size.burstCount, size.burstDelayMs, judge));
    }
    if (selected.includes("signal")) {
      const results = await measureSignalMemory({
        paths,
        kinds,
        rounds: options.rounds,
        count: size.signalCount,
        settleMs: size.signalSettleMs,
      });
      measures.push(...signalRows(results, size.signalCount, judge));
    }
    if (selected.includes("isolation")) {
      const results = await measureIsolation({
        paths,
        kinds,
        rounds: options.rounds,
        smallCount: size.isolationSmall,
        smallIntervalMs: size.isolationIntervalMs,
        bodyBytes: size.isolationBodyBytes,
      });
      measures.push(...isolationRows(results, size.isolationBodyBytes, judge));
    }
    const report = renderReport({
      machine,
      started: startedAt,
      minutes: (Date.now() - startedAt.getTime()) / 60_000,
      run: [
        `${options.rounds} round${options.rounds === 1 ? "" : "s"}, a fresh server process per scenario and round, the servers alternating who goes first`,
        `wrk: ${size.connections} connections, ${wrkThreads("pinned")} thread pinned / ${wrkThreads("unpinned")} unpinned, ` +
          `${size.warmupSeconds} s warm-up then ${options.seconds} s measured`,
        `start: median of ${size.starts} per server; idle RSS: median of ${size.idleStarts}, read after ${size.idleMs} ms idle (both unpinned)`,
        `burst (${format.rate(size.burstCount)} calls delayed ${size.burstDelayMs} ms), signal (${size.signalCount} connections, 10 joining at a time) and ` +
          `isolation (a small request every ${size.isolationIntervalMs} ms, at least ${size.isolationSmall} and until each big body was answered once, ` +
          `bodies of ${format.rate(size.isolationBodyBytes)} bytes after one of each as warm-up): ` +
          `server on CPU 0, client on CPU 1, once per round`,
        ...(options.smoke ? ["smoke run: sizes far too small to mean anything, no targets judged"] : []),
      ],
      note: options.note,
      load: { start: loadAtStart, end: loadavg()[0]! },
      command: commandLine(argv),
      kinds,
      judge,
      throughput,
      measures,
    });
    process.stdout.write(report);
    // Only a complete comparison replaces the committed result.
    if (against && !options.smoke && options.write && options.scenarios === undefined) {
      const file = join(repoRoot, "bench/results/latest.md");
      await mkdir(join(repoRoot, "bench/results"), { recursive: true });
      await writeFile(file, report);
      log(`wrote ${file}`);
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(
    `bench: ${isBenchError(error) ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
