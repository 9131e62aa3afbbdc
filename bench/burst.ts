// Thousands of concurrent delayed calls: how late the answers come when every connection arrives at
// once (accept backlog, timers, per-connection cost). Lateness = answer − (send + delay).
import { BenchError } from "./bench-error.js";
import type { BurstConfig, BurstReport } from "./burst-client.js";
import { startClient } from "./client-process.js";
import { log } from "./log.js";
import { serverLabels, startServer, type ServerKind, type ServerPaths } from "./servers.js";

export interface BurstSettings {
  readonly paths: ServerPaths;
  readonly kinds: readonly ServerKind[];
  readonly rounds: number;
  readonly count: number;
  readonly delayMs: number;
}

export async function measureBurst(settings: BurstSettings): Promise<Map<ServerKind, BurstReport[]>> {
  const results = new Map(settings.kinds.map((kind) => [kind, [] as BurstReport[]]));
  // Server and client each hold one descriptor per call, plus their own.
  const openFiles = settings.count + 1024;
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? settings.kinds : [...settings.kinds].reverse();
    for (const kind of order) {
      const server = await startServer(kind, settings.paths, { pinned: true, openFiles });
      try {
        const config: BurstConfig = { port: server.ports[0]!, count: settings.count, delayMs: settings.delayMs, warmup: 50 };
        const client = startClient("burst-client.ts", config, { pinned: true, openFiles });
        const result = await client.message<BurstReport>();
        await client.finish();
        if (result.answered === 0)
          throw new BenchError(`${serverLabels[kind]} server answered none of the burst: ${JSON.stringify(result.failures)}`);
        results.get(kind)!.push(result);
        log(
          `burst round ${round + 1}/${settings.rounds} ${serverLabels[kind]}: lateness p50 ${result.p50Ms.toFixed(0)} ms, ` +
            `p99 ${result.p99Ms.toFixed(0)} ms, ${result.failed} failed, opened in ${result.openMs.toFixed(0)} ms`,
        );
      } finally {
        await server.stop();
      }
    }
  }
  return results;
}
