// Child process of chunked-memory.ts: posts a body in one-byte chunks, as fast as the connection
// takes it, after a warm-up that has the server start whatever it starts on first need.
//   prints {"warm":true} after the warm-up, waits for "go", sends the body, prints the status.
import { commands, report } from "./client-process.js";
import { host, openConnection, readAnswer } from "./raw-answer.js";

export interface ChunkedMemoryConfig {
  readonly port: number;
  /** Bytes of the body, each its own chunk. */
  readonly bodyBytes: number;
}

export interface ChunkedMemoryReport {
  readonly status: number;
  readonly warmupStatuses: readonly number[];
}

const config = JSON.parse(process.argv[2]!) as ChunkedMemoryConfig;
const path = "/twirp/livekit.RoomService/ListRooms";
const fields = `Host: ${host}:${config.port}\r\nContent-Type: application/json\r\nX-Lk-Mock: {"skipAuth":true}\r\n`;

/** A ListRooms request whose one room name makes the body exactly `size` bytes. */
function listRoomsBody(size: number): Buffer {
  const shell = '{"names":[""]}';
  return Buffer.from(`{"names":["${"a".repeat(Math.max(0, size - shell.length))}"]}`);
}

function withLength(body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\n${fields}Content-Length: ${body.length}\r\n\r\n`), body]);
}

function inOneByteChunks(body: Buffer): Buffer {
  const head = Buffer.from(`POST ${path} HTTP/1.1\r\n${fields}Transfer-Encoding: chunked\r\n\r\n`);
  const chunks = Buffer.alloc(body.length * 6);
  for (let i = 0; i < body.length; i++) {
    chunks.write("1\r\n", i * 6, "latin1");
    chunks[i * 6 + 3] = body[i]!;
    chunks.write("\r\n", i * 6 + 4, "latin1");
  }
  return Buffer.concat([head, chunks, Buffer.from("0\r\n\r\n")]);
}

/** Sends `request` on a new connection, 64 KiB a write, waiting for the kernel to take each. */
async function exchange(request: Buffer): Promise<number> {
  const socket = await openConnection(config.port);
  const answer = readAnswer(socket);
  for (let at = 0; at < request.length; at += 65536) {
    if (!socket.write(request.subarray(at, at + 65536))) await new Promise((resolve) => socket.once("drain", resolve));
  }
  const status = await answer;
  socket.destroy();
  return status;
}

// A body of 64 KiB starts what a server starts for large bodies (ours: its decoding worker thread),
// and a chunked one a fifth the size has the chunked path compiled (V8's optimizing compiler takes
// megabytes while it works): one-time costs, not the memory a body takes.
const warmupStatuses = [
  await exchange(withLength(listRoomsBody(64 * 1024))),
  await exchange(inOneByteChunks(listRoomsBody(Math.ceil(config.bodyBytes / 5)))),
];
const request = inOneByteChunks(listRoomsBody(config.bodyBytes));
report({ warm: true });
await commands().next();
const result: ChunkedMemoryReport = { status: await exchange(request), warmupStatuses };
report(result);
