// A raw TCP client for tests that must see exactly what went over the wire: bytes, how the
// connection ended (FIN, reset, still open) and when.
import { connect } from "node:net";

export interface RawExchange {
  /** Everything received, as latin1 text (bytes stay bytes). */
  readonly text: string;
  readonly bytes: Buffer;
  /** "end": the server closed; "reset": ECONNRESET; "open": still open when the wait ended. */
  readonly ending: "end" | "reset" | "open";
  /** Milliseconds from the request's last byte until the ending (or the wait's end). */
  readonly ms: number;
  /** Milliseconds until the first byte arrived, when any did. */
  readonly firstByteMs: number | undefined;
}

/**
 * Sends `request` on a new connection and collects the answer until the server ends it or `waitMs`
 * pass. Only a test that expects the connection to stay open (a hang) should pass a short wait; the
 * default only turns a server that never closes into an "open" ending.
 */
export function rawExchange(port: number, request: string | Buffer, waitMs = 30_000): Promise<RawExchange> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    let sentAt = 0;
    let firstByteMs: number | undefined;
    let ending: RawExchange["ending"] = "open";
    const finish = (): void => {
      clearTimeout(timer);
      const bytes = Buffer.concat(chunks);
      resolve({ text: bytes.toString("latin1"), bytes, ending, ms: performance.now() - sentAt, firstByteMs });
    };
    const timer = setTimeout(() => {
      socket.removeAllListeners("close");
      socket.destroy();
      finish();
    }, waitMs);
    socket.on("connect", () => {
      socket.write(request);
      sentAt = performance.now();
    });
    socket.on("data", (chunk: Buffer) => {
      firstByteMs ??= performance.now() - sentAt;
      chunks.push(chunk);
    });
    socket.on("error", (err: NodeJS.ErrnoException) => {
      if (err.code === "ECONNRESET") ending = "reset";
    });
    socket.on("end", () => {
      if (ending === "open") ending = "end";
    });
    socket.on("close", () => {
      if (ending === "open") ending = "end";
      finish();
    });
  });
}

/** A raw Twirp JSON POST with the given control header. */
export function rawTwirp(key: string, control: object, body = "{}", extraHeaders = ""): string {
  return (
    `POST /twirp/${key} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Lk-Mock: ${JSON.stringify(control)}\r\n` +
    `${extraHeaders}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}
