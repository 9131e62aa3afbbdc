// A bare-bones WebSocket client over TCP, for what `ws` hides: whether the server closes TCP on its
// own after a close frame, without waiting for the client's reply.
import { randomBytes } from "node:crypto";
import { connect as tcpConnect, type Socket } from "node:net";

export interface Frame {
  readonly opcode: number;
  readonly payload: Buffer;
}

export interface RawWebSocket {
  /** Sends one masked frame. */
  send(opcode: number, payload: Uint8Array): void;
  /** Frames received so far, then the moment TCP ended; the client never answers a close. */
  readonly ended: Promise<{ frames: Frame[]; at: number }>;
}

/** `url` is the http:// URL of a signal path with its query. Rejects unless the answer is 101. */
export function rawWebSocket(url: string): Promise<RawWebSocket> {
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
      socket.write(
        `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n` +
          `Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\n\r\n`,
      );
    });
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (!upgraded) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end === -1) return;
        const status = buffer.subarray(0, end).toString().split(" ")[1];
        if (status !== "101") {
          reject(new Error(`handshake answered ${status}`));
          socket.destroy();
          return;
        }
        upgraded = true;
        buffer = buffer.subarray(end + 4);
        resolve({ send, ended });
      }
      // Unmasked server frames with payloads below 64 KiB.
      while (buffer.length >= 2) {
        let length = buffer[1]! & 0x7f;
        let offset = 2;
        if (length === 126) {
          if (buffer.length < 4) return;
          length = buffer.readUInt16BE(2);
          offset = 4;
        }
        if (buffer.length < offset + length) return;
        frames.push({ opcode: buffer[0]! & 0x0f, payload: buffer.subarray(offset, offset + length) });
        buffer = buffer.subarray(offset + length);
      }
    });
  });

  function send(opcode: number, payload: Uint8Array): void {
    if (payload.length > 125) throw new Error("payload too long for this client");
    const mask = randomBytes(4);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    socket.write(Buffer.concat([Buffer.of(0x80 | opcode, 0x80 | payload.length), mask, masked]));
  }
}
