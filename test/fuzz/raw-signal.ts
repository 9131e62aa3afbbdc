// A WebSocket client on a bare TCP socket for the signal fuzzer: it sends any handshake headers and
// any bytes after the upgrade (malformed frames, lying lengths, unmasked frames), and reads the
// server's frames and how the connection ended.
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";

export interface ServerFrame {
  readonly opcode: number;
  readonly payload: Buffer;
}

export interface SignalConnection {
  /** The handshake's status (101 when upgraded), and the body of a refusal. */
  readonly status: number;
  readonly refusalBody: string;
  readonly frames: readonly ServerFrame[];
  readonly socket: Socket;
  /** Resolves once TCP has closed. */
  readonly closed: Promise<void>;
  /** Resolves with the first server frame, or undefined after `ms` or when the connection ends. */
  firstFrame(ms: number): Promise<ServerFrame | undefined>;
}

let opened = 0;

/** Signal connections opened so far (each is one HTTP request, the handshake). */
export function signalConnectionsOpened(): number {
  return opened;
}

export function openSignal(
  port: number,
  target: string,
  extraHeaders: readonly (readonly [string, string])[] = [],
  timeoutMs = 30_000,
): Promise<SignalConnection> {
  opened++;
  const socket = connect({ host: "127.0.0.1", port });
  socket.on("error", () => {});
  let buffer = Buffer.alloc(0);
  const frames: ServerFrame[] = [];
  const frameWaiters: (() => void)[] = [];
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()));
  void closed.then(() => frameWaiters.splice(0).forEach((w) => w()));
  return new Promise((resolve, reject) => {
    let handshake: { status: number; refusalBody: string } | undefined;
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no handshake answer from ${target} within ${timeoutMs} ms`));
    }, timeoutMs);
    void closed.then(() => {
      if (handshake !== undefined) return;
      clearTimeout(timer);
      reject(new Error(`connection closed before a handshake answer: ${JSON.stringify(buffer.toString("latin1").slice(0, 100))}`));
    });
    socket.once("connect", () => {
      const headers = [
        ["Host", `127.0.0.1:${port}`],
        ["Connection", "Upgrade"],
        ["Upgrade", "websocket"],
        ["Sec-WebSocket-Version", "13"],
        ["Sec-WebSocket-Key", randomBytes(16).toString("base64")],
        ...extraHeaders,
      ];
      socket.write(`GET ${target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join("")}\r\n`);
    });
    socket.on("data", (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      if (handshake === undefined) {
        const end = buffer.indexOf("\r\n\r\n");
        if (end === -1) return;
        const head = buffer.subarray(0, end).toString("latin1");
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? "0");
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? "0");
        if (status !== 101 && buffer.length < end + 4 + length) return;
        handshake = { status, refusalBody: status === 101 ? "" : buffer.subarray(end + 4, end + 4 + length).toString("utf8") };
        buffer = buffer.subarray(status === 101 ? end + 4 : buffer.length);
        clearTimeout(timer);
        resolve({
          ...handshake,
          frames,
          socket,
          closed,
          firstFrame: (ms) =>
            frames.length > 0
              ? Promise.resolve(frames[0])
              : new Promise((done) => {
                  const t = setTimeout(() => done(undefined), ms);
                  frameWaiters.push(() => {
                    clearTimeout(t);
                    done(frames[0]);
                  });
                }),
        });
        if (status !== 101) return;
      }
      // Unmasked server frames.
      for (;;) {
        if (buffer.length < 2) return;
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
        frames.push({ opcode: buffer[0]! & 0x0f, payload: buffer.subarray(offset, offset + length) });
        buffer = buffer.subarray(offset + length);
        frameWaiters.splice(0).forEach((w) => w());
      }
    });
  });
}
