// Child process of flood.ts: one connection floods the server as fast as it takes the bytes, while
// small `GET /settings/regions` go on another connection, one every interval; reports the small
// requests' latencies and how much of the flood the server got through meanwhile.
//   pipeline: requests written back to back without waiting for answers (answers read and counted);
//   heads: a head that never ends, until the server refuses it (past its limit) or closes; then again.
import { Agent, request } from "node:http";
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { report } from "./client-process.js";
import { host, openConnection } from "./raw-answer.js";
import { percentile } from "./stats.js";

export type FloodMode = "pipeline" | "heads";

export interface FloodConfig {
  readonly port: number;
  readonly mode: FloodMode;
  readonly smallCount: number;
  readonly smallIntervalMs: number;
  /** Small requests stop after this long even if fewer than `smallCount` were answered: a server may starve them. */
  readonly maxMs: number;
  /** Flooding alone before the first small request. */
  readonly warmupMs: number;
}

export interface FloodReport {
  readonly smallCalls: number;
  readonly smallP50Ms: number;
  readonly smallP99Ms: number;
  /** Status → count of the small requests; anything but 200 is a failed run. */
  readonly statuses: Record<string, number>;
  /** While the small requests ran: pipelined requests answered per second, or bytes of head taken per second. */
  readonly floodPerSecond: number;
}

const config = JSON.parse(process.argv[2]!) as FloodConfig;
let stop = false;
let floodDone = 0;

/** Writes `batch` again each time the socket has taken the last one, until told to stop. */
function pump(socket: Socket, batch: Buffer): void {
  const write = (): void => {
    while (!stop && !socket.destroyed && socket.write(batch));
  };
  socket.on("drain", write);
  write();
}

async function floodPipeline(): Promise<void> {
  const one = `GET /settings/regions HTTP/1.1\r\nHost: ${host}:${config.port}\r\n\r\n`;
  const socket = await openConnection(config.port);
  // Counting status lines is enough: no answer body here holds one. The tail covers a line cut in two.
  const statusLine = Buffer.from("HTTP/1.1 ");
  let tail: Buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    const data = tail.length === 0 ? chunk : Buffer.concat([tail, chunk]);
    for (let at = data.indexOf(statusLine); at !== -1; at = data.indexOf(statusLine, at + 1)) floodDone++;
    tail = data.subarray(Math.max(0, data.length - statusLine.length + 1));
    if (tail.indexOf(statusLine.subarray(0, 1)) === -1) tail = Buffer.alloc(0);
  });
  socket.on("error", () => {});
  pump(socket, Buffer.from(one.repeat(1000)));
}

async function floodHeads(): Promise<void> {
  const start = Buffer.from(`GET /settings/regions HTTP/1.1\r\nHost: ${host}:${config.port}\r\n`);
  const lines = Array.from({ length: 1000 }, (_, i) => `X-Flood-${i}: ${"a".repeat(48)}\r\n`).join("");
  const batch = Buffer.from(lines);
  while (!stop) {
    const socket = await openConnection(config.port).catch(() => undefined);
    if (socket === undefined) continue;
    socket.on("error", () => {});
    // Whatever the server says (a 431, a 400) ends this head: read and forget, wait for the close.
    socket.on("data", () => socket.end());
    const closed = new Promise((resolve) => socket.once("close", resolve));
    socket.write(start);
    pump(socket, batch);
    // Bytes handed to the socket (give or take the last write) count as taken: a server that stops
    // reading soon stops taking them.
    let counted = 0;
    const count = (): void => {
      floodDone += socket.bytesWritten - socket.writableLength - counted;
      counted = socket.bytesWritten - socket.writableLength;
    };
    const counter = setInterval(count, 10);
    await closed;
    clearInterval(counter);
    count();
  }
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const statuses: Record<string, number> = {};
function small(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request({ host, port: config.port, path: "/settings/regions", agent }, (res) => {
      res.resume();
      res.once("end", () => {
        statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
        resolve(performance.now() - started);
      });
    });
    req.once("error", reject);
    req.end();
  });
}

// The small requests' connection is open before the flood starts, so that they measure waiting, not connecting.
await small();
const flooding = config.mode === "pipeline" ? floodPipeline() : floodHeads();
await sleep(config.warmupMs);
const doneBefore = floodDone;
const started = performance.now();
const times: number[] = [];
while (times.length < config.smallCount && performance.now() - started < config.maxMs) {
  await sleep(config.smallIntervalMs);
  times.push(await small());
}
const floodPerSecond = ((floodDone - doneBefore) * 1000) / (performance.now() - started);
stop = true;
agent.destroy();
const result: FloodReport = {
  smallCalls: times.length,
  smallP50Ms: percentile(times, 50),
  smallP99Ms: percentile(times, 99),
  statuses,
  floodPerSecond,
};
report(result);
// The flood's sockets may still be open, or reconnecting; the harness stops the server next.
void flooding;
process.exit(0);
