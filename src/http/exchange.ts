// One request and its answer, as a handler sees them: the head read, the body read on demand, the
// answer written in one piece, and what happens to the connection after it.
import type { Socket } from "node:net";
import { formatHead, formatInterimHead } from "./format-head.js";
import { BodyReadError, type HttpRequest } from "./http-request.js";
import type { HeaderFields, HttpResponse } from "./http-response.js";
import type { InputQueue } from "./input-queue.js";
import type { HttpLimits } from "./limits.js";
import { createLivenessProbe, type LivenessProbe } from "./liveness-probe.js";
import { createChunkedReader, createLengthReader, createSkipper, tooLarge, type BodyReader } from "./request-body.js";
import type { RequestHead } from "./request-head.js";
import { waitUnlessGone } from "./wait-unless-gone.js";

/** What an exchange asks of its connection. */
export interface ExchangeHost {
  readonly limits: HttpLimits;
  readonly input: InputQueue;
  /** Whether the client has sent FIN. */
  readonly clientEnded: boolean;
  write(data: string | Buffer): void;
  /** The body's deadline starts now. */
  bodyDeadline(): void;
  /** The answer is out (and the body read or skipped): end the connection, or read the next request. */
  finished(exchange: Exchange, keepAlive: boolean): void;
  drop(): void;
  takeOver(): { socket: Socket; head: Buffer };
}

/** An unread body up to this size is skipped to keep the connection; a larger one closes it (as Go). */
const skippableBodyBytes = 256 * 1024;
const empty = Buffer.alloc(0);
const noLines: readonly (readonly [string, string])[] = [];
const continueLine = "HTTP/1.1 100 Continue\r\n\r\n";

export class Exchange implements HttpRequest, HttpResponse {
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
  private keepAlive: boolean;
  private bodyState: "unread" | "reading" | "read" = "unread";
  private bodyPromise: Promise<Buffer> | undefined;
  private resolveBody: ((body: Buffer) => void) | undefined;
  private rejectBody: ((err: BodyReadError) => void) | undefined;
  private reader: BodyReader | undefined;
  private skipper: { skip(input: InputQueue): boolean } | undefined;
  private continueSent = false;
  private probe: LivenessProbe | undefined;
  private goneListeners: (() => void)[] | undefined;
  private inputEndListeners: (() => void)[] | undefined;
  private headerObject: Record<string, string> | undefined;

  constructor(
    private readonly host: ExchangeHost,
    private readonly head: RequestHead | undefined,
  ) {
    this.method = head?.method ?? "GET";
    this.url = head?.target ?? "/";
    this.path = head?.path ?? "/";
    this.minorVersion = head?.minorVersion ?? 1;
    this.wantsUpgrade = head?.upgrade ?? false;
    this.hasBody = head !== undefined && (head.chunked || head.contentLength > 0);
    this.keepAlive = head?.keepAlive ?? false;
  }

  /** Whether its body is being read or skipped: the connection's input belongs to it. */
  get readingInput(): boolean {
    return this.reader !== undefined || this.skipper !== undefined;
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
    const limit = this.host.limits.bodyBytes;
    if (!this.hasBody) {
      this.bodyState = "read";
      this.bodyPromise = Promise.resolve(empty);
    } else if (!head.chunked && head.contentLength > limit) {
      this.bodyPromise = Promise.reject(tooLarge(limit));
    } else {
      // Go answers an expected 100 Continue when the body is first read, even one sent already.
      if (head.expectContinue) this.sendExpectedContinue();
      if (!head.chunked && this.host.input.length >= head.contentLength) {
        // The common case: the whole body came with the head.
        this.bodyState = "read";
        this.bodyPromise = Promise.resolve(this.host.input.take(head.contentLength));
        this.bodyPromise.catch(() => {});
        return this.bodyPromise;
      }
      this.bodyState = "reading";
      this.bodyPromise = new Promise<Buffer>((resolve, reject) => {
        this.resolveBody = resolve;
        this.rejectBody = reject;
      });
      this.reader = head.chunked ? createChunkedReader(limit) : createLengthReader(head.contentLength);
      this.host.bodyDeadline();
      this.readBody();
    }
    // A handler that never awaits the promise must not turn a refusal into an unhandled rejection.
    this.bodyPromise.catch(() => {});
    return this.bodyPromise;
  }

  /** More input arrived, or the input ended: the body reading or skipping goes on. */
  inputChanged(): void {
    if (this.reader !== undefined) this.readBody();
    else if (this.skipper !== undefined) this.skipBody();
  }

  private readBody(): void {
    const result = this.reader!.read(this.host.input);
    if (result === undefined) {
      if (!this.host.clientEnded) return;
      this.failBody(new BodyReadError("aborted", "the client ended the connection before the request body was complete"));
    } else if (result instanceof BodyReadError) {
      this.failBody(result);
    } else {
      this.reader = undefined;
      this.bodyState = "read";
      this.resolveBody!(result);
    }
  }

  private failBody(err: BodyReadError): void {
    this.reader = undefined;
    // What is left of the body cannot be found in the stream: the connection ends with the answer.
    this.keepAlive = false;
    this.rejectBody!(err);
  }

  // ---- response ------------------------------------------------------------------------------

  send(status: number, headers: HeaderFields, body?: string | Uint8Array): void {
    if (this.finished) return;
    this.finished = true;
    this.probe?.settle();
    this.status = status;
    const keepAlive = this.keepAlive && this.bodySettled();
    const bodyAllowed = status >= 200 && status !== 204 && status !== 304;
    const length = !bodyAllowed || body === undefined ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.length;
    const head = formatHead(status, headers, {
      length: bodyAllowed ? length : undefined,
      connection: !keepAlive ? "close" : this.minorVersion === 0 ? "keep-alive" : undefined,
    });
    if (length === 0 || this.method === "HEAD") {
      this.host.write(head);
    } else if (typeof body === "string") {
      this.host.write(head + body);
    } else {
      const headBytes = Buffer.byteLength(head);
      const out = Buffer.allocUnsafe(headBytes + length);
      out.write(head, 0);
      out.set(body!, headBytes);
      this.host.write(out);
    }
    this.afterAnswer(keepAlive);
  }

  sendInformational(status: number, headers: HeaderFields = {}): void {
    if (this.finished) return;
    this.probe?.settle();
    // A 100 the handler sends stands for the one `Expect: 100-continue` asked for.
    if (status === 100) this.continueSent = true;
    this.host.write(formatInterimHead(status, headers));
  }

  /** The 100 Continue the client asked for with `Expect: 100-continue`, once. */
  private sendExpectedContinue(): void {
    if (this.finished || this.continueSent) return;
    this.probe?.settle();
    this.continueSent = true;
    this.host.write(continueLine);
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

  onInputEnd(listener: () => void): void {
    if (this.host.clientEnded || this.clientGone) {
      listener();
      return;
    }
    (this.inputEndListeners ??= []).push(listener);
  }

  /** The client sent FIN while this exchange was in progress (docs/spec/http.md#half-close). */
  inputEnded(): void {
    this.inputChanged();
    if (!this.finished && this.minorVersion > 0) {
      this.probe = createLivenessProbe(
        (text) => this.host.write(text),
        () => !this.finished && !this.clientGone,
      );
      this.probe.arm();
    }
    const listeners = this.inputEndListeners;
    this.inputEndListeners = undefined;
    if (listeners !== undefined) for (const listener of listeners) listener();
  }

  wait(ms: number): Promise<boolean> {
    return waitUnlessGone(this, ms);
  }

  drop(): void {
    if (this.finished) return;
    this.finished = true;
    this.probe?.settle();
    this.host.drop();
  }

  abort(): void {
    this.finished = true;
    this.probe?.settle();
    this.host.drop();
  }

  takeOver(): { socket: Socket; head: Buffer } {
    this.finished = true;
    this.probe?.settle();
    return this.host.takeOver();
  }

  /** The connection closed under this exchange. */
  gone(): void {
    this.clientGone = true;
    this.probe?.settle();
    if (this.reader !== undefined) this.failBody(new BodyReadError("aborted", "the client went away while sending the request body"));
    this.skipper = undefined;
    const listeners = [...(this.goneListeners ?? []), ...(this.inputEndListeners ?? [])];
    this.goneListeners = undefined;
    this.inputEndListeners = undefined;
    for (const listener of listeners) listener();
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
      this.skipper = createSkipper(this.head!.contentLength);
      this.host.bodyDeadline();
      this.skipBody();
      return;
    }
    this.host.finished(this, keepAlive);
  }

  private skipBody(): void {
    if (this.skipper!.skip(this.host.input)) {
      this.skipper = undefined;
      this.host.finished(this, true);
    } else if (this.host.clientEnded) {
      this.skipper = undefined;
      this.host.finished(this, false);
    }
  }
}
