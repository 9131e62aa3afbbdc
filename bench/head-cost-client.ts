// Child process of head-cost.ts: sends request heads in small packets, a pause after each, so that
// the server receives them one packet at a time, as from a slow or hostile client.
//   sends one head of the first size unmeasured, then for each size: opens a connection and prints
//   {"ready":true}, waits for "go", sends the head, reads the answer and prints its status and how
//   long the sending took.
import type { Socket } from "node:net";
import { commands, report } from "./client-process.js";
import { host, openConnection, readAnswer } from "./raw-answer.js";

export interface HeadCostConfig {
  readonly port: number;
  /** Bytes of each head, request line to the blank line. */
  readonly sizes: readonly number[];
  readonly packetBytes: number;
  /** Pause after each packet; the server reads each one alone if it keeps up. */
  readonly gapUs: number;
  /** Bytes of each header line. */
  readonly lineBytes: number;
}

export interface HeadCostReport {
  readonly status: number;
  readonly warmupStatus: number;
  readonly packets: number;
  readonly sendMs: number;
}

const config = JSON.parse(process.argv[2]!) as HeadCostConfig;

/** `GET /settings/regions` with `X-Pad-N` fields of `lineBytes` a line, exactly `size` bytes long. */
function paddedHead(size: number): Buffer {
  const start = `GET /settings/regions HTTP/1.1\r\nHost: ${host}:${config.port}\r\n`;
  const lines = [start];
  let length = start.length + 2;
  for (let i = 0; length < size; i++) {
    const name = `X-Pad-${i}: `;
    const line = name + "a".repeat(Math.max(1, Math.min(config.lineBytes, size - length) - name.length - 2)) + "\r\n";
    lines.push(line);
    length += line.length;
  }
  lines.push("\r\n");
  return Buffer.from(lines.join(""), "latin1");
}

// Atomics.wait sleeps without spinning and without the event loop's millisecond timers: each write
// goes to the kernel at once (the loop is not needed for that), then the thread sleeps.
const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** Sends `head` on `socket` a packet at a time; resolves with the answer's status. */
async function send(socket: Socket, head: Buffer): Promise<{ status: number; packets: number; sendMs: number }> {
  const answer = readAnswer(socket);
  const started = performance.now();
  let packets = 0;
  for (let at = 0; at < head.length; at += config.packetBytes) {
    socket.write(head.subarray(at, at + config.packetBytes));
    packets++;
    Atomics.wait(sleeper, 0, 0, config.gapUs / 1000);
  }
  const sendMs = performance.now() - started;
  const status = await answer;
  socket.destroy();
  return { status, packets, sendMs };
}

// A first head, not measured, has each server compile its head reader (V8 and Go's runtime work on
// threads of the process, which the CPU time counts): a one-time cost, not what a head costs.
const warmup = await send(await openConnection(config.port), paddedHead(config.sizes[0]!));
const input = commands();
for (const size of config.sizes) {
  const head = paddedHead(size);
  const socket = await openConnection(config.port);
  report({ ready: true });
  const command = await input.next();
  if (command.done === true) break;
  const result: HeadCostReport = { ...(await send(socket, head)), warmupStatus: warmup.status };
  report(result);
}
