// Child process of burst.ts: opens every call of the burst as fast as it can over raw TCP and
// reports how late each answer came relative to its own send time plus the requested delay.
// Raw sockets keep the client's own cost per call far below node:http's.
import { connect } from "node:net";
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { report } from "./client-process.js";
import { percentile } from "./stats.js";

export interface BurstConfig {
  readonly port: number;
  readonly count: number;
  readonly delayMs: number;
  readonly warmup: number;
}

export interface BurstReport {
  readonly answered: number;
  readonly failed: number;
  readonly failures: Record<string, number>;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  /** How long the client took to open every connection. */
  readonly openMs: number;
}

const config = JSON.parse(process.argv[2]!) as BurstConfig;
const host = "127.0.0.1";

function callText(delayMs: number): string {
  const mock = JSON.stringify({ skipAuth: true, delayMs });
  return (
    `POST /twirp/livekit.RoomService/ListRooms HTTP/1.1\r\nHost: ${host}:${config.port}\r\nContent-Type: application/json\r\n` +
    `X-Lk-Mock: ${mock}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`
  );
}

/** Resolves with the time the first byte of the answer arrived, or rejects with why it never did. */
function call(text: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect(config.port, host);
    socket.once("connect", () => socket.write(text));
    socket.once("data", (chunk: Buffer) => {
      const at = performance.now();
      socket.destroy();
      const status = chunk.subarray(9, 12).toString();
      if (status === "200") resolve(at);
      else reject(new Error(`status ${status}`));
    });
    socket.once("error", (error: NodeJS.ErrnoException) => reject(new Error(error.code ?? error.message)));
    socket.once("close", () => reject(new Error("closed without an answer")));
  });
}

// Connections are opened in small batches, each batch's send time taken just before it: Node
// connects on the next tick, so one timestamp for thousands of sockets would blame the server for
// the client's own loop.
const batch = 50;

async function burst(count: number, delayMs: number): Promise<{ lateness: number[]; failures: Record<string, number>; openMs: number }> {
  const text = callText(delayMs);
  const lateness: number[] = [];
  const failures: Record<string, number> = {};
  const pending: Array<Promise<void>> = [];
  const started = performance.now();
  for (let i = 0; i < count; i += batch) {
    for (let j = i; j < Math.min(count, i + batch); j++) {
      const sent = performance.now();
      pending.push(
        call(text).then(
          (at) => void lateness.push(at - sent - delayMs),
          (error: Error) => void (failures[error.message] = (failures[error.message] ?? 0) + 1),
        ),
      );
    }
    await yieldToLoop();
  }
  const openMs = performance.now() - started;
  await Promise.all(pending);
  return { lateness, failures, openMs };
}

await burst(config.warmup, 10);
const { lateness, failures, openMs } = await burst(config.count, config.delayMs);
const result: BurstReport = {
  answered: lateness.length,
  failed: config.count - lateness.length,
  failures,
  p50Ms: percentile(lateness, 50),
  p99Ms: percentile(lateness, 99),
  maxMs: percentile(lateness, 100),
  openMs,
};
report(result);
