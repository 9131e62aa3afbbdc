// The wrk scenarios, round by round: a fresh server per scenario and round, the servers taking turns
// at going first, a warm-up, then the measured run.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { BenchError } from "./bench-error.js";
import { log } from "./log.js";
import { expectStatus } from "./probe.js";
import type { WrkScenario } from "./scenarios.js";
import { cpuSeconds, serverLabels, startServer, type ServerKind, type ServerPaths } from "./servers.js";
import { signToken, roomCreateClaims, writeTokenFile } from "./tokens.js";
import { runWrk, type WrkResult, type WrkTokens } from "./wrk.js";

export type Placement = "pinned" | "unpinned";

export interface ThroughputSettings {
  readonly paths: ServerPaths;
  readonly kinds: readonly ServerKind[];
  readonly rounds: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  readonly workDir: string;
}

export interface ThroughputResult {
  readonly scenario: WrkScenario;
  readonly placement: Placement;
  /** One result per round for each server measured. */
  readonly rounds: ReadonlyMap<ServerKind, WrkResult[]>;
}

export function wrkThreads(placement: Placement): number {
  return placement === "pinned" ? 1 : Math.min(4, availableParallelism());
}

/** `kindsOf` says which servers measure a scenario (every one of `settings.kinds` by default). */
export async function measureThroughput(
  scenarios: readonly WrkScenario[],
  placement: Placement,
  settings: ThroughputSettings,
  kindsOf: (scenario: WrkScenario) => readonly ServerKind[] = () => settings.kinds,
): Promise<ThroughputResult[]> {
  const results = scenarios.map((scenario) => ({
    scenario,
    placement,
    rounds: new Map(kindsOf(scenario).map((kind) => [kind, [] as WrkResult[]])),
  }));
  const tokens = createTokenPool(settings.workDir);
  for (let round = 0; round < settings.rounds; round++) {
    for (const result of results) {
      const kinds = [...result.rounds.keys()];
      const order = round % 2 === 0 ? kinds : kinds.reverse();
      for (const kind of order) {
        const measured = await measureOnce(kind, result.scenario, placement, settings, tokens);
        result.rounds.get(kind)!.push(measured);
        log(
          `${placement} round ${round + 1}/${settings.rounds} ${result.scenario.name} ${serverLabels[kind]}: ${measured.rps.toFixed(0)} req/s`,
        );
      }
    }
  }
  return results;
}

export interface MeasureOptions {
  readonly nodeFlags?: readonly string[];
  /** SIGTERM lets a profiled server write its profile. */
  readonly stopSignal?: NodeJS.Signals;
}

export async function measureOnce(
  kind: ServerKind,
  scenario: WrkScenario,
  placement: Placement,
  settings: ThroughputSettings,
  tokens: TokenPool,
  options: MeasureOptions = {},
): Promise<WrkResult> {
  for (let attempt = 0; ; attempt++) {
    const server = await startServer(kind, settings.paths, {
      pinned: placement === "pinned",
      ...(options.nodeFlags ? { nodeFlags: options.nodeFlags } : {}),
    });
    try {
      const baseUrl = server.url(0);
      const what = `${serverLabels[kind]} server, ${scenario.name}`;
      const probeToken = scenario.freshTokens ? { Authorization: `Bearer ${signToken(roomCreateClaims, `probe-${attempt}`)}` } : {};
      await expectStatus(what, baseUrl, scenario.request, scenario.expectedStatus, probeToken);
      const run = (seconds: number, slice: WrkTokens | undefined): Promise<WrkResult> =>
        runWrk({
          baseUrl,
          request: scenario.request,
          connections: settings.connections,
          threads: wrkThreads(placement),
          seconds,
          pinned: placement === "pinned",
          workDir: settings.workDir,
          ...(slice === undefined ? {} : { tokens: slice }),
        });
      const slices = scenario.freshTokens ? await tokens.slices(settings.warmupSeconds, settings.seconds) : undefined;
      const warmup = await run(settings.warmupSeconds, slices?.warmup);
      tokens.observe(warmup.rps);
      const cpuBefore = await cpuSeconds(server.pid);
      const unmeasured = await run(settings.seconds, slices?.measured);
      const cpuUsed = (await cpuSeconds(server.pid)) - cpuBefore;
      const measured = { ...unmeasured, serverCpuUs: (cpuUsed * 1e6) / Math.max(1, unmeasured.requests) };
      tokens.observe(measured.rps);
      checkAnswers(what, scenario, measured);
      if (measured.tokensWrapped === 0) return measured;
      if (attempt === 2) throw new BenchError(`${what}: ran out of distinct tokens three times`);
      log(`${what}: tokens reused at ${measured.rps.toFixed(0)} req/s; measuring again with more`);
    } finally {
      await server.stop(options.stopSignal);
    }
  }
}

function checkAnswers(what: string, scenario: WrkScenario, result: WrkResult): void {
  const expectSuccess = scenario.expectedStatus < 400;
  const wrong = expectSuccess ? result.non2xx : result.requests - result.non2xx;
  if (wrong > 0) {
    throw new BenchError(`${what}: ${wrong} of ${result.requests} answers were not ${scenario.expectedStatus} during the measured run`);
  }
}

export interface TokenPool {
  /** Disjoint token slices, each big enough for `seconds` at the fastest rate seen so far (with room to spare). */
  slices(warmupSeconds: number, seconds: number): Promise<{ warmup: WrkTokens; measured: WrkTokens }>;
  observe(rps: number): void;
}

// One file serves every run: each server process is new, so tokens only must not repeat within a run.
export function createTokenPool(workDir: string): TokenPool {
  const file = join(workDir, "tokens.txt");
  let written = 0;
  let fastest = 20_000;
  let generation = 0;
  return {
    async slices(warmupSeconds, seconds) {
      // A fractional run is a whole-second wrk run stopped early, and stops a little late: a slice
      // lasts at least a second at the fastest rate seen.
      const warmupCount = Math.ceil(fastest * 1.5 * Math.max(1, warmupSeconds)) + 1000;
      const measuredCount = Math.ceil(fastest * 1.5 * Math.max(1, seconds)) + 1000;
      const needed = warmupCount + measuredCount;
      if (needed > written) {
        log(`signing ${needed} tokens`);
        await writeTokenFile(file, needed, `g${generation++}`);
        written = needed;
      }
      return { warmup: { file, first: 0, count: warmupCount }, measured: { file, first: warmupCount, count: measuredCount } };
    },
    observe(rps) {
      fastest = Math.max(fastest, rps);
    },
  };
}
