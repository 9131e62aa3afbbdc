// A tiny Twirp client over fetch for wire tests: it sends exactly what it is told (codec, headers,
// raw bodies) and hands back the raw answer, so tests can assert bytes, statuses and headers.
import assert from "node:assert/strict";
import {
  create,
  fromBinary,
  toBinary,
  type DescMethod,
  type DescMessage,
  type MessageInitShape,
  type MessageShape,
} from "@bufbuild/protobuf";
import type { MockControl } from "../../src/control/control-fields.js";
import { signToken } from "./tokens.js";

export type WireCodec = "json" | "binary";

export interface TwirpOptions {
  /** Default "json". Chooses the Content-Type (unless `contentType` is given) and body encoding. */
  readonly codec?: WireCodec;
  /** Raw Content-Type header; `null` sends none at all. */
  readonly contentType?: string | null;
  readonly headers?: Readonly<Record<string, string>>;
  /** The `X-Lk-Mock` header: an object is JSON-encoded, a string is sent as is. */
  readonly control?: MockControl | string;
  /**
   * The Authorization header value is `Bearer <token>`. Default: a token holding every grant and
   * no room restriction. `null` sends no Authorization header.
   */
  readonly token?: string | null;
  readonly method?: string;
  readonly prefix?: string;
  readonly signal?: AbortSignal;
}

export interface TwirpReply {
  readonly status: number;
  readonly headers: Headers;
  readonly bytes: Buffer;
  readonly text: string;
  /** `X-Lk-Mock-Region`: null when absent, "" when present and empty. */
  readonly region: string | null;
  readonly contentType: string | null;
  json(): any;
}

let adminTokenPromise: Promise<string> | undefined;

/** A token with every grant the mock checks, for any room. */
export function adminToken(): Promise<string> {
  adminTokenPromise ??= signToken({
    identity: "admin",
    video: { roomCreate: true, roomList: true, roomRecord: true, roomAdmin: true, ingressAdmin: true },
    sip: { admin: true, call: true },
  });
  return adminTokenPromise;
}

/**
 * POSTs `body` to `<url><prefix>/<key>`. A JSON body may be an object (stringified), a string or
 * bytes (sent verbatim); a binary body must be bytes.
 */
export async function twirp(url: string, key: string, body: unknown = {}, options: TwirpOptions = {}): Promise<TwirpReply> {
  const codec = options.codec ?? "json";
  const headers: Record<string, string> = {};
  const contentType =
    options.contentType === undefined ? (codec === "json" ? "application/json" : "application/protobuf") : options.contentType;
  if (contentType !== null) headers["Content-Type"] = contentType;
  const token = options.token === undefined ? await adminToken() : options.token;
  if (token !== null) headers["Authorization"] = `Bearer ${token}`;
  if (options.control !== undefined) {
    headers["X-Lk-Mock"] = typeof options.control === "string" ? options.control : JSON.stringify(options.control);
  }
  Object.assign(headers, options.headers);
  const payload: RequestInit["body"] =
    body === undefined ? undefined : typeof body === "string" ? body : body instanceof Uint8Array ? body : JSON.stringify(body);
  const init: RequestInit = { method: options.method ?? "POST", headers };
  if (payload !== undefined && init.method !== "GET" && init.method !== "HEAD") init.body = payload;
  if (options.signal !== undefined) init.signal = options.signal;
  const res = await fetch(`${url}${options.prefix ?? "/twirp"}/${key}`, init);
  return toReply(res);
}

export async function toReply(res: Response): Promise<TwirpReply> {
  const bytes = Buffer.from(await res.arrayBuffer());
  const text = bytes.toString("utf8");
  return {
    status: res.status,
    headers: res.headers,
    bytes,
    text,
    region: res.headers.get("x-lk-mock-region"),
    contentType: res.headers.get("content-type"),
    json: () => JSON.parse(text),
  };
}

/** `livekit.RoomService/CreateRoom` for a generated method descriptor. */
export function keyOf(method: DescMethod): string {
  return `${method.parent.typeName}/${method.name}`;
}

/** A binary-protobuf call built from the generated schemas; the reply is decoded when it is 200. */
export async function twirpBinary<I extends DescMessage, O extends DescMessage>(
  url: string,
  method: DescMethod & { input: I; output: O },
  request: MessageInitShape<I>,
  options: Omit<TwirpOptions, "codec"> = {},
): Promise<TwirpReply & { message: MessageShape<O> | undefined }> {
  const body = toBinary(method.input, create(method.input, request));
  const reply = await twirp(url, keyOf(method), body, { ...options, codec: "binary" });
  const message = reply.status === 200 ? (fromBinary(method.output, reply.bytes) as MessageShape<O>) : undefined;
  return { ...reply, message };
}

/** A plain request to a non-Twirp path. */
export async function get(url: string, path: string, init: RequestInit = {}): Promise<TwirpReply> {
  return toReply(await fetch(`${url}${path}`, init));
}

export interface ExpectedTwirpError {
  readonly status: number;
  readonly code: string;
  /** The exact msg, or a prefix it must start with. */
  readonly msg?: string;
  readonly msgStartsWith?: string;
  /** Substrings the msg must contain. */
  readonly msgIncludes?: readonly string[];
  readonly meta?: Readonly<Record<string, string>>;
}

/**
 * A Twirp error as Go clients accept it: `Content-Type` exactly `application/json`, and a body
 * with `code`, `msg` and optionally `meta`, nothing else.
 */
export function assertTwirpError(reply: TwirpReply, expected: ExpectedTwirpError): void {
  assert.equal(reply.status, expected.status, `status (body ${reply.text})`);
  assert.equal(reply.contentType, "application/json");
  const body = reply.json() as Record<string, unknown>;
  assert.deepEqual(
    Object.keys(body).filter((k) => k !== "code" && k !== "msg" && k !== "meta"),
    [],
    `error body has only code, msg and meta: ${reply.text}`,
  );
  assert.equal(body["code"], expected.code, `code (body ${reply.text})`);
  assert.equal(typeof body["msg"], "string");
  const msg = body["msg"] as string;
  if (expected.msg !== undefined) assert.equal(msg, expected.msg);
  if (expected.msgStartsWith !== undefined)
    assert.ok(msg.startsWith(expected.msgStartsWith), `msg ${JSON.stringify(msg)} starts with ${JSON.stringify(expected.msgStartsWith)}`);
  for (const part of expected.msgIncludes ?? [])
    assert.ok(msg.includes(part), `msg ${JSON.stringify(msg)} mentions ${JSON.stringify(part)}`);
  if (expected.meta !== undefined) assert.deepEqual(body["meta"], expected.meta);
  else if ("meta" in body) assert.equal(typeof body["meta"], "object");
}

/** Milliseconds `run` took, with its result. */
export async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}
