// Start to every region answering: spawn → all four ports answer `/settings/regions`, for our server,
// the original, and a bare Node HTTP server (what any Node server pays before its own code runs).
import { log } from "./log.js";
import { serverLabels, startServer, type ServerKind, type ServerPaths } from "./servers.js";
import { median } from "./stats.js";

export async function measureStartTime(
  paths: ServerPaths,
  kinds: readonly ServerKind[],
  starts: number,
): Promise<Map<ServerKind, number[]>> {
  const results = new Map(kinds.map((kind) => [kind, [] as number[]]));
  for (let i = 0; i < starts; i++) {
    // Rotating who starts first spreads out whatever the previous start left in the caches.
    const order = kinds.map((_, k) => kinds[(k + i) % kinds.length]!);
    for (const kind of order) {
      const server = await startServer(kind, paths);
      results.get(kind)!.push(server.readyMs);
      await server.stop();
    }
  }
  for (const [kind, times] of results) log(`start ${serverLabels[kind]}: median ${median(times).toFixed(1)} ms over ${times.length}`);
  return results;
}
