// What reading a head costs when it arrives in small packets: server CPU time per MB of head, at two
// sizes. A reader that is linear in the bytes received costs the same per MB at both; one that
// re-reads what is pending costs more per MB the larger the head.
import { BenchError } from "./bench-error.js";
import { startClient } from "./client-process.js";
import type { HeadCostConfig, HeadCostReport } from "./head-cost-client.js";
import { cpuNanoseconds } from "./process-usage.js";
import { eachServerRound, type RoundSettings } from "./server-rounds.js";
import { serverLabels, type ServerKind } from "./servers.js";

export interface HeadCostSettings extends RoundSettings {
  /** Head sizes in bytes, smaller first. */
  readonly sizes: readonly number[];
  readonly packetBytes: number;
  readonly gapUs: number;
  readonly lineBytes: number;
}

export interface HeadCostResult {
  /** Server CPU milliseconds per MB (10^6 bytes) of head, one per size. */
  readonly cpuMsPerMb: readonly number[];
  readonly sendMs: readonly number[];
}

export async function measureHeadCost(settings: HeadCostSettings): Promise<Map<ServerKind, HeadCostResult[]>> {
  return eachServerRound(
    "head-cpu",
    settings,
    { pinned: true },
    async (server) => {
      const config: HeadCostConfig = {
        port: server.ports[0]!,
        sizes: settings.sizes,
        packetBytes: settings.packetBytes,
        gapUs: settings.gapUs,
        lineBytes: settings.lineBytes,
      };
      const client = startClient("head-cost-client.ts", config, { pinned: true });
      const cpuMsPerMb: number[] = [];
      const sendMs: number[] = [];
      for (const size of settings.sizes) {
        await client.message<{ ready: true }>();
        const before = await cpuNanoseconds(server.pid);
        client.tell("go");
        const result = await client.message<HeadCostReport>();
        const used = (await cpuNanoseconds(server.pid)) - before;
        if (result.status !== 200 || result.warmupStatus !== 200)
          throw new BenchError(
            `${serverLabels[server.kind]} server, head-cpu: heads were answered ${result.warmupStatus} (warm-up) and ${result.status}, expected 200`,
          );
        cpuMsPerMb.push(used / 1e6 / (size / 1e6));
        sendMs.push(result.sendMs);
      }
      await client.finish();
      return { cpuMsPerMb, sendMs };
    },
    (r) =>
      r.cpuMsPerMb
        .map(
          (ms, i) => `${(settings.sizes[i]! / 1000).toFixed(0)} KB ${ms.toFixed(0)} ms CPU per MB (sent in ${r.sendMs[i]!.toFixed(0)} ms)`,
        )
        .join(", "),
  );
}
