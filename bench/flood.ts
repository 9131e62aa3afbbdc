// A small request's wait while another client floods the same port: one connection sends pipelined
// requests (or one endless head after another) as fast as the server takes them, and small
// `GET /settings/regions` on a second connection measure how long everyone else waits meanwhile.
import { BenchError } from "./bench-error.js";
import { startClient } from "./client-process.js";
import type { FloodConfig, FloodMode, FloodReport } from "./flood-client.js";
import { eachServerRound, type RoundSettings } from "./server-rounds.js";
import { serverLabels, type ServerKind } from "./servers.js";

export interface FloodSettings extends RoundSettings {
  readonly mode: FloodMode;
  readonly smallCount: number;
  readonly smallIntervalMs: number;
  readonly maxMs: number;
  readonly warmupMs: number;
}

export async function measureFlood(settings: FloodSettings): Promise<Map<ServerKind, FloodReport[]>> {
  return eachServerRound(
    `flood (${settings.mode})`,
    settings,
    { pinned: true },
    async (server) => {
      const config: FloodConfig = {
        port: server.ports[0]!,
        mode: settings.mode,
        smallCount: settings.smallCount,
        smallIntervalMs: settings.smallIntervalMs,
        maxMs: settings.maxMs,
        warmupMs: settings.warmupMs,
      };
      const client = startClient("flood-client.ts", config, { pinned: true });
      const result = await client.message<FloodReport>();
      await client.finish();
      const wrong = Object.entries(result.statuses).filter(([status]) => status !== "200");
      if (wrong.length > 0)
        throw new BenchError(
          `${serverLabels[server.kind]} server, flood: small answers other than 200: ${JSON.stringify(result.statuses)}`,
        );
      return result;
    },
    (r) =>
      `${r.smallCalls} small, p50 ${r.smallP50Ms.toFixed(1)} ms, p99 ${r.smallP99Ms.toFixed(1)} ms; flood ${r.floodPerSecond.toFixed(0)}/s`,
  );
}
