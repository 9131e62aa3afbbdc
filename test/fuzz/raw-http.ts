// An HTTP/1.1 client that sends exactly the bytes it is given (any method, target, header name or
// value, body, or raw garbage) and reads one answer back, reusing a kept-alive connection per port.
// fetch and node:http refuse to send most of what a fuzzer wants to send.
import { connect, type Socket } from "node:net";

export interface RawRequest {
  readonly method: string;
  /** The request target, sent verbatim. */
  readonly target: string;
  /** Sent verbatim, in order; a value may hold any bytes. */
  readonly headers: readonly (readonly [string, string | Uint8Array])[];
  readonly body?: Uint8Array;
}

export type Answer =
  | {
      readonly kind: "response";
      readonly status: number;
      /** Lower-case names. */
      readonly headers: ReadonlyMap<string, readonly string[]>;
      readonly body: Buffer;
    }
  /** The server closed the connection without (the rest of) an answer. */
  | { readonly kind: "closed"; readonly partial: Buffer }
  | { readonly kind: "timeout" };

export interface SendOptions {
  /** Default 30 s: a timeout is a finding, so only a case that may go unanswered waits less. */
  readonly timeoutMs?: number;
  /** Half-close the connection after writing, so a server waiting for more bytes sees the end. */
  readonly endAfterWrite?: boolean;
}

export interface RawHttpClient {
  send(port: number, request: RawRequest | Uint8Array, options?: SendOptions): Promise<Answer>;
  /** Requests sent so far. */
  readonly sent: number;
  close(): void;
}

export function encodeRequest(request: RawRequest): Buffer {
  const parts: Buffer[] = [Buffer.from(`${request.method} ${request.target} HTTP/1.1\r\nHost: 127.0.0.1\r\n`, "latin1")];
  for (const [name, value] of request.headers) {
    parts.push(
      Buffer.from(`${name}: `, "latin1"),
      typeof value === "string" ? Buffer.from(value) : Buffer.from(value),
      Buffer.from("\r\n"),
    );
  }
  if (request.body !== undefined) parts.push(Buffer.from(`Content-Length: ${request.body.length}\r\n`));
  parts.push(Buffer.from("\r\n"));
  if (request.body !== undefined) parts.push(Buffer.from(request.body));
  return Buffer.concat(parts);
}

interface Pooled {
  readonly socket: Socket;
  buffer: Buffer;
  closed: boolean;
  onChange: (() => void) | undefined;
}

export function createRawHttpClient(): RawHttpClient {
  const idle = new Map<number, Pooled>();
  let sent = 0;

  function open(port: number): Promise<Pooled> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: "127.0.0.1", port });
      const pooled: Pooled = { socket, buffer: Buffer.alloc(0), closed: false, onChange: undefined };
      socket.setNoDelay(true);
      socket.once("connect", () => resolve(pooled));
      socket.on("data", (chunk: Buffer) => {
        pooled.buffer = pooled.buffer.length === 0 ? chunk : Buffer.concat([pooled.buffer, chunk]);
        pooled.onChange?.();
      });
      socket.on("error", (err) => {
        if (!socket.connecting) return;
        reject(err);
      });
      socket.on("close", () => {
        pooled.closed = true;
        pooled.onChange?.();
      });
    });
  }

  async function send(port: number, request: RawRequest | Uint8Array, options: SendOptions = {}): Promise<Answer> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    let conn = options.endAfterWrite === true ? undefined : idle.get(port);
    if (options.endAfterWrite !== true) idle.delete(port);
    if (conn === undefined || conn.closed || conn.buffer.length > 0) {
      conn?.socket.destroy();
      conn = await open(port);
    }
    const pooled = conn;
    sent++;
    const bytes = request instanceof Uint8Array ? request : encodeRequest(request);
    const headRequest = !(request instanceof Uint8Array) && request.method === "HEAD";
    return new Promise<Answer>((resolve) => {
      const timer = setTimeout(() => finish({ kind: "timeout" }, false), timeoutMs);
      const finish = (answer: Answer, reusable: boolean): void => {
        clearTimeout(timer);
        pooled.onChange = undefined;
        if (reusable && !pooled.closed) idle.set(port, pooled);
        else pooled.socket.destroy();
        resolve(answer);
      };
      pooled.onChange = () => {
        const parsed = parseAnswer(pooled.buffer, headRequest, pooled.closed);
        if (parsed === undefined) {
          if (pooled.closed) finish({ kind: "closed", partial: pooled.buffer }, false);
          return;
        }
        pooled.buffer = pooled.buffer.subarray(parsed.consumed);
        const connection = parsed.answer.headers.get("connection")?.join(",").toLowerCase() ?? "";
        finish(parsed.answer, options.endAfterWrite !== true && !connection.includes("close") && parsed.answer.status !== 101);
      };
      pooled.socket.write(bytes, () => {});
      if (options.endAfterWrite === true) pooled.socket.end();
    });
  }

  return {
    send,
    get sent() {
      return sent;
    },
    close() {
      for (const conn of idle.values()) conn.socket.destroy();
      idle.clear();
    },
  };
}

/** One complete answer at the start of `buffer` (1xx interim answers skipped), or undefined. */
function parseAnswer(
  buffer: Buffer,
  headRequest: boolean,
  closed: boolean,
): { answer: Answer & { kind: "response" }; consumed: number } | undefined {
  let offset = 0;
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n", offset);
    if (end === -1) return undefined;
    const lines = buffer.subarray(offset, end).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!)?.[1] ?? "0");
    const headers = new Map<string, string[]>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim().toLowerCase();
      const value = Buffer.from(line.slice(colon + 1).trim(), "latin1").toString("utf8");
      headers.set(name, [...(headers.get(name) ?? []), value]);
    }
    const bodyStart = end + 4;
    if (status >= 100 && status < 200 && status !== 101) {
      offset = bodyStart;
      continue;
    }
    const lengthHeader = headers.get("content-length")?.[0];
    if (headRequest || status === 101 || status === 204 || status === 304) {
      return { answer: { kind: "response", status, headers, body: Buffer.alloc(0) }, consumed: bodyStart };
    }
    if (lengthHeader === undefined) {
      // Read to the end of the connection.
      if (!closed) return undefined;
      return { answer: { kind: "response", status, headers, body: buffer.subarray(bodyStart) }, consumed: buffer.length };
    }
    const length = Number(lengthHeader);
    if (buffer.length < bodyStart + length) return undefined;
    return {
      answer: { kind: "response", status, headers, body: buffer.subarray(bodyStart, bodyStart + length) },
      consumed: bodyStart + length,
    };
  }
}
