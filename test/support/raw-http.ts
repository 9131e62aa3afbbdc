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
 * default only turns a server that never closes into an "open" ending. `halfClose` sends FIN right
 * after the request, as `nc -N` does, while still reading.
 */
export function rawExchange(port: number, request: string | Buffer, waitMs = 30_000, halfClose = false): Promise<RawExchange> {
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
      if (halfClose) socket.end();
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

export interface RawAnswer {
  readonly status: number;
  /** The status line and header lines. */
  readonly head: string;
  readonly body: string;
}

/**
 * The final answers in `text`, in order, each framed by its Content-Length, as an HTTP client reads
 * them: interim 1xx answers (a 100 Continue) are passed over.
 */
export function answersIn(text: string): RawAnswer[] {
  const found: RawAnswer[] = [];
  let rest = text;
  while (rest.startsWith("HTTP/1.1 ")) {
    const headEnd = rest.indexOf("\r\n\r\n");
    if (headEnd === -1) break;
    const head = rest.slice(0, headEnd);
    const status = Number(rest.slice(9, 12));
    const length = status < 200 ? 0 : Number(/\r\nContent-Length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (status >= 200) found.push({ status, head, body: rest.slice(headEnd + 4, headEnd + 4 + length) });
    rest = rest.slice(headEnd + 4 + length);
  }
  return found;
}
