// One client connection: reads requests one after another (pipelined ones wait their turn), hands
// each to the server's handler, writes its answer in one piece and keeps the connection for the
// next request unless either side ends it. Deadlines are checked by the server's sweep, not by a
// timer per request, so a request costs no timer at all.
import type { Socket } from "node:net";
import { createChunkedDecoder, type ChunkedDecoder } from "./chunked-body.js";
import type { HttpLimits } from "./limits.js";
import { parseHead, type HeadProblem, type RequestHead } from "./parse-head.js";
import { BodyReadError, type HttpRequest } from "./http-request.js";
import type { HeaderFields, HttpResponse } from "./http-response.js";
import { formatHead, formatInterimHead } from "./format-head.js";

export interface ConnectionHandlers {
  /** Answers the request through `res` (now or later); the next request waits until it has. */
  request(req: HttpRequest, res: HttpResponse): void;
  /** Answers a request that cannot be read (the connection closes after it). */
  refused(problem: HeadProblem, res: HttpResponse): void;
}

/** An unread body up to this size is skipped to keep the connection; a larger one closes it (as Go). */
const skippableBodyBytes = 256 * 1024;
/** Past this much queued output, the next pipelined request waits for the client to read. */
const outputHighWater = 1024 * 1024;
const empty = Buffer.alloc(0);
const noLines: readonly (readonly [string, string])[] = [];
const continueLine = "HTTP/1.1 100 Continue\r\n\r\n";
const ignore = (): void => {};

type Phase =
  /** Waiting for the first byte of a request. */
  | "idle"
  /** Some of a request head has arrived. */
  | "head"
  /** A handler has the request. */
  | "handling"
  /** Closed, or handed over to another protocol. */
  | "done";

export class Connection {
  /** Unconsumed input is `input[offset, input.length)`. */
  private input: Buffer = empty;
  private offset = 0;
  private phase: Phase = "idle";
  private current: Exchange | undefined;
  private driving = false;
  private drivePending = false;
  /** `performance.now()` after which the sweep closes the connection. */
  deadline: number;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onClose = (): void => this.closed();

  constructor(
    readonly socket: Socket,
    readonly limits: HttpLimits,
    private readonly handlers: ConnectionHandlers,
    private readonly onDone: (connection: Connection) => void,
  ) {
    this.deadline = performance.now() + limits.idleMs;
    socket.setNoDelay(true);
    socket.on("data", this.onData);
    socket.on("error", ignore);
    socket.on("close", this.onClose);
  }

  /** Called by the server's sweep once the deadline has passed. */
  expire(): void {
    if (this.phase === "handling" && this.current?.readingBody !== true && this.current?.skippingBody !== true) return;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.phase === "done") return;
    if (this.offset >= this.input.length) {
      this.input = chunk;
      this.offset = 0;
    } else {
      this.input = Buffer.concat([this.input.subarray(this.offset), chunk]);
      this.offset = 0;
    }
    if (this.phase === "handling") {
      const exchange = this.current!;
      if (exchange.readingBody) exchange.feedBody();
      else if (exchange.skippingBody) exchange.skipBody();
      // Pipelined requests wait; a client that floods them waits too.
      if (this.phase === "handling" && this.input.length - this.offset > this.limits.headerBytes + this.limits.bodyBytes) {
        this.socket.pause();
      }
      return;
    }
    this.drive();
  }

  /** Parses and dispatches buffered requests until one is in progress or the input runs out. */
  private drive(): void {
    if (this.driving) {
      this.drivePending = true;
      return;
    }
    this.driving = true;
    try {
      do {
        this.drivePending = false;
        this.dispatchNext();
      } while (this.drivePending);
    } finally {
      this.driving = false;
    }
  }

  private dispatchNext(): void {
    if (this.phase === "done" || this.phase === "handling") return;
    if (this.offset >= this.input.length) {
      if (this.phase === "head") this.phase = "idle";
      return;
    }
    if (this.phase === "idle") {
      this.phase = "head";
      this.deadline = performance.now() + this.limits.headersMs;
    }
    const result = parseHead(this.input, this.offset, this.input.length, this.limits.headerBytes);
    if (result.kind === "incomplete") return;
    const exchange = new Exchange(this, result.kind === "head" ? result.head : undefined);
    this.current = exchange;
    this.phase = "handling";
    this.deadline = Infinity;
    if (result.kind === "refused") {
      exchange.closeAfterAnswer();
      this.handlers.refused(result.problem, exchange);
      return;
    }
    this.offset = result.end;
    this.handlers.request(exchange, exchange);
  }

  // ---- what an exchange asks of its connection ----------------------------------------------

  available(): number {
    return this.input.length - this.offset;
  }

  /** Takes `bytes` from the input (the caller checked they are there). */
  consume(bytes: number): Buffer {
    const taken = this.input.subarray(this.offset, this.offset + bytes);
    this.offset += bytes;
    return taken;
  }

  feedChunked(decoder: ChunkedDecoder): ReturnType<ChunkedDecoder["feed"]> {
    const step = decoder.feed(this.input, this.offset, this.input.length);
    if (step.kind !== "refused") this.offset = step.consumed;
    return step;
  }

  bodyDeadline(): void {
    this.deadline = performance.now() + this.limits.bodyMs;
  }

  write(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  /** The exchange's answer is out: end the connection, or read the next request. */
  finished(exchange: Exchange, keepAlive: boolean): void {
    if (this.current !== exchange || this.phase === "done") return;
    if (!keepAlive) {
      this.phase = "done";
      this.socket.end();
      return;
    }
    this.current = undefined;
    this.phase = "idle";
    this.deadline = performance.now() + this.limits.idleMs;
    if (this.socket.isPaused()) this.socket.resume();
    if (this.socket.writableLength > outputHighWater) {
      this.socket.once("drain", () => this.drive());
      return;
    }
    this.drive();
  }

  takeOver(): { socket: Socket; head: Buffer } {
    this.phase = "done";
    const head = this.input.subarray(this.offset);
    this.input = empty;
    this.offset = 0;
    // Only this connection's own listeners: the server's "close" listener must stay, or it would
    // never forget the socket (every WebSocket would stay in its set after closing).
    this.socket.off("data", this.onData);
    this.socket.off("close", this.onClose);
    this.socket.off("error", ignore);
    // The new owner may write to a peer that has gone; that must not become an uncaught error.
    this.socket.on("error", () => this.socket.destroy());
    // As Node's own HTTP server does on an upgrade: nothing is read until the new owner listens.
    (this.socket as { readableFlowing: boolean | null }).readableFlowing = null;
    this.onDone(this);
    return { socket: this.socket, head };
  }

  drop(): void {
    this.phase = "done";
    this.socket.destroy();
  }

  private closed(): void {
    const exchange = this.current;
    this.phase = "done";
    this.current = undefined;
    this.onDone(this);
    exchange?.gone();
  }
}

/** One request and its answer. */
class Exchange implements HttpRequest, HttpResponse {
  readonly method: string;
  readonly url: string;
  readonly path: string;
  readonly minorVersion: number;
  readonly arrivedAt = performance.now();
  readonly wantsUpgrade: boolean;
  readonly hasBody: boolean;
  finished = false;
  clientGone = false;
  status = 0;
  readingBody = false;
  skippingBody = false;
  private keepAlive: boolean;
  private bodyState: "unread" | "reading" | "read" = "unread";
  private bodyPromise: Promise<Buffer> | undefined;
  private resolveBody: ((body: Buffer) => void) | undefined;
  private rejectBody: ((err: BodyReadError) => void) | undefined;
  private decoder: ChunkedDecoder | undefined;
  private continueSent = false;
  private goneListeners: (() => void)[] | undefined;
  private headerObject: Record<string, string> | undefined;
  private skipRemaining = 0;
  private bodyRemaining = 0;
  private bodyParts: Buffer[] | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly head: RequestHead | undefined,
  ) {
    this.method = head?.method ?? "GET";
    this.url = head?.target ?? "/";
    const query = this.url.indexOf("?");
    this.path = query === -1 ? this.url : this.url.slice(0, query);
    this.minorVersion = head?.minorVersion ?? 1;
    this.wantsUpgrade = head?.upgrade ?? false;
    this.hasBody = head !== undefined && (head.chunked || head.contentLength > 0);
    this.keepAlive = head?.keepAlive ?? false;
  }

  // ---- request -------------------------------------------------------------------------------

  header(name: string): string | undefined {
    const head = this.head;
    if (head === undefined) return undefined;
    const names = head.names;
    for (let i = 0; i < names.length; i++) if (names[i] === name) return head.values[i];
    return undefined;
  }

  headerValues(name: string): readonly string[] {
    const head = this.head;
    if (head === undefined) return [];
    return head.values.filter((_, i) => head.names[i] === name);
  }

  headersStartingWith(prefix: string): readonly (readonly [string, string])[] {
    const head = this.head;
    if (head === undefined) return [];
    let lines: [string, string][] | undefined;
    for (let i = 0; i < head.names.length; i++) {
      if (head.names[i]!.startsWith(prefix)) (lines ??= []).push([head.names[i]!, head.values[i]!]);
    }
    return lines ?? noLines;
  }

  get headers(): Readonly<Record<string, string>> {
    if (this.headerObject === undefined) {
      const object: Record<string, string> = Object.create(null) as Record<string, string>;
      const head = this.head;
      if (head !== undefined) for (let i = head.names.length - 1; i >= 0; i--) object[head.names[i]!] = head.values[i]!;
      this.headerObject = object;
    }
    return this.headerObject;
  }

  body(): Promise<Buffer> {
    if (this.bodyPromise !== undefined) return this.bodyPromise;
    const head = this.head!;
    const limit = this.connection.limits.bodyBytes;
    if (!this.hasBody) {
      this.bodyState = "read";
      this.bodyPromise = Promise.resolve(empty);
    } else if (!head.chunked && head.contentLength > limit) {
      this.bodyPromise = Promise.reject(tooLarge(limit));
    } else if (!head.chunked && this.connection.available() >= head.contentLength) {
      // The common case: the whole body came with the head.
      this.bodyState = "read";
      this.bodyPromise = Promise.resolve(this.connection.consume(head.contentLength));
    } else {
      this.bodyState = "reading";
      this.bodyPromise = new Promise<Buffer>((resolve, reject) => {
        this.resolveBody = resolve;
        this.rejectBody = reject;
      });
      if (head.chunked) this.decoder = createChunkedDecoder(limit);
      else this.bodyRemaining = head.contentLength;
      if (head.expectContinue && !this.continueSent) {
        this.continueSent = true;
        this.connection.write(continueLine);
      }
      this.readingBody = true;
      this.connection.bodyDeadline();
      this.feedBody();
    }
    // A handler that never awaits the promise must not turn a refusal into an unhandled rejection.
    this.bodyPromise.catch(() => {});
    return this.bodyPromise;
  }

  /** Called when more input arrived while the body is being read. */
  feedBody(): void {
    if (this.decoder !== undefined) {
      const step = this.connection.feedChunked(this.decoder);
      if (step.kind === "more") return;
      if (step.kind === "refused") {
        this.failBody(
          step.reason === "too-large"
            ? tooLarge(this.connection.limits.bodyBytes)
            : new BodyReadError("malformed", `the chunked request body is malformed: ${step.reason}`),
        );
        return;
      }
      this.completeBody(step.body);
      return;
    }
    // Taken as it arrives, so the connection's input never grows into a copy of the whole body.
    const take = Math.min(this.bodyRemaining, this.connection.available());
    if (take > 0) (this.bodyParts ??= []).push(this.connection.consume(take));
    this.bodyRemaining -= take;
    if (this.bodyRemaining > 0) return;
    const parts = this.bodyParts ?? [];
    this.completeBody(parts.length === 1 ? parts[0]! : Buffer.concat(parts));
  }

  private completeBody(body: Buffer): void {
    this.readingBody = false;
    this.bodyState = "read";
    this.resolveBody!(body);
  }

  private failBody(err: BodyReadError): void {
    this.readingBody = false;
    // What is left of the body cannot be found in the stream: the connection ends with the answer.
    this.keepAlive = false;
    this.rejectBody!(err);
  }

  // ---- response ------------------------------------------------------------------------------

  send(status: number, headers: HeaderFields, body?: string | Uint8Array): void {
    if (this.finished) return;
    this.finished = true;
    this.status = status;
    const keepAlive = this.keepAlive && this.bodySettled();
    const bodyAllowed = status >= 200 && status !== 204 && status !== 304;
    const length = !bodyAllowed || body === undefined ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.length;
    const head = formatHead(status, headers, {
      length: bodyAllowed ? length : undefined,
      connection: !keepAlive ? "close" : this.minorVersion === 0 ? "keep-alive" : undefined,
    });
    if (length === 0 || this.method === "HEAD") {
      this.connection.write(head);
    } else if (typeof body === "string") {
      this.connection.write(head + body);
    } else {
      const headBytes = Buffer.byteLength(head);
      const out = Buffer.allocUnsafe(headBytes + length);
      out.write(head, 0);
      out.set(body!, headBytes);
      this.connection.write(out);
    }
    this.afterAnswer(keepAlive);
  }

  sendInformational(status: number, headers: HeaderFields = {}): void {
    if (this.finished) return;
    // A 100 the handler sends stands for the one `Expect: 100-continue` asked for.
    if (status === 100) this.continueSent = true;
    this.connection.write(formatInterimHead(status, headers));
  }

  closeAfterAnswer(): void {
    this.keepAlive = false;
  }

  onClientGone(listener: () => void): () => void {
    if (this.clientGone) {
      listener();
      return () => {};
    }
    (this.goneListeners ??= []).push(listener);
    return () => {
      const list = this.goneListeners;
      if (list === undefined) return;
      const at = list.indexOf(listener);
      if (at !== -1) list.splice(at, 1);
    };
  }

  wait(ms: number): Promise<boolean> {
    if (this.clientGone) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        remove();
        resolve(true);
      }, ms);
      const remove = this.onClientGone(() => {
        clearTimeout(timer);
        resolve(false);
      });
    });
  }

  drop(): void {
    if (this.finished) return;
    this.finished = true;
    this.connection.drop();
  }

  abort(): void {
    this.finished = true;
    this.connection.drop();
  }

  takeOver(): { socket: Socket; head: Buffer } {
    this.finished = true;
    return this.connection.takeOver();
  }

  /** The connection closed under this exchange. */
  gone(): void {
    this.clientGone = true;
    if (this.readingBody) {
      this.readingBody = false;
      this.rejectBody!(new BodyReadError("aborted", "the client went away while sending the request body"));
    }
    const listeners = this.goneListeners;
    this.goneListeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }

  /**
   * Whether the connection can carry another request after this answer: the body was read, or
   * can be skipped cheaply (a known length, not too big, not held back by an unanswered
   * `Expect: 100-continue`).
   */
  private bodySettled(): boolean {
    if (!this.hasBody || this.bodyState === "read") return true;
    if (this.bodyState === "reading") return false;
    const head = this.head!;
    if (head.chunked || head.contentLength > skippableBodyBytes || (head.expectContinue && !this.continueSent)) return false;
    return true;
  }

  private afterAnswer(keepAlive: boolean): void {
    if (keepAlive && this.hasBody && this.bodyState === "unread") {
      // Skip the body the handler did not read, then go on with the next request.
      this.bodyState = "read";
      this.skipRemaining = this.head!.contentLength;
      this.skippingBody = true;
      this.connection.bodyDeadline();
      this.skipBody();
      return;
    }
    this.connection.finished(this, keepAlive);
  }

  skipBody(): void {
    const take = Math.min(this.skipRemaining, this.connection.available());
    this.connection.consume(take);
    this.skipRemaining -= take;
    if (this.skipRemaining > 0) return;
    this.skippingBody = false;
    this.connection.finished(this, true);
  }
}

function tooLarge(limit: number): BodyReadError {
  return new BodyReadError("too-large", `the request body exceeds the ${limit}-byte limit`);
}
