// Resident memory of a server that has started and then sat idle: our server, the original and a
// bare Node HTTP server.
import { setTimeout as sleep } from "node:timers/promises";
import { log } from "./log.js";
import { serverLabels, startServer, type ServerKind, type ServerPaths } from "./servers.js";
import { median } from "./stats.js";

export async function measureIdleMemory(
  paths: ServerPaths,
  kinds: readonly ServerKind[],
  starts: number,
  idleMs: number,
): Promise<Map<ServerKind, number[]>> {
  const results = new Map(kinds.map((kind) => [kind, [] as number[]]));
  for (let i = 0; i < starts; i++) {
    const order = kinds.map((_, k) => kinds[(k + i) % kinds.length]!);
    for (const kind of order) {
      const server = await startServer(kind, paths);
      await sleep(idleMs);
      results.get(kind)!.push(await server.rssBytes());
      await server.stop();
    }
  }
  for (const [kind, sizes] of results) log(`idle RSS ${serverLabels[kind]}: median ${(median(sizes) / 2 ** 20).toFixed(1)} MiB`);
  return results;
}
