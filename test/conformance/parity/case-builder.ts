// Shorthands that turn a readable case description into a ParityCase: request encoding per codec,
// a token holding exactly the grants asked for, the control header, and the guard that keeps the
// 11 s natural latency of the SIP dial methods out of the run.
import { fromJson, isMessage, toBinary, toJson, type DescMessage, type JsonValue, type Message } from "@bufbuild/protobuf";
import { methodStubs } from "../../../generated/mock/index.js";
import type { GrantName, MethodStub } from "../../../src/twirp/method-stub.js";
import { nowPlus, rawToken } from "../../support/raw-jwt.js";
import type { ParityCase } from "./parity-case.js";

export const stubByKey: ReadonlyMap<string, MethodStub> = new Map(methodStubs.map((s) => [s.key, s]));

export const allGrants: readonly GrantName[] = [
  "video.roomCreate",
  "video.roomList",
  "video.roomRecord",
  "video.roomAdmin",
  "video.ingressAdmin",
  "sip.admin",
  "sip.call",
];

export interface TokenSpec {
  readonly grants?: readonly GrantName[];
  readonly room?: string;
  readonly destinationRoom?: string;
  readonly secret?: string;
  /** Seconds from now. */
  readonly expiresIn?: number;
  readonly notBeforeIn?: number;
  /** Replaces the claims built from the fields above. */
  readonly claims?: Record<string, unknown>;
}

const tokenCache = new Map<string, string>();

/** An HS256 token as the Go SDK shapes it; cached per spec so both servers get the same bytes. */
export function token(spec: TokenSpec = {}): string {
  const cacheKey = JSON.stringify(spec);
  const cached = tokenCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const video: Record<string, unknown> = {};
  const sip: Record<string, unknown> = {};
  for (const grant of spec.grants ?? allGrants) {
    const [group, flag] = grant.split(".") as [string, string];
    (group === "video" ? video : sip)[flag] = true;
  }
  if (spec.room !== undefined) video["room"] = spec.room;
  if (spec.destinationRoom !== undefined) video["destinationRoom"] = spec.destinationRoom;
  const claims = spec.claims ?? {
    iss: "devkey",
    sub: "parity",
    nbf: nowPlus(spec.notBeforeIn ?? 0),
    exp: nowPlus(spec.expiresIn ?? 3600),
    ...(Object.keys(video).length > 0 ? { video } : {}),
    ...(Object.keys(sip).length > 0 ? { sip } : {}),
  };
  const jwt = rawToken(claims, spec.secret === undefined ? {} : { secret: spec.secret });
  tokenCache.set(cacheKey, jwt);
  return jwt;
}

export type Codec = "json" | "binary";

export interface TwirpCaseInput {
  readonly id: string;
  readonly group: string;
  readonly key: string;
  /** Default "json": sets Content-Type (unless `contentType` is given) and encodes `request`. */
  readonly codec?: Codec;
  /**
   * A message or a protojson object (either is encoded per codec), raw text or bytes
   * (sent verbatim), or undefined for an empty body.
   */
  readonly request?: Message | Record<string, unknown> | string | Uint8Array | undefined;
  /** Encode JSON with proto (snake_case) names. */
  readonly protoNames?: boolean;
  /**
   * The token: a spec, a raw Authorization header value (`{ authorization }`), or null for none.
   * Default: every grant, for the request's room and destination room.
   */
  readonly token?: TokenSpec | { readonly authorization: string } | null;
  /** X-Lk-Mock: an object is JSON-encoded, a string is sent as is. */
  readonly control?: Record<string, unknown> | string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Raw Content-Type; null sends none. */
  readonly contentType?: string | null;
  readonly method?: string;
  readonly region?: number;
  readonly tags?: readonly string[];
  readonly minDelayMs?: number;
  readonly baseline?: string;
}

const sipDial = "livekit.SIP/CreateSIPParticipant";
const sipTransfer = "livekit.SIP/TransferSIPParticipant";

export function twirpCase(input: TwirpCaseInput): ParityCase {
  const stub = stubByKey.get(input.key);
  const codec = input.codec ?? "json";
  const headers: Record<string, string> = {};
  const contentType =
    input.contentType === undefined ? (codec === "json" ? "application/json" : "application/protobuf") : input.contentType;
  if (contentType !== null) headers["Content-Type"] = contentType;
  const body = encodeBody(stub?.method.input, input.request, codec, input.protoNames === true);

  const authorization = authorizationOf(input.token, stub?.method.input, input.request);
  if (authorization !== undefined) headers["Authorization"] = authorization;

  let control = input.control;
  if (needsNoLatency(input.key, input.request, body)) {
    if (typeof control === "string") throw new Error(`${input.id}: a raw X-Lk-Mock on ${input.key} would wait the 11 s natural latency`);
    if (control === undefined || !("delayMs" in control)) control = { ...control, delayMs: 0 };
  }
  if (control !== undefined) headers["X-Lk-Mock"] = typeof control === "string" ? control : JSON.stringify(control);
  Object.assign(headers, input.headers);

  return {
    id: input.id,
    group: input.group,
    key: input.key,
    path: `/twirp/${input.key}`,
    method: input.method ?? "POST",
    region: input.region ?? 0,
    headers,
    ...(body === undefined ? {} : { body }),
    ...(stub === undefined ? {} : { output: stub.method.output }),
    ...(input.minDelayMs === undefined ? {} : { minDelayMs: input.minDelayMs }),
    ...(input.baseline === undefined ? {} : { baseline: input.baseline }),
    tags: new Set(input.tags ?? []),
  };
}

export interface PlainCaseInput {
  readonly id: string;
  readonly group: string;
  readonly path: string;
  readonly method?: string;
  readonly region?: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly control?: Record<string, unknown> | string;
  readonly body?: string;
  readonly tags?: readonly string[];
  readonly baseline?: string;
}

/** A request outside the Twirp prefix (regions, health, 404, self-description). */
export function plainCase(input: PlainCaseInput): ParityCase {
  const headers: Record<string, string> = { ...input.headers };
  if (input.control !== undefined) headers["X-Lk-Mock"] = typeof input.control === "string" ? input.control : JSON.stringify(input.control);
  return {
    id: input.id,
    group: input.group,
    path: input.path,
    method: input.method ?? "GET",
    region: input.region ?? 0,
    headers,
    ...(input.body === undefined ? {} : { body: Buffer.from(input.body) }),
    ...(input.baseline === undefined ? {} : { baseline: input.baseline }),
    tags: new Set(input.tags ?? []),
  };
}

function encodeBody(
  schema: DescMessage | undefined,
  request: TwirpCaseInput["request"],
  codec: Codec,
  protoNames: boolean,
): Uint8Array | undefined {
  if (request === undefined) return undefined;
  if (typeof request === "string") return Buffer.from(request);
  if (request instanceof Uint8Array) return request;
  if (isMessage(request)) {
    const message = request as Message;
    const messageSchema = schema ?? undefined;
    if (messageSchema === undefined || message.$typeName !== messageSchema.typeName)
      throw new Error(`request ${message.$typeName} does not fit the method`);
    return codec === "binary"
      ? toBinary(messageSchema, message)
      : Buffer.from(JSON.stringify(toJson(messageSchema, message, { useProtoFieldName: protoNames })));
  }
  if (codec === "binary") {
    if (schema === undefined) throw new Error("a binary request needs a known method");
    // The same protojson object serves both codecs.
    return toBinary(schema, fromJson(schema, request as JsonValue));
  }
  return Buffer.from(JSON.stringify(request));
}

/** Rooms a request names: `room`, else `room_name`, and `destination_room` (docs/spec/auth.md#grant-check). */
export function roomsOf(request: TwirpCaseInput["request"]): { room?: string; destinationRoom?: string } {
  if (request === undefined || typeof request === "string" || request instanceof Uint8Array) return {};
  const record = request as Record<string, unknown>;
  const pick = (...names: string[]): string | undefined => {
    for (const name of names) {
      const value = record[name];
      if (typeof value === "string" && value !== "") return value;
    }
    return undefined;
  };
  const room = pick("room") ?? pick("roomName", "room_name");
  const destinationRoom = pick("destinationRoom", "destination_room");
  return { ...(room === undefined ? {} : { room }), ...(destinationRoom === undefined ? {} : { destinationRoom }) };
}

function authorizationOf(
  spec: TwirpCaseInput["token"],
  schema: DescMessage | undefined,
  request: TwirpCaseInput["request"],
): string | undefined {
  if (spec === null) return undefined;
  if (spec !== undefined && "authorization" in spec) return spec.authorization;
  const rooms = schema === undefined ? {} : roomsOf(request);
  return `Bearer ${token({ ...rooms, ...spec })}`;
}

function needsNoLatency(key: string, request: TwirpCaseInput["request"], body: Uint8Array | undefined): boolean {
  if (key === sipTransfer) return true;
  if (key !== sipDial) return false;
  if (request !== undefined && typeof request === "object" && !(request instanceof Uint8Array)) {
    const record = request as Record<string, unknown>;
    return record["waitUntilAnswered"] === true || record["wait_until_answered"] === true;
  }
  // Raw bodies: decide conservatively from the text.
  return body !== undefined && /wait_?until_?answered|waitUntilAnswered/i.test(Buffer.from(body).toString("latin1"));
}
