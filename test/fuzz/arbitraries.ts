// Generators for everything a client controls: request bodies for every RPC in both codecs (random,
// mutated from a valid request, truncated), control headers (random JSON, mutated valid controls,
// legacy headers), tokens (forged, other algorithms, wrong claim types, huge and deep claims),
// paths, methods, content types, header sizes, raw bytes, and WebSocket frames.
import { createHmac } from "node:crypto";
import { toBinary, toJson, type DescField, type DescMessage } from "@bufbuild/protobuf";
import fc from "fast-check";
import { methodStubs } from "../../generated/mock/index.js";
import type { MethodStub } from "../../src/twirp/method-stub.js";
import { sampleRequest } from "../conformance/parity/sample-request.js";

export const stubs: readonly MethodStub[] = methodStubs;
export const secret = "secret";

// ---- bodies ------------------------------------------------------------------------------------

export type Codec = "json" | "binary";

const encodedSamples = new Map<string, { json: Buffer; binary: Buffer }>();

/** A valid request with every field set, in either codec. */
export function sampleBody(stub: MethodStub, codec: Codec): Buffer {
  let sample = encodedSamples.get(stub.key);
  if (sample === undefined) {
    const schema = stub.method.input;
    const message = sampleRequest(schema);
    sample = { json: Buffer.from(JSON.stringify(toJson(schema, message))), binary: Buffer.from(toBinary(schema, message)) };
    encodedSamples.set(stub.key, sample);
  }
  return sample[codec];
}

type Mutation =
  | { kind: "flip"; at: number; bit: number }
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; bytes: Uint8Array }
  | { kind: "truncate"; at: number }
  | { kind: "duplicate"; at: number; length: number }
  | { kind: "replace-text"; at: number; length: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("flip" as const), at: fc.nat(), bit: fc.nat(7) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 16 }) }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("duplicate" as const), at: fc.nat(), length: fc.integer({ min: 1, max: 32 }) }),
  fc.record({
    kind: fc.constant("replace-text" as const),
    at: fc.nat(),
    length: fc.nat(8),
    text: fc.oneof(
      fc.constantFrom(
        '"',
        "{",
        "}",
        "[",
        "]",
        ",",
        ":",
        "null",
        "true",
        "1e999",
        "-0",
        "1.5",
        '"\\ud800"',
        '"\\u0000"',
        "[[[[[[",
        '"x":1,',
        "\u00e9",
        "\uffff",
      ),
      fc.json({ maxDepth: 2 }),
    ),
  }),
);

function mutate(bytes: Buffer, mutations: readonly Mutation[]): Buffer {
  let out = Buffer.from(bytes);
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    switch (m.kind) {
      case "flip":
        if (at < out.length) out[at] = out[at]! ^ (1 << m.bit);
        break;
      case "delete":
        out = Buffer.concat([out.subarray(0, at), out.subarray(at + m.length)]);
        break;
      case "insert":
        out = Buffer.concat([out.subarray(0, at), m.bytes, out.subarray(at)]);
        break;
      case "truncate":
        out = out.subarray(0, at);
        break;
      case "duplicate":
        out = Buffer.concat([out.subarray(0, at + m.length), out.subarray(at)]);
        break;
      case "replace-text":
        out = Buffer.concat([out.subarray(0, at), Buffer.from(m.text), out.subarray(at + m.length)]);
        break;
    }
  }
  return out;
}

export const stub: fc.Arbitrary<MethodStub> = fc.constantFrom(...stubs);
export const codec: fc.Arbitrary<Codec> = fc.constantFrom("json", "binary");

/** A body for `stub`: random bytes, a mutated valid request, or a truncated one. */
export function body(
  stubArb: fc.Arbitrary<MethodStub> = stub,
): fc.Arbitrary<{ stub: MethodStub; codec: Codec; body: Buffer; how: string }> {
  return fc.tuple(stubArb, codec).chain(([s, c]) =>
    fc.oneof(
      fc.uint8Array({ maxLength: 600 }).map((bytes) => ({ stub: s, codec: c, body: Buffer.from(bytes), how: "random bytes" })),
      fc
        .array(mutation, { minLength: 1, maxLength: 4 })
        .map((ms) => ({ stub: s, codec: c, body: mutate(sampleBody(s, c), ms), how: `mutated ${JSON.stringify(ms)}` })),
      fc.nat().map((n) => {
        const whole = sampleBody(s, c);
        return { stub: s, codec: c, body: whole.subarray(0, n % (whole.length + 1)), how: `truncated at ${n % (whole.length + 1)}` };
      }),
      jsonDocument(s.method.input).map((text) => ({
        stub: s,
        codec: c,
        body: Buffer.from(text),
        how: "JSON with the request's field names",
      })),
    ),
  );
}

/** JSON text whose keys are mostly the message's own field names, with values of any type and depth. */
function jsonDocument(schema: DescMessage): fc.Arbitrary<string> {
  const names = schema.fields.flatMap((f: DescField) => [f.jsonName, f.name]);
  const key = fc.oneof(
    { arbitrary: fc.constantFrom(...(names.length > 0 ? names : ["x"])), weight: 4 },
    { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
  );
  const value = fc.oneof(
    fc.jsonValue({ maxDepth: 3 }),
    fc.constantFrom(1e308, -0, 0.5, 2 ** 53 + 1, "1", "NaN", "Infinity", "AQID", "", "é\u0000", true, null, [], {}),
    fc.integer({ min: 1, max: 3000 }).map((depth) => JSON.parse(`${"[".repeat(depth)}${"]".repeat(depth)}`) as unknown),
  );
  return fc
    .array(fc.tuple(key, value), { maxLength: 8 })
    .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}`);
}

// ---- control headers ---------------------------------------------------------------------------

/** One control field with a valid or invalid value; delays stay short so no case hangs. */
const controlMember: fc.Arbitrary<[string, unknown]> = fc.oneof(
  fc.tuple(
    fc.constant("failRegions"),
    fc.oneof(fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 4 }), fc.jsonValue({ maxDepth: 1 })),
  ),
  fc.tuple(
    fc.constant("failMode"),
    fc.oneof(
      fc.constantFrom(
        "status",
        "drop",
        "STATUS",
        "Drop",
        "dorp",
        "",
        "reset",
        "close-after-headers",
        "truncated-body",
        "garbage",
        "intermediary",
        "slow-body",
        "hang",
      ),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  ),
  fc.tuple(fc.constant("failStatus"), fc.oneof(fc.integer({ min: 90, max: 610 }), fc.constantFrom("503", 503.5, null))),
  fc.tuple(
    fc.constant("failTwirpCode"),
    fc.oneof(fc.constantFrom("internal", "not_found", "", "weird code", "é"), fc.string({ maxLength: 12 }), fc.integer()),
  ),
  fc.tuple(fc.constant("delayMs"), fc.oneof(fc.integer({ min: -5, max: 20 }), fc.constantFrom(2 ** 31, 2 ** 53, 1e21, "10", 1.5, null))),
  fc.tuple(fc.constant("regionsStatus"), fc.oneof(fc.integer({ min: 90, max: 610 }), fc.constantFrom(true, null))),
  fc.tuple(
    fc.constant("response"),
    fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.constantFrom({ name: "é 😀" }, { rooms: [{ name: "x" }] }, { sid: 5 }, { nope: 1 }, null)),
  ),
  fc.tuple(fc.constant("skipAuth"), fc.oneof(fc.boolean(), fc.constantFrom("true", 1, null))),
  fc.tuple(
    fc.constant("sipStatus"),
    fc.oneof(
      fc.record({ code: fc.integer({ min: -1, max: 700 }), status: fc.string({ maxLength: 10 }) }, { requiredKeys: [] }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  ),
  fc.tuple(
    fc.constant("failMeta"),
    fc.oneof(fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }), fc.jsonValue({ maxDepth: 1 })),
  ),
  fc.tuple(fc.constant("failUntil"), fc.oneof(fc.constantFrom(0, Date.now() + 60_000, -1, 2 ** 60), fc.jsonValue({ maxDepth: 1 }))),
  fc.tuple(fc.constant("failFirst"), fc.oneof(fc.integer({ min: -1, max: 3 }), fc.constantFrom(1_000_001, "1"))),
  fc.tuple(fc.constant("journal"), fc.oneof(fc.constantFrom("fuzz", "fuzz-2", "", "a b", "x".repeat(65)), fc.string({ maxLength: 8 }))),
  fc.tuple(fc.constant("echo"), fc.oneof(fc.boolean(), fc.jsonValue({ maxDepth: 1 }))),
  fc.tuple(fc.constant("listSize"), fc.oneof(fc.integer({ min: -1, max: 101 }), fc.constantFrom("2", 1.5))),
  fc.tuple(fc.constant("slowBytesPerSec"), fc.oneof(fc.constantFrom(0, 1, 64, 1_000_000, 1_000_000_001), fc.jsonValue({ maxDepth: 1 }))),
  fc.tuple(
    fc.constant("regions"),
    fc.oneof(
      fc.dictionary(
        fc.constantFrom("0", "1", "2", "3", "9", "01", "x"),
        fc.record(
          {
            failMode: fc.constantFrom("status", "drop", "intermediary", "bogus"),
            failStatus: fc.integer({ min: 90, max: 610 }),
            delayMs: fc.integer({ min: -1, max: 20 }),
          },
          { requiredKeys: [] },
        ),
        { maxKeys: 2 },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
  ),
  fc.tuple(
    fc.constant("pinnedRegions"),
    fc.oneof(
      fc.array(fc.constantFrom("region-0", "region-1", "region-9", "REGION-0", ""), { maxLength: 3 }),
      fc.jsonValue({ maxDepth: 1 }),
    ),
  ),
  fc.tuple(fc.string({ maxLength: 12 }), fc.jsonValue({ maxDepth: 2 })),
);

/** Keys as written: canonical, in another case, or misspelt. */
function writeKey(key: string, style: number): string {
  if (style === 1) return key.toUpperCase();
  if (style === 2) return key.charAt(0).toUpperCase() + key.slice(1);
  if (style === 3) return `${key}s`;
  return key;
}

export const controlHeaderValue: fc.Arbitrary<string> = fc.oneof(
  {
    arbitrary: fc
      .array(fc.tuple(controlMember, fc.nat(12)), { maxLength: 5 })
      .map((members) => `{${members.map(([[k, v], style]) => `${JSON.stringify(writeKey(k, style))}:${JSON.stringify(v)}`).join(",")}}`),
    weight: 6,
  },
  { arbitrary: fc.json({ maxDepth: 3 }), weight: 2 },
  { arbitrary: fc.string({ maxLength: 40 }), weight: 1 },
  {
    arbitrary: fc.constantFrom(
      '{"skipAuth":true,"skipAuth":false}',
      '{"a":',
      "[]",
      "null",
      "1e999",
      '{"response":' + "[".repeat(2000) + "]".repeat(2000) + "}",
    ),
    weight: 1,
  },
);

const legacyHeaderNames = [
  "X-Lk-Mock-Fail-Regions",
  "X-Lk-Mock-Fail-Mode",
  "X-Lk-Mock-Fail-Status",
  "X-Lk-Mock-Fail-Twirp-Code",
  "X-Lk-Mock-Regions-Status",
  "X-Lk-Mock-Response",
  "X-Lk-Mock-Skip-Auth",
  "X-Lk-Mock-Delay-Ms",
];

const legacyValue: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "0",
    "0,1",
    " 1 , 2 ",
    "true",
    "TRUE",
    "1",
    "drop",
    "status",
    "delay",
    "503",
    "abc",
    "",
    "+5",
    "-1",
    "99999999999",
    "{}",
    '{"name":"é"}',
    "null",
  ),
  fc.string({ maxLength: 16 }).filter((s) => !/[\r\n\0]/.test(s)),
);

/**
 * Legacy headers, always with an X-Lk-Mock-Delay-Ms: a legacy `delay` failMode (which an
 * X-Lk-Mock may also choose) would otherwise wait its default 30 s. Valid delays stay short.
 */
export const legacyHeaders: fc.Arbitrary<[string, string][]> = fc
  .array(fc.tuple(fc.constantFrom(...legacyHeaderNames), legacyValue), { maxLength: 4 })
  .map((headers) => {
    const short = (value: string): string => (/^\+?\d+$/.test(value) && Number(value) > 50 && Number(value) <= 2 ** 31 - 1 ? "5" : value);
    const out = headers.map(([name, value]): [string, string] => [name, name === "X-Lk-Mock-Delay-Ms" ? short(value) : value]);
    if (!out.some(([name]) => name === "X-Lk-Mock-Delay-Ms")) out.push(["X-Lk-Mock-Delay-Ms", "5"]);
    return out;
  });

// ---- tokens ------------------------------------------------------------------------------------

const b64 = (text: string | Buffer): string => Buffer.from(text).toString("base64url");

export function sign(headerText: string, payloadText: string | Buffer, key = secret, hash = "sha256"): string {
  const input = `${b64(headerText)}.${b64(payloadText)}`;
  return `${input}.${createHmac(hash, key).update(input).digest("base64url")}`;
}

const nowSeconds = (): number => Math.floor(Date.now() / 1000);

const claimKeys = [
  "exp",
  "nbf",
  "iat",
  "iss",
  "sub",
  "jti",
  "aud",
  "name",
  "kind",
  "kindDetails",
  "video",
  "sip",
  "agent",
  "attributes",
  "roomConfig",
  "metadata",
  "EXP",
  "Video",
  "ſub",
];
const videoKeys = ["roomList", "roomCreate", "roomAdmin", "room", "canPublish", "canPublishSources", "RoomList", "roomlist"];

/** Claims text with the grant ListRooms needs, plus anything else. */
const claimsText: fc.Arbitrary<string> = fc.oneof(
  // Valid, with other claims of any type around it.
  fc
    .array(fc.tuple(fc.constantFrom(...claimKeys), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 })
    .map(
      (extra) =>
        `{"exp":${nowSeconds() + 600},"video":{"roomList":true}${extra.map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`).join("")}}`,
    ),
  // Grants of any type.
  fc
    .array(fc.tuple(fc.constantFrom(...videoKeys), fc.jsonValue({ maxDepth: 1 })), { maxLength: 4 })
    .map(
      (grants) =>
        `{"exp":${nowSeconds() + 600},"video":{${grants.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(",")}}}`,
    ),
  // exp of any shape.
  fc
    .oneof(
      fc.jsonValue({ maxDepth: 1 }),
      fc.constantFrom("1e20", "1e400", "-1e20", `"${nowSeconds() + 60}"`, `${nowSeconds() + 60}.5`, "9.3e18"),
    )
    .map((exp) => `{"exp":${typeof exp === "string" ? exp : JSON.stringify(exp)},"video":{"roomList":true}}`),
  // Huge: many attributes (up to ~600 KB of claims).
  fc.integer({ min: 100, max: 20_000 }).map((n) =>
    JSON.stringify({
      exp: nowSeconds() + 600,
      video: { roomList: true },
      attributes: Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, "v".repeat(20)])),
    }),
  ),
  // Deep: an unknown claim nested up to past Go's 10000 levels.
  fc
    .integer({ min: 1, max: 10_050 })
    .map((depth) => `{"exp":${nowSeconds() + 600},"video":{"roomList":true},"x":${"[".repeat(depth)}${"]".repeat(depth)}}`),
  // Not JSON at all, or not an object.
  fc.oneof(fc.string({ maxLength: 30 }), fc.json({ maxDepth: 2 })),
);

const headerText: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constant('{"alg":"HS256","typ":"JWT"}'), weight: 5 },
  {
    arbitrary: fc
      .constantFrom("HS384", "HS512", "RS256", "ES256", "PS256", "EdDSA", "none", "NONE", "", "HS256 ")
      .map((alg) => JSON.stringify({ alg })),
    weight: 2,
  },
  { arbitrary: fc.json({ maxDepth: 2 }), weight: 1 },
);

/** A token, valid or broken in one of many ways. */
export const token: fc.Arbitrary<{ token: string; how: string }> = fc.oneof(
  fc.tuple(headerText, claimsText).map(([h, c]) => ({ token: sign(h, c), how: `signed ${h} ${c.slice(0, 120)}` })),
  fc
    .tuple(claimsText, fc.string({ minLength: 1, maxLength: 8 }))
    .map(([c, key]) => ({ token: sign('{"alg":"HS256"}', c, key), how: `wrong key ${JSON.stringify(key)}` })),
  fc.tuple(claimsText, fc.nat(), fc.nat(5)).map(([c, at, bit]) => {
    const t = Buffer.from(sign('{"alg":"HS256"}', c));
    const i = at % t.length;
    t[i] = t[i]! ^ (1 << bit);
    return { token: t.toString("latin1"), how: `bit flipped at ${i}` };
  }),
  claimsText.map((c) => ({ token: `${b64('{"alg":"none"}')}.${b64(c)}.`, how: "alg none, unsigned" })),
  fc
    .array(fc.stringMatching(/^[A-Za-z0-9_=+/-]{0,40}$/), { minLength: 1, maxLength: 5 })
    .map((parts) => ({ token: parts.join("."), how: "random segments" })),
  fc
    .string({ maxLength: 60 })
    .filter((s) => !/[\r\n\0]/.test(s))
    .map((s) => ({ token: s, how: "random text" })),
);

// ---- paths, methods, content types ------------------------------------------------------------

export const httpMethod: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom("POST", "GET", "PUT", "DELETE", "OPTIONS", "PATCH", "HEAD", "post", "CONNECT", "TRACE", "PRI"), weight: 5 },
  { arbitrary: fc.stringMatching(/^[A-Za-z!#$%&'*+.^_`|~0-9-]{1,12}$/), weight: 2 },
  { arbitrary: fc.string({ minLength: 1, maxLength: 8 }).filter((s) => !/[\s\r\n]/.test(s)), weight: 1 },
);

const pathSegment = fc.oneof(
  fc.constantFrom(
    "twirp",
    "livekit.RoomService",
    "ListRooms",
    "CreateRoom",
    "settings",
    "regions",
    "rtc",
    "v1",
    "validate",
    "_test",
    "health",
    "methods",
    "schema",
    "",
    ".",
    "..",
    "%2e%2e",
    "%2F",
    "%00",
    "é",
    "~",
  ),
  fc.stringMatching(/^[A-Za-z0-9._~%-]{1,20}$/),
);

export const path: fc.Arbitrary<string> = fc.oneof(
  stub.map((s) => `/twirp/${s.key}`),
  fc
    .tuple(stub, fc.constantFrom("/", "//", "?x=1", "#f", "/extra", "%20", "?access_token=x"))
    .map(([s, suffix]) => `/twirp/${s.key}${suffix}`),
  fc.array(pathSegment, { minLength: 1, maxLength: 6 }).map((segments) => `/${segments.join("/")}`),
  fc.integer({ min: 1000, max: 60_000 }).map((n) => `/twirp/${"a".repeat(n)}`),
  fc.string({ maxLength: 30 }).map((s) => `/${encodeURIComponent(s)}`),
);

export const contentType: fc.Arbitrary<string | undefined> = fc.oneof(
  fc.constantFrom(
    undefined,
    "application/json",
    "application/protobuf",
    "application/x-protobuf",
    "Application/JSON; charset=utf-8",
    "application/json;",
    " application/json ",
    "text/json",
    "application/grpc",
    "",
    "multipart/form-data; boundary=x",
  ),
  fc.string({ maxLength: 30 }).filter((s) => !/[\r\n\0]/.test(s)),
);

// ---- WebSocket frames --------------------------------------------------------------------------

export type WsAction =
  | { kind: "frame"; opcode: number; fin: boolean; rsv: number; masked: boolean; payload: Uint8Array }
  | { kind: "claimed-length"; claimed: number; sent: Uint8Array }
  | { kind: "bytes"; bytes: Uint8Array }
  | { kind: "close"; code: number; reason: string }
  | { kind: "abort" }
  | { kind: "pause"; ms: number };

export const wsAction: fc.Arbitrary<WsAction> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constant("frame" as const),
      opcode: fc.oneof(fc.constantFrom(0x0, 0x1, 0x2, 0x8, 0x9, 0xa), fc.nat(15)),
      fin: fc.boolean(),
      rsv: fc.oneof(fc.constant(0), fc.nat(7)),
      masked: fc.oneof({ arbitrary: fc.constant(true), weight: 5 }, { arbitrary: fc.constant(false), weight: 1 }),
      payload: fc.oneof(
        fc.uint8Array({ maxLength: 300 }),
        fc.integer({ min: 65_536, max: 300_000 }).map((n) => new Uint8Array(n)),
      ),
    }),
    weight: 6,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant("claimed-length" as const),
      claimed: fc.oneof(fc.integer({ min: 126, max: 2 ** 31 }), fc.constantFrom(2 ** 53 - 1, 2 ** 40)),
      sent: fc.uint8Array({ maxLength: 64 }),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant("bytes" as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 200 }) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant("close" as const),
      code: fc.oneof(fc.constantFrom(1000, 1001, 1005, 1006, 1015, 999, 3000, 4999, 5000), fc.nat(65_535)),
      reason: fc.string({ maxLength: 40 }),
    }),
    weight: 1,
  },
  { arbitrary: fc.constant({ kind: "abort" as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant("pause" as const), ms: fc.integer({ min: 0, max: 30 }) }), weight: 1 },
);

/** A frame as a client writes it (masked unless asked not to). */
export function encodeFrame(action: WsAction & { kind: "frame" }): Buffer {
  const { payload } = action;
  const length = payload.length;
  const head: number[] = [(action.fin ? 0x80 : 0) | ((action.rsv & 7) << 4) | (action.opcode & 0x0f)];
  const maskBit = action.masked ? 0x80 : 0;
  if (length < 126) head.push(maskBit | length);
  else if (length < 65_536) head.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    head.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  if (!action.masked) return Buffer.concat([Buffer.from(head), payload]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(head), mask, masked]);
}
