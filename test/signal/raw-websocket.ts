// A bare-bones WebSocket client over TCP, for what `ws` hides: the handshake's exact bytes (header
// lines ws would refuse to send or would merge), whether the server closes TCP on its own after a
// close frame, and which frames arrive compressed.
import { randomBytes } from "node:crypto";
import { connect as tcpConnect, type Socket } from "node:net";
import { constants, inflateRawSync } from "node:zlib";

export interface Frame {
  readonly opcode: number;
  /** As received: still compressed when `compressed`. */
  readonly payload: Buffer;
  /** RSV1: the message is permessage-deflate compressed. */
  readonly compressed: boolean;
  /** performance.now() when the frame was parsed. */
  readonly at: number;
}

export interface RawWebSocket {
  /** The 101 answer's header lines, lower-case names. */
  readonly headers: ReadonlyMap<string, string>;
  /** Sends one masked frame. */
  send(opcode: number, payload: Uint8Array): void;
  /** Frames received so far, then the moment TCP ended; the client never answers a close. */
  readonly ended: Promise<{ frames: Frame[]; at: number }>;
  /** Frames received so far (the array keeps growing). */
  readonly frames: readonly Frame[];
  close(): void;
}

export interface HandshakeAnswer {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
}

export class HandshakeRefused extends Error {
  override name = "HandshakeRefused";
  constructor(readonly answer: HandshakeAnswer) {
    super(`handshake answered ${answer.status}: ${answer.body}`);
  }
}

/** The header lines a well-formed handshake sends; `extra` lines are added after them, as given. */
export function handshakeLines(extra: readonly (readonly [string, string])[] = []): [string, string][] {
  return [
    ["Connection", "Upgrade"],
    ["Upgrade", "websocket"],
    ["Sec-WebSocket-Version", "13"],
    ["Sec-WebSocket-Key", randomBytes(16).toString("base64")],
    ...extra.map(([name, value]) => [name, value] as [string, string]),
  ];
}

function parseHead(head: string): { status: number; headers: Map<string, string> } {
  const [statusLine, ...lines] = head.split("\r\n");
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(":");
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { status: Number(statusLine!.split(" ")[1]), headers };
}

/**
 * `url` is the http:// URL of a signal path with its query. `lines` replaces the handshake's header
 * lines (Host is always sent first). Rejects with HandshakeRefused unless the answer is 101.
 */
export function rawWebSocket(url: string, lines: readonly (readonly [string, string])[] = handshakeLines()): Promise<RawWebSocket> {
  const target = new URL(url);
  const socket: Socket = tcpConnect(Number(target.port), target.hostname);
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  const frames: Frame[] = [];
  return new Promise((resolve, reject) => {
    const ended = new Promise<{ frames: Frame[]; at: number }>((done) =>
      socket.once("close", () => done({ frames, at: performance.now() })),
    );
    socket.on("error", () => {});
    socket.once("connect", () => {
      const header = lines.map(([name, value]) => `${name}: ${value}\r\n`).join("");
      socket.write(`GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\n${header}\r\n`);
    });
    socket.once("close", () => {
      if (upgraded) return;
      const text = buffer.toString();
      const end = text.indexOf("\r\n\r\n");
      if (end === -1) {
        reject(new Error(`connection closed before an answer: ${JSON.stringify(text)}`));
        return;
      }
      const { status, headers } = parseHead(text.slice(0, end));
      reject(new HandshakeRefused({ status, headers, body: text.slice(end + 4) }));
    });
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end === -1) return;
        const { status, headers } = parseHead(buffer.subarray(0, end).toString());
        if (status !== 101) {
          // A refusal: complete once its body is (Go keeps the connection open after one).
          const length = Number(headers.get("content-length") ?? NaN);
          const body = buffer.subarray(end + 4);
          if (Number.isNaN(length) || body.length < length) return;
          reject(new HandshakeRefused({ status, headers, body: body.subarray(0, length).toString() }));
          upgraded = true;
          socket.destroy();
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        resolve({ headers, send, ended, frames, close: () => socket.destroy() });
      }
      // Unmasked server frames.
      while (buffer.length >= 2) {
        let length = buffer[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        } else if (length === 127) {
          if (buffer.length < 10) return;
          length = Number(buffer.readBigUInt64BE(2));
          offset = 10;
        }
        if (buffer.length < offset + length) return;
        frames.push({
          opcode: buffer[0]! & 0x0f,
          compressed: (buffer[0]! & 0x40) !== 0,
          payload: buffer.subarray(offset, offset + length),
          at: performance.now(),
        });
        buffer = buffer.subarray(offset + length);
      }
    });
  });

  function send(opcode: number, payload: Uint8Array): void {
    const mask = randomBytes(4);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    let head: Buffer;
    if (payload.length < 126) head = Buffer.of(0x80 | opcode, 0x80 | payload.length);
    else if (payload.length < 65536) head = Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    else {
      head = Buffer.alloc(10);
      head[0] = 0x80 | opcode;
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(payload.length), 2);
    }
    socket.write(Buffer.concat([head, mask, masked]));
  }
}

/** The message a frame carries, inflated when it was compressed (permessage-deflate, RFC 7692). */
export function framePayload(frame: Frame): Buffer {
  if (!frame.compressed) return frame.payload;
  // A message ends with an empty stored block whose last four bytes the sender leaves out.
  return inflateRawSync(Buffer.concat([frame.payload, Buffer.of(0x00, 0x00, 0xff, 0xff)]), { finishFlush: constants.Z_SYNC_FLUSH });
}

/** A raw handshake's answer, whatever its status; the socket is closed after it. */
export async function rawHandshake(url: string, lines: readonly (readonly [string, string])[]): Promise<HandshakeAnswer> {
  try {
    const ws = await rawWebSocket(url, lines);
    ws.close();
    return { status: 101, headers: ws.headers, body: "" };
  } catch (err) {
    if (err instanceof HandshakeRefused) return err.answer;
    throw err;
  }
}
