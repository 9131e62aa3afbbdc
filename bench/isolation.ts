// Region isolation: while region 0 decodes the largest bodies it accepts, how long do small requests
// to region 1 wait? A server that decodes on the thread serving every region makes them wait for it.
import { BenchError } from "./bench-error.js";
import { startClient } from "./client-process.js";
import type { IsolationConfig, IsolationReport } from "./isolation-client.js";
import { log } from "./log.js";
import { serverLabels, startServer, type ServerKind, type ServerPaths } from "./servers.js";

export interface IsolationSettings {
  readonly paths: ServerPaths;
  readonly kinds: readonly ServerKind[];
  readonly rounds: number;
  /** At least this many small requests; more while no big body of each kind has been answered. */
  readonly smallCount: number;
  readonly smallIntervalMs: number;
  /** Size of the big bodies; the full run uses just under our server's 4 MiB limit (src/http/limits.ts). */
  readonly bodyBytes: number;
}

export async function measureIsolation(settings: IsolationSettings): Promise<Map<ServerKind, IsolationReport[]>> {
  const results = new Map(settings.kinds.map((kind) => [kind, [] as IsolationReport[]]));
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? settings.kinds : [...settings.kinds].reverse();
    for (const kind of order) {
      const server = await startServer(kind, settings.paths, { pinned: true });
      try {
        const config: IsolationConfig = {
          bigUrl: server.url(0),
          smallUrl: server.url(1),
          smallCount: settings.smallCount,
          smallIntervalMs: settings.smallIntervalMs,
          limitBytes: settings.bodyBytes,
        };
        const client = startClient("isolation-client.ts", config, { pinned: true });
        const result = await client.message<IsolationReport>();
        await client.finish();
        const wrong = Object.entries(result.statuses).filter(([status]) => status !== "200");
        if (wrong.length > 0)
          throw new BenchError(`${serverLabels[kind]} server, isolation: answers other than 200: ${JSON.stringify(result.statuses)}`);
        results.get(kind)!.push(result);
        log(
          `isolation round ${round + 1}/${settings.rounds} ${serverLabels[kind]}: ${result.smallCalls} small, p99 ${result.smallP99Ms.toFixed(1)} ms ` +
            `(${result.bigCalls} big bodies, p50 ${result.bigP50Ms.toFixed(0)} ms each)`,
        );
      } finally {
        await server.stop();
      }
    }
  }
  return results;
}
