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
import { measureChunkedMemory } from "./chunked-memory.js";
import { measureFlood } from "./flood.js";
import { measureHeadCost } from "./head-cost.js";
import { burstRows, chunkedRssRows, floodRows, headCpuRows, idleRssRows, isolationRows, signalRows, startRows } from "./measure-rows.js";
import { bundleOursOnNodeHttp } from "./node-http-bundle.js";
import { parseOptions, usage, type Options } from "./options.js";
import { profileScenario } from "./profile.js";
import { format, renderReport, type MeasureRow } from "./report.js";
import { wrkScenarios, type WrkScenario } from "./scenarios.js";
import type { ServerKind, ServerPaths } from "./servers.js";
import { measureSignalMemory } from "./signal-memory.js";
import { measureStartTime } from "./start-time.js";
import { measureThroughput, wrkThreads, type Placement, type ThroughputResult, type ThroughputSettings } from "./throughput.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));
const otherMeasures = [
  "start",
  "idle-rss",
  "burst",
  "signal",
  "isolation",
  "head-cpu",
  "chunk-rss",
  "flood-pipeline",
  "flood-heads",
] as const;
/** The wrk scenarios the `http-layer` measure runs on ours and on ours mounted on node:http. */
const layerScenarios = ["create-room-json", "settings-regions", "failing-region"];

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
    headSizes: smoke ? [8_000, 32_000] : [75_000, 600_000],
    headPacketBytes: 100,
    headGapUs: 100,
    // 1,000-byte lines keep the largest head under 1,000 fields: node:http refuses a head of more
    // fields than that (HPE_HEADER_OVERFLOW) whatever its maxHeaderSize, and every server must be
    // sent the same bytes. The packets, not the lines, are what a re-reading reader repeats work per.
    headLineBytes: 1000,
    chunkedBodyBytes: smoke ? 20_000 : 500_000,
    chunkedSettleMs: smoke ? 50 : 500,
    floodSmall: smoke ? 10 : 200,
    floodIntervalMs: 10,
    floodMaxMs: smoke ? 2_000 : 10_000,
    floodWarmupMs: smoke ? 100 : 300,
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
  const kinds: ServerKind[] = against ? ["ours", "original"] : ["ours"];
  const size = sizes(options);
  const scenarios = wrkScenarios();
  const known = [...scenarios.map((s) => s.name), "http-layer", ...otherMeasures];
  const selected = options.scenarios ?? known;
  const unknown = selected.filter((name) => !known.includes(name));
  if (unknown.length > 0) throw new BenchError(`unknown measure ${unknown.join(", ")}; known: ${known.join(", ")}`);
  const layer = selected.includes("http-layer") && options.profile === undefined;
  const paths: ServerPaths = {
    ours,
    ...(against ? { original: buildOriginal() } : {}),
    ...(layer ? { oursOnNodeHttp: await bundleOursOnNodeHttp() } : {}),
  };
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
    const inLayer = (scenario: WrkScenario): boolean => layer && layerScenarios.includes(scenario.name);
    // A scenario in both is measured once: ours' runs serve both tables, paired round by round.
    const kindsOf = (scenario: WrkScenario): ServerKind[] => [
      ...(selected.includes(scenario.name) ? kinds : ["ours" as const]),
      ...(inLayer(scenario) ? ["ours-on-node-http" as const] : []),
    ];
    const chosen = scenarios.filter((s) => selected.includes(s.name) || inLayer(s));
    if (chosen.length > 0)
      for (const placement of size.placements) throughput.push(...(await measureThroughput(chosen, placement, settings, kindsOf)));
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
    const costs = { paths, kinds: withBare, rounds: options.rounds };
    if (selected.includes("head-cpu")) {
      const results = await measureHeadCost({
        ...costs,
        sizes: size.headSizes,
        packetBytes: size.headPacketBytes,
        gapUs: size.headGapUs,
        lineBytes: size.headLineBytes,
      });
      measures.push(...headCpuRows(results, size.headSizes, size.headPacketBytes, judge));
    }
    if (selected.includes("chunk-rss")) {
      const results = await measureChunkedMemory({ ...costs, bodyBytes: size.chunkedBodyBytes, settleMs: size.chunkedSettleMs });
      measures.push(...chunkedRssRows(results, size.chunkedBodyBytes, judge));
    }
    for (const mode of ["pipeline", "heads"] as const) {
      if (!selected.includes(`flood-${mode}`)) continue;
      const results = await measureFlood({
        ...costs,
        mode,
        smallCount: size.floodSmall,
        smallIntervalMs: size.floodIntervalMs,
        maxMs: size.floodMaxMs,
        warmupMs: size.floodWarmupMs,
      });
      measures.push(...floodRows(mode, results, size.floodSmall, judge));
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
        `HTTP costs (head-cpu, chunk-rss, flood), ours, the original and a bare node:http server, server on CPU 0, client on CPU 1, once per round: ` +
          `heads of ${size.headSizes.map((b) => format.rate(b)).join(" and ")} bytes (fields of ${size.headLineBytes} bytes a line) in ${size.headPacketBytes}-byte packets ` +
          `${size.headGapUs} µs apart; a ${format.rate(size.chunkedBodyBytes)}-byte body in one-byte chunks; ` +
          `${size.floodSmall} small requests ${size.floodIntervalMs} ms apart (for ${size.floodMaxMs / 1000} s at most) during each flood`,
        ...(layer
          ? [`http-layer: ${layerScenarios.join(", ")} on ours and on ours mounted on node:http, in the same rounds as the wrk scenarios`]
          : []),
        ...(options.smoke ? ["smoke run: sizes far too small to mean anything, no targets judged"] : []),
      ],
      note: options.note,
      load: { start: loadAtStart, end: loadavg()[0]! },
      command: commandLine(argv),
      kinds,
      judge,
      throughput: throughput.filter((result) => selected.includes(result.scenario.name)),
      layer: throughput.filter((result) => result.rounds.has("ours-on-node-http")),
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
