// Our handlers' view of a request (HttpRequest, HttpResponse) over node:http's IncomingMessage and
// ServerResponse, so that the same handlers can be measured on Node's HTTP server and on src/http/
// (the `http-layer` rows). Where node:http decides something itself (framing, refusals, the
// `Connection` and `Keep-Alive` headers it adds), it is left to decide: the point is its cost.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import { formatHead, formatInterimHead } from "../src/http/format-head.js";
import { BodyReadError, type HttpRequest } from "../src/http/http-request.js";
import type { HeaderFields, HttpResponse } from "../src/http/http-response.js";
import { tooLarge } from "../src/http/request-body.js";
import { waitUnlessGone } from "../src/http/wait-unless-gone.js";

const empty = Buffer.alloc(0);
const noLines: readonly (readonly [string, string])[] = [];

/** A request as node:http parsed it; `path` was decoded by src/http/request-target.ts, as ours does. */
export class NodeHttpRequest implements HttpRequest {
  readonly method: string;
  readonly url: string;
  readonly minorVersion: number;
  readonly arrivedAt = performance.now();
  readonly hasBody: boolean;
  private readonly raw: string[];
  private headerObject: Record<string, string> | undefined;
  private bodyPromise: Promise<Buffer> | undefined;

  constructor(
    private readonly message: IncomingMessage,
    readonly path: string,
    readonly wantsUpgrade: boolean,
    private readonly bodyBytes: number,
    /** Called when the body is first read: where `Expect: 100-continue` is answered, as Go does. */
    private readonly beforeBody: () => void,
  ) {
    this.method = message.method ?? "GET";
    this.url = message.url ?? "/";
    this.minorVersion = message.httpVersionMinor;
    this.raw = message.rawHeaders;
    const length = this.header("content-length");
    this.hasBody = this.header("transfer-encoding") !== undefined || (length !== undefined && Number(length) > 0);
  }

  header(name: string): string | undefined {
    const raw = this.raw;
    for (let i = 0; i < raw.length; i += 2) {
      const field = raw[i]!;
      if (field.length === name.length && field.toLowerCase() === name) return raw[i + 1];
    }
    return undefined;
  }

  headerValues(name: string): readonly string[] {
    return this.lines().flatMap(([field, value]) => (field === name ? [value] : []));
  }

  headersStartingWith(prefix: string): readonly (readonly [string, string])[] {
    const raw = this.raw;
    let lines: [string, string][] | undefined;
    for (let i = 0; i < raw.length; i += 2) {
      const field = raw[i]!.toLowerCase();
      if (field.startsWith(prefix)) (lines ??= []).push([field, raw[i + 1]!]);
    }
    return lines ?? noLines;
  }

  get headers(): Readonly<Record<string, string>> {
    if (this.headerObject === undefined) {
      const object = Object.create(null) as Record<string, string>;
      for (const [field, value] of this.lines().reverse()) object[field] = value;
      this.headerObject = object;
    }
    return this.headerObject;
  }

  body(): Promise<Buffer> {
    if (this.bodyPromise !== undefined) return this.bodyPromise;
    const length = Number(this.header("content-length") ?? 0);
    if (!this.hasBody) this.bodyPromise = Promise.resolve(empty);
    else if (this.wantsUpgrade)
      this.bodyPromise = Promise.reject(new BodyReadError("malformed", "the body of an upgrade request is not read on node:http here"));
    else if (length > this.bodyBytes) this.bodyPromise = Promise.reject(tooLarge(this.bodyBytes));
    else {
      this.beforeBody();
      this.bodyPromise = this.collect();
    }
    // A handler that never awaits the promise must not turn a refusal into an unhandled rejection.
    this.bodyPromise.catch(() => {});
    return this.bodyPromise;
  }

  /** The usual node:http way: every chunk kept until the end, then joined. */
  private collect(): Promise<Buffer> {
    const message = this.message;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let total = 0;
      message.on("data", (chunk: Buffer) => {
        total += chunk.length;
        if (total <= this.bodyBytes) chunks.push(chunk);
        else {
          message.removeAllListeners("data");
          message.resume();
          reject(tooLarge(this.bodyBytes));
        }
      });
      message.once("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total)));
      message.once("aborted", () => reject(new BodyReadError("aborted", "the client went away while sending the request body")));
      message.once("error", (error) => reject(new BodyReadError("malformed", `the request body cannot be read: ${error.message}`)));
    });
  }

  private lines(): (readonly [string, string])[] {
    const lines: [string, string][] = [];
    for (let i = 0; i < this.raw.length; i += 2) lines.push([this.raw[i]!.toLowerCase(), this.raw[i + 1]!]);
    return lines;
  }
}

/** What both kinds of answer share: the client going away, waiting, and the end of its input. */
abstract class SocketWatch {
  finished = false;
  status = 0;

  constructor(protected readonly socket: Socket) {}

  get clientGone(): boolean {
    return this.socket.destroyed;
  }

  onClientGone(listener: () => void): () => void {
    if (this.socket.destroyed) {
      listener();
      return () => {};
    }
    const once = (): void => {
      if (!this.finished) listener();
    };
    this.socket.once("close", once);
    return () => this.socket.off("close", once);
  }

  onInputEnd(listener: () => void): void {
    if (this.socket.readableEnded || this.socket.destroyed) {
      listener();
      return;
    }
    let called = false;
    const once = (): void => {
      if (called) return;
      called = true;
      this.socket.off("end", once);
      this.socket.off("close", once);
      listener();
    };
    this.socket.once("end", once);
    this.socket.once("close", once);
  }

  wait(ms: number): Promise<boolean> {
    return waitUnlessGone(this, ms);
  }

  drop(): void {
    if (this.finished) return;
    this.abort();
  }

  abort(): void {
    this.finished = true;
    this.socket.destroy();
  }
}

function bodyLength(status: number, body: string | Uint8Array | undefined): number | undefined {
  if (status < 200 || status === 204 || status === 304) return undefined;
  return body === undefined ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.length;
}

/** An answer written through node:http's ServerResponse. */
export class NodeHttpResponse extends SocketWatch implements HttpResponse {
  private keepAlive = true;
  private continueSent = false;

  constructor(private readonly response: ServerResponse) {
    super(response.socket as Socket);
  }

  send(status: number, headers: HeaderFields, body?: string | Uint8Array): void {
    if (this.finished) return;
    this.finished = true;
    this.status = status;
    const length = bodyLength(status, body);
    const fields: Record<string, string | number> = { ...headers };
    if (length !== undefined) fields["Content-Length"] = length;
    if (!this.keepAlive) fields.Connection = "close";
    this.response.writeHead(status, fields);
    this.response.end(length === undefined ? undefined : body);
  }

  sendInformational(status: number, headers: HeaderFields = {}): void {
    if (this.finished) return;
    // node:http has a call for 100, 102 and 103 only; nothing of the answer is written yet, so the
    // interim head can go to the socket as it does for those.
    if (status === 100) this.continueSent = true;
    this.socket.write(formatInterimHead(status, headers));
  }

  /** The 100 Continue the client asked for with `Expect: 100-continue`, once, when the body is first read. */
  sendExpectedContinue(): void {
    if (this.finished || this.continueSent) return;
    this.continueSent = true;
    this.response.writeContinue();
  }

  closeAfterAnswer(): void {
    this.keepAlive = false;
  }

  /** node:http's parser stays on the socket: a client that sends another request after a fault is still read. */
  takeOver(): { readonly socket: Socket; readonly head: Buffer } {
    this.finished = true;
    return { socket: this.socket, head: empty };
  }
}

/** An answer written straight to a socket node:http has let go of: an upgrade request, or one it refused. */
export class SocketResponse extends SocketWatch implements HttpResponse {
  constructor(
    socket: Socket,
    private readonly head: Buffer,
  ) {
    super(socket);
  }

  send(status: number, headers: HeaderFields, body?: string | Uint8Array): void {
    if (this.finished) return;
    this.finished = true;
    this.status = status;
    const length = bodyLength(status, body);
    this.socket.write(formatHead(status, headers, { length, connection: "close" }));
    if (length !== undefined && length > 0) this.socket.write(body!);
    this.socket.end();
  }

  sendInformational(status: number, headers: HeaderFields = {}): void {
    if (!this.finished) this.socket.write(formatInterimHead(status, headers));
  }

  /** The connection always ends after this answer. */
  closeAfterAnswer(): void {}

  takeOver(): { readonly socket: Socket; readonly head: Buffer } {
    this.finished = true;
    return { socket: this.socket, head: this.head };
  }
}
