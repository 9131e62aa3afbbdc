// Signal connections offering permessage-deflate: the server memory each one costs (RSS growth
// divided by the count, all held open) and how long each takes to join.
import { setTimeout as sleep } from "node:timers/promises";
import { startClient } from "./client-process.js";
import { log } from "./log.js";
import { serverLabels, startServer, type ServerKind, type ServerPaths } from "./servers.js";
import type { SignalConfig, SignalReport } from "./signal-client.js";

export interface SignalSettings {
  readonly paths: ServerPaths;
  readonly kinds: readonly ServerKind[];
  readonly rounds: number;
  readonly count: number;
  readonly settleMs: number;
}

export interface SignalResult extends SignalReport {
  readonly bytesPerConnection: number;
}

export async function measureSignalMemory(settings: SignalSettings): Promise<Map<ServerKind, SignalResult[]>> {
  const results = new Map(settings.kinds.map((kind) => [kind, [] as SignalResult[]]));
  const openFiles = settings.count + 1024;
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? settings.kinds : [...settings.kinds].reverse();
    for (const kind of order) {
      const server = await startServer(kind, settings.paths, { pinned: true, openFiles });
      try {
        const config: SignalConfig = {
          url: `${server.url(0).replace("http:", "ws:")}/rtc`,
          count: settings.count,
          warmup: 5,
          concurrency: 10,
        };
        const client = startClient("signal-client.ts", config, { pinned: true, openFiles });
        await client.message<{ warm: true }>();
        await sleep(settings.settleMs);
        const before = await server.rssBytes();
        client.tell("go");
        const joined = await client.message<SignalReport>();
        await sleep(settings.settleMs);
        const after = await server.rssBytes();
        await client.finish();
        const result = { ...joined, bytesPerConnection: (after - before) / settings.count };
        results.get(kind)!.push(result);
        log(
          `signal round ${round + 1}/${settings.rounds} ${serverLabels[kind]}: ${(result.bytesPerConnection / 1024).toFixed(1)} KiB per connection, ` +
            `join p50 ${result.joinP50Ms.toFixed(1)} ms`,
        );
      } finally {
        await server.stop();
      }
    }
  }
  return results;
}
