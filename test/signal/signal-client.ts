// A minimal signal client for wire tests: a real `ws` WebSocket that records every decoded
// SignalResponse and the close with their arrival times.
import { create, fromBinary, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import type { IncomingHttpHeaders } from "node:http";
import { WebSocket } from "ws";
import { SignalRequestSchema, SignalResponseSchema, type SignalResponse } from "../../generated/livekit_rtc_pb.js";

export const signalPaths = ["/rtc", "/rtc/v1"] as const;

export interface Received {
  readonly message: SignalResponse;
  readonly at: number;
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
  readonly at: number;
}

export interface SignalClient {
  readonly ws: WebSocket;
  /** performance.now() just before the handshake began: the server's timers start later. */
  readonly startedAt: number;
  /** performance.now() when the handshake completed. */
  readonly openedAt: number;
  /** The next message not yet taken; rejects after `timeoutMs` or when the socket closes first. */
  next(timeoutMs?: number): Promise<Received>;
  /** Resolves if no message arrives within `ms`; rejects with the message otherwise. */
  silence(ms: number): Promise<void>;
  send(message: NonNullable<MessageInitShape<typeof SignalRequestSchema>["message"]>): void;
  readonly closed: Promise<Closed>;
}

export interface ConnectOptions {
  readonly token?: string;
  readonly query?: Record<string, string>;
  readonly headers?: Record<string, string>;
  readonly perMessageDeflate?: boolean;
}

export class Refused extends Error {
  override name = "Refused";
  constructor(
    readonly status: number,
    readonly body: string,
    readonly headers: IncomingHttpHeaders,
  ) {
    super(`upgrade refused with ${status}: ${body}`);
  }
}

export function signalUrl(base: string, path: string, options: ConnectOptions = {}): string {
  const url = new URL(path, base.replace(/^http/, "ws"));
  if (options.token !== undefined) url.searchParams.set("access_token", options.token);
  for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
  return url.toString();
}

/** Opens a signal WebSocket; rejects with Refused when the server answers the upgrade otherwise. */
export function connect(base: string, path: string, options: ConnectOptions = {}): Promise<SignalClient> {
  const startedAt = performance.now();
  const ws = new WebSocket(signalUrl(base, path, options), {
    headers: options.headers ?? {},
    perMessageDeflate: options.perMessageDeflate ?? true,
  });
  const queue: Received[] = [];
  const waiters: ((r: Received) => void)[] = [];
  let closedInfo: Closed | undefined;
  const closed = new Promise<Closed>((resolve) => {
    ws.on("close", (code, reason) => {
      closedInfo = { code, reason: reason.toString(), at: performance.now() };
      resolve(closedInfo);
    });
  });
  ws.on("message", (data, isBinary) => {
    if (!isBinary) throw new Error(`unexpected text frame ${String(data)}`);
    const received = { message: fromBinary(SignalResponseSchema, data as Buffer), at: performance.now() };
    const waiter = waiters.shift();
    if (waiter !== undefined) waiter(received);
    else queue.push(received);
  });
  const client = (openedAt: number): SignalClient => ({
    ws,
    startedAt,
    openedAt,
    closed,
    next(timeoutMs = 30_000) {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no message within ${timeoutMs} ms`)), timeoutMs);
        const waiter = (r: Received): void => {
          clearTimeout(timer);
          resolve(r);
        };
        waiters.push(waiter);
        void closed.then((c) => {
          clearTimeout(timer);
          if (waiters.includes(waiter)) reject(new Error(`closed (${c.code} ${JSON.stringify(c.reason)}) before the next message`));
        });
      });
    },
    async silence(ms) {
      const deadline = performance.now() + ms;
      while (performance.now() < deadline && closedInfo === undefined) {
        if (queue.length > 0) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      const extra = queue.shift();
      if (extra !== undefined) throw new Error(`expected silence, got ${extra.message.message.case}`);
    },
    send(message) {
      ws.send(toBinary(SignalRequestSchema, create(SignalRequestSchema, { message })));
    },
  });
  return new Promise((resolve, reject) => {
    ws.once("open", () => resolve(client(performance.now())));
    ws.once("unexpected-response", (_req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        reject(new Refused(res.statusCode ?? 0, Buffer.concat(chunks).toString(), res.headers));
        ws.terminate();
      });
    });
    ws.once("error", reject);
  });
}

/** The upgrade's refusal; fails the test if the upgrade succeeds. */
export async function refusal(base: string, path: string, options: ConnectOptions = {}): Promise<Refused> {
  try {
    const client = await connect(base, path, options);
    client.ws.terminate();
  } catch (err) {
    if (err instanceof Refused) return err;
    throw err;
  }
  throw new Error("the upgrade was accepted");
}
