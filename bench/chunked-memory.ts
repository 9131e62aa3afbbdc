// What a body sent in one-byte chunks costs in memory: the server's peak RSS while it reads and
// answers one, minus its RSS just before, per byte of body. Each chunk costs six bytes on the wire
// (`1\r\nX\r\n`); a decoder that keeps each chunk as its own object costs far more than its byte.
import { setTimeout as sleep } from "node:timers/promises";
import { BenchError } from "./bench-error.js";
import type { ChunkedMemoryConfig, ChunkedMemoryReport } from "./chunked-memory-client.js";
import { startClient } from "./client-process.js";
import { peakRssBytes, resetPeakRss } from "./process-usage.js";
import { eachServerRound, type RoundSettings } from "./server-rounds.js";
import { serverLabels, type ServerKind } from "./servers.js";

export interface ChunkedMemorySettings extends RoundSettings {
  readonly bodyBytes: number;
  /** Quiet time after the warm-up, before the RSS is read. */
  readonly settleMs: number;
}

export interface ChunkedMemoryResult {
  /** Peak RSS growth per byte of body. */
  readonly bytesPerBodyByte: number;
}

export async function measureChunkedMemory(settings: ChunkedMemorySettings): Promise<Map<ServerKind, ChunkedMemoryResult[]>> {
  return eachServerRound(
    "chunk-rss",
    settings,
    { pinned: true },
    async (server) => {
      const config: ChunkedMemoryConfig = { port: server.ports[0]!, bodyBytes: settings.bodyBytes };
      const client = startClient("chunked-memory-client.ts", config, { pinned: true });
      await client.message<{ warm: true }>();
      await sleep(settings.settleMs);
      const before = await server.rssBytes();
      await resetPeakRss(server.pid);
      client.tell("go");
      const result = await client.message<ChunkedMemoryReport>();
      const peak = await peakRssBytes(server.pid);
      await client.finish();
      const statuses = [...result.warmupStatuses, result.status];
      if (statuses.some((status) => status !== 200))
        throw new BenchError(`${serverLabels[server.kind]} server, chunk-rss: answered ${statuses.join(", ")}, expected 200 each`);
      return { bytesPerBodyByte: (peak - before) / settings.bodyBytes };
    },
    (r) => `${r.bytesPerBodyByte.toFixed(1)} bytes of peak RSS per body byte`,
  );
}
