// Child process of signal-memory.ts: opens signal WebSockets offering permessage-deflate, as SDKs do,
// and holds them open while the harness reads the server's memory.
//   prints {"warm":true} after the warm-up connections have come and gone, waits for "go",
//   prints the join times once every connection has joined, and closes them all when stdin ends.
import { WebSocket } from "ws";
import { commands, report } from "./client-process.js";
import { median, percentile } from "./stats.js";
import { signToken } from "./tokens.js";

export interface SignalConfig {
  /** ws:// URL of the signal path, without a query. */
  readonly url: string;
  readonly count: number;
  readonly warmup: number;
  /** Connections being opened at the same time. */
  readonly concurrency: number;
}

export interface SignalReport {
  readonly joined: number;
  readonly joinP50Ms: number;
  readonly joinP99Ms: number;
}

const config = JSON.parse(process.argv[2]!) as SignalConfig;
let serial = 0;

/** Resolves with the socket and the time from the start of the handshake to the first binary message. */
function join(): Promise<{ ws: WebSocket; joinMs: number }> {
  const token = signToken({ sub: `bench-${serial}`, video: { roomJoin: true, room: "bench-room" } }, `signal-${serial++}`);
  const started = performance.now();
  const ws = new WebSocket(`${config.url}?access_token=${token}`, { perMessageDeflate: true });
  return new Promise((resolve, reject) => {
    ws.on("message", (_data, isBinary) => {
      if (isBinary) resolve({ ws, joinMs: performance.now() - started });
    });
    ws.on("error", reject);
    ws.once("close", (code) => reject(new Error(`closed with ${code} before joining`)));
    ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
  });
}

async function joinAll(count: number): Promise<Array<{ ws: WebSocket; joinMs: number }>> {
  const joined: Array<{ ws: WebSocket; joinMs: number }> = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      joined.push(await join());
    }
  };
  await Promise.all(Array.from({ length: Math.min(config.concurrency, count) }, worker));
  return joined;
}

function closeAll(sockets: readonly WebSocket[]): Promise<void> {
  return Promise.all(
    sockets.map(
      (ws) =>
        new Promise<void>((resolve) => {
          ws.once("close", () => resolve());
          ws.close(1000);
        }),
    ),
  ).then(() => undefined);
}

const input = commands();
await closeAll((await joinAll(config.warmup)).map((j) => j.ws));
report({ warm: true });
await input.next();
const joined = await joinAll(config.count);
const times = joined.map((j) => j.joinMs);
const result: SignalReport = { joined: joined.length, joinP50Ms: median(times), joinP99Ms: percentile(times, 99) };
report(result);
while (!(await input.next()).done);
for (const { ws } of joined) ws.terminate();
