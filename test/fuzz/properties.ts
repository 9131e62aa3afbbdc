// The fuzzing properties, shared by `npm test` (test/fuzz/fuzz.test.ts) and long campaigns
// (test/fuzz/run-fuzz.ts). Each sends one generated case, checks the answer against the general
// invariants (invariants.ts) and its own expectation, then checks that nothing went wrong inside
// the server (no error logged, no unhandled rejection) and that a valid request right after it
// still succeeds.
import fc from "fast-check";
import { defaultHttpLimits } from "../../src/http/limits.js";
import {
  body,
  contentType,
  controlHeaderValue,
  encodeFrame,
  httpMethod,
  legacyHeaders,
  path,
  sampleBody,
  sign,
  token,
  wsAction,
  type Codec,
  type WsAction,
} from "./arbitraries.js";
import { rawCase } from "./framing-arbitraries.js";
import { closeFramingServers, framingProblems, framingReport } from "./framing-property.js";
import type { FuzzTarget } from "./fuzz-target.js";
import { answerProblems, parseTwirpError } from "./invariants.js";
import { encodeRequest, type Answer, type RawHttpClient, type RawRequest } from "./raw-http.js";
import { openSignal } from "./raw-signal.js";

export interface FuzzContext {
  readonly target: FuzzTarget;
  readonly client: RawHttpClient;
}

export interface FuzzProperty<T = unknown> {
  readonly name: string;
  /** Cases per `npm test` run. */
  readonly runs: number;
  /** A defect another change fixes: the property is reported, not failed (node:test `todo`). */
  readonly todo?: string;
  readonly arbitrary: fc.Arbitrary<T>;
  /** Sends the case; returns what is wrong with the answers (empty when all is well). */
  run(ctx: FuzzContext, value: T): Promise<string[]>;
  /** A line of figures after a run, for the campaign's summary. */
  report?(): string;
}

/** Stops what the properties started for themselves (the framing property's two echo servers). */
export async function closeProperties(): Promise<void> {
  await closeFramingServers();
}

function property<T>(p: FuzzProperty<T>): FuzzProperty<unknown> {
  return p as FuzzProperty<unknown>;
}

const region = fc.nat(3);
const quickControl = JSON.stringify({ skipAuth: true, delayMs: 0 });
const contentTypes: Record<Codec, string> = { json: "application/json", binary: "application/protobuf" };
const adminToken = sign(
  '{"alg":"HS256"}',
  JSON.stringify({
    exp: 4_102_444_800,
    video: { roomCreate: true, roomList: true, roomRecord: true, roomAdmin: true, ingressAdmin: true },
    sip: { admin: true, call: true },
  }),
);
const happyToken = (mock?: string): string =>
  sign(
    '{"alg":"HS256"}',
    JSON.stringify({
      exp: 4_102_444_800,
      sub: "fuzz",
      video: { roomJoin: true, room: "r" },
      ...(mock === undefined ? {} : { attributes: { "lk.mock": mock } }),
    }),
  );

function twirpRequest(key: string, payload: Uint8Array, headers: [string, string | Uint8Array][]): RawRequest {
  return { method: "POST", target: `/twirp/${key}`, headers, body: payload };
}

function describe(answer: Answer): string {
  if (answer.kind !== "response") return answer.kind;
  return `${answer.status} ${answer.headers.get("content-type")?.[0] ?? ""} ${answer.body.toString("utf8").slice(0, 200)}`;
}

function twirpCode(answer: Answer): string | undefined {
  if (answer.kind !== "response" || answer.headers.get("content-type")?.[0] !== "application/json") return undefined;
  const error = parseTwirpError(answer.body.toString("utf8"));
  return typeof error === "object" ? error.code : undefined;
}

/** A valid call on every region after a case: the server still serves. */
export async function canary(ctx: FuzzContext, regionIndex: number): Promise<string[]> {
  const answer = await ctx.client.send(
    ctx.target.ports[regionIndex]!,
    twirpRequest("livekit.RoomService/CreateRoom", Buffer.from('{"name":"canary"}'), [
      ["Content-Type", "application/json"],
      ["X-Lk-Mock", quickControl],
    ]),
  );
  if (answer.kind === "response" && answer.status === 200) {
    const room = JSON.parse(answer.body.toString()) as { sid?: string; name?: string };
    if (room.sid === "MOCK_SID" && room.name === "canary") return [];
  }
  return [`the valid request after the case failed: ${describe(answer)}`];
}

async function signalCanary(ctx: FuzzContext, regionIndex: number): Promise<string[]> {
  const conn = await openSignal(ctx.target.ports[regionIndex]!, `/rtc?access_token=${happyToken()}`);
  try {
    if (conn.status !== 101) return [`a valid signal connection after the case was refused: ${conn.status} ${conn.refusalBody}`];
    const join = await conn.firstFrame(3000);
    return join === undefined ? ["a valid signal connection after the case got no join"] : [];
  } finally {
    conn.socket.destroy();
  }
}

export const properties: readonly FuzzProperty[] = [
  property({
    name: "a request body of any bytes, for any RPC in either codec, is answered 200 or malformed",
    runs: 500,
    arbitrary: fc.tuple(body(), region),
    async run(ctx, [b, r]) {
      const request = twirpRequest(b.stub.key, b.body, [
        ["Content-Type", contentTypes[b.codec]],
        ["X-Lk-Mock", quickControl],
      ]);
      const answer = await ctx.client.send(ctx.target.ports[r]!, request);
      const problems = answerProblems({ request, answer });
      if (answer.kind !== "response") return problems;
      const ok = answer.status === 200 && answer.headers.get("content-type")?.[0] === contentTypes[b.codec];
      if (!ok && !(answer.status === 400 && twirpCode(answer) === "malformed")) {
        problems.push(`${b.how} answered ${describe(answer)}, neither 200 nor malformed`);
      }
      return problems;
    },
  }),
  property({
    name: "a JSON body with invalid UTF-8 anywhere is malformed, naming the byte",
    runs: 150,
    arbitrary: fc.tuple(
      body().filter((b) => b.codec === "json"),
      fc.nat(),
      fc.constantFrom([0x80], [0xff], [0xc0, 0xaf], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80]),
      region,
    ),
    async run(ctx, [b, at, bad, r]) {
      const sample = sampleBody(b.stub, "json");
      // Inside a string where there is one, so only the bytes are wrong.
      const quote = sample.indexOf(0x22, at % Math.max(1, sample.length));
      const i = quote === -1 ? at % (sample.length + 1) : quote + 1;
      const payload = Buffer.concat([sample.subarray(0, i), Buffer.from(bad), sample.subarray(i)]);
      const request = twirpRequest(b.stub.key, payload, [
        ["Content-Type", "application/json"],
        ["X-Lk-Mock", quickControl],
      ]);
      const answer = await ctx.client.send(ctx.target.ports[r]!, request);
      const problems = answerProblems({ request, answer });
      const error = answer.kind === "response" ? parseTwirpError(answer.body.toString()) : undefined;
      const expected = `the json request could not be decoded: invalid UTF-8 at byte ${i}`;
      if (answer.kind !== "response" || answer.status !== 400 || typeof error !== "object" || error.msg !== expected) {
        problems.push(`answered ${describe(answer)}, not malformed with ${JSON.stringify(expected)}`);
      }
      return problems;
    },
  }),
  property({
    name: "a delay is waited in full or refused with a 400 naming the maximum, never answered early",
    runs: 60,
    arbitrary: fc.tuple(
      fc.oneof(
        fc.integer({ min: -5, max: 60 }),
        fc.constantFrom(2 ** 31, 2 ** 32, 2 ** 31 + 2 ** 30, 2 ** 53),
        fc.integer({ min: 2 ** 31, max: 2 ** 40 }),
      ),
      fc.boolean(),
      region,
    ),
    async run(ctx, [delay, legacy, r]) {
      const headers: [string, string][] = legacy
        ? [
            ["X-Lk-Mock", JSON.stringify({ skipAuth: true, failRegions: [r], failMode: "delay" })],
            ["X-Lk-Mock-Delay-Ms", String(delay)],
          ]
        : [["X-Lk-Mock", JSON.stringify({ skipAuth: true, delayMs: delay })]];
      const request = twirpRequest("livekit.RoomService/ListRooms", Buffer.from("{}"), [["Content-Type", "application/json"], ...headers]);
      const started = performance.now();
      const answer = await ctx.client.send(ctx.target.ports[r]!, request, { timeoutMs: 5000 });
      const elapsed = performance.now() - started;
      const problems = answerProblems({ request, answer });
      if (answer.kind !== "response") return problems;
      const refused = answer.status === 400 && /at most 2147483647/.test(answer.body.toString());
      if (delay > 2_147_483_647 || (legacy && delay < 0)) {
        if (answer.status !== 400)
          problems.push(`a delay of ${delay} answered ${describe(answer)} after ${Math.round(elapsed)} ms instead of being refused`);
      } else if (refused || elapsed < delay - 1) {
        problems.push(`a delay of ${delay} ms answered ${describe(answer)} after ${Math.round(elapsed)} ms`);
      }
      return problems;
    },
  }),
  property({
    name: "a control header of any shape (X-Lk-Mock or legacy) is obeyed or refused with a 400 naming it",
    runs: 600,
    arbitrary: fc.record({
      control: fc.option(controlHeaderValue, { nil: undefined }),
      legacy: legacyHeaders,
      route: fc.constantFrom(
        "livekit.RoomService/ListRooms",
        "livekit.RoomService/CreateRoom",
        "livekit.SIP/CreateSIPParticipant",
        "livekit.Nope/Nope",
        "/settings/regions",
      ),
      withToken: fc.boolean(),
      region,
    }),
    async run(ctx, c) {
      const headers: [string, string][] = [...c.legacy];
      if (c.control !== undefined) headers.push(["X-Lk-Mock", c.control]);
      if (c.withToken) headers.push(["Authorization", `Bearer ${adminToken}`]);
      const request: RawRequest = c.route.startsWith("/")
        ? { method: "GET", target: c.route, headers }
        : twirpRequest(c.route, Buffer.from('{"name":"r"}'), [["Content-Type", "application/json"], ...headers]);
      // Every delay a case can ask for is short; only `hang` and `slow-body` run into this.
      const answer = await ctx.client.send(ctx.target.ports[c.region]!, request, { timeoutMs: 2000 });
      const problems = answerProblems({ request, answer });
      if (answer.kind === "response" && answer.status === 400 && twirpCode(answer) === "invalid_argument") {
        const msg = (parseTwirpError(answer.body.toString()) as { msg: string }).msg;
        // A control's own failure may be an invalid_argument too: failRegions with status 400, or a
        // sipStatus the SIP table maps to InvalidArgument (REFERENCE §4.6, e.g. 3xx and 4xx codes).
        const asked = msg === "mock failure (status 400)" || /^twirp error unknown: sip status: /.test(msg);
        if (!msg.startsWith("mock: invalid control: ") && !asked) problems.push(`invalid_argument without naming the control: ${msg}`);
      }
      return problems;
    },
  }),
  property({
    name: "a token of any shape is accepted or answered 401 (API) and `invalid token: <reason>` (validate)",
    runs: 250,
    arbitrary: fc.tuple(token, fc.boolean(), region),
    async run(ctx, [t, viaValidate, r]) {
      const port = ctx.target.ports[r]!;
      if (viaValidate) {
        const request: RawRequest = { method: "GET", target: `/rtc/validate?access_token=${encodeURIComponent(t.token)}`, headers: [] };
        const answer = await ctx.client.send(port, request);
        const problems = answerProblems({ request, answer });
        if (answer.kind !== "response") return problems;
        const text = answer.body.toString("utf8");
        const documented =
          (answer.status === 200 && text === "success") ||
          (answer.status === 401 && text.startsWith("invalid token: ") && text.length > 15) ||
          (answer.status === 400 && text.startsWith("invalid lk.mock attribute")) ||
          (answer.status === 400 && twirpCode(answer) === "malformed");
        if (!documented) problems.push(`validate answered ${describe(answer)} to ${t.how}`);
        return problems;
      }
      const request = twirpRequest("livekit.RoomService/ListRooms", Buffer.from("{}"), [
        ["Content-Type", "application/json"],
        ["Authorization", `Bearer ${t.token}`],
      ]);
      const answer = await ctx.client.send(port, request);
      const problems = answerProblems({ request, answer });
      if (answer.kind !== "response") return problems;
      const text = answer.body.toString("utf8");
      const documented =
        answer.status === 200 ||
        (answer.status === 401 && text === '{"code":"unauthenticated","msg":"mock: unauthenticated"}') ||
        (answer.status === 403 && twirpCode(answer) === "permission_denied") ||
        (answer.status === 400 && twirpCode(answer) === "malformed");
      if (!documented) problems.push(`ListRooms answered ${describe(answer)} to ${t.how}`);
      return problems;
    },
  }),
  property({
    name: "any method, path and content type is routed or refused as documented",
    runs: 300,
    arbitrary: fc.record({
      method: httpMethod,
      path,
      contentType,
      payload: fc.oneof(fc.constant("{}"), fc.string({ maxLength: 40 })),
      region,
    }),
    async run(ctx, c) {
      const headers: [string, string][] = [
        ["X-Lk-Mock", quickControl],
        ["Authorization", `Bearer ${adminToken}`],
      ];
      if (c.contentType !== undefined) headers.push(["Content-Type", c.contentType]);
      const request: RawRequest = { method: c.method, target: c.path, headers, body: Buffer.from(c.payload) };
      const answer = await ctx.client.send(ctx.target.ports[c.region]!, request, { timeoutMs: 5000 });
      const problems = answerProblems({ request, answer });
      const knownRoute = /^\/twirp\/livekit\.[A-Za-z]+\/[A-Za-z]+$/.test(c.path);
      if (answer.kind === "response" && knownRoute && c.method !== "POST" && /^[A-Za-z]+$/.test(c.method) && answer.status !== 400) {
        const badRoute = answer.status === 404 && (c.method === "HEAD" || twirpCode(answer) === "bad_route");
        if (!badRoute) problems.push(`${c.method} ${c.path} answered ${describe(answer)}, not bad_route`);
      }
      return problems;
    },
  }),
  property({
    name: "request headers up to 1 MiB + 4 KiB are read, and larger ones refused with 431 naming the limit",
    runs: 24,
    arbitrary: fc.record({
      size: fc.oneof(
        fc.integer({ min: 0, max: 1_100_000 }),
        fc.integer({ min: -64, max: 64 }).map((d) => defaultHttpLimits.headerBytes + d),
      ),
      count: fc.integer({ min: 1, max: 40 }),
      region,
    }),
    async run(ctx, c) {
      const base = twirpRequest("livekit.RoomService/ListRooms", Buffer.from("{}"), [
        ["Content-Type", "application/json"],
        ["X-Lk-Mock", quickControl],
      ]);
      const baseHead = encodeRequest(base).length - 2;
      // Each padding header costs its name, ": " and CRLF besides its value.
      const perHeader = (i: number): number => `X-Pad-${i}: \r\n`.length;
      let remaining = c.size - baseHead;
      const padding: [string, string][] = [];
      for (let i = 0; i < c.count && remaining > perHeader(i); i++) {
        const share = i === c.count - 1 ? remaining - perHeader(i) : Math.floor(remaining / (c.count - i)) - perHeader(i);
        if (share < 0) break;
        padding.push([`X-Pad-${i}`, "a".repeat(share)]);
        remaining -= share + perHeader(i);
      }
      const request: RawRequest = { ...base, headers: [...base.headers, ...padding] };
      const bytes = encodeRequest(request);
      const headBytes = bytes.indexOf("\r\n\r\n") + 4;
      const answer = await ctx.client.send(ctx.target.ports[c.region]!, request, { timeoutMs: 15_000 });
      const problems = answerProblems({ request, answer });
      if (answer.kind !== "response") return problems;
      const limit = defaultHttpLimits.headerBytes;
      if (headBytes <= limit && answer.status !== 200) problems.push(`a ${headBytes}-byte head answered ${describe(answer)}`);
      if (headBytes > limit) {
        const error = parseTwirpError(answer.body.toString());
        if (answer.status !== 431 || typeof error !== "object" || error.code !== "malformed" || !error.msg.includes(String(limit))) {
          problems.push(`a ${headBytes}-byte head answered ${describe(answer)}, not 431 naming the ${limit}-byte limit`);
        }
      }
      return problems;
    },
  }),
  property({
    name: "raw bytes on a connection get a refusal or a close, never a crash",
    runs: 300,
    arbitrary: fc.tuple(
      fc.oneof(
        fc.uint8Array({ minLength: 1, maxLength: 400 }),
        fc.tuple(fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 6 })).map(([at, bytes]) => {
          const valid = encodeRequest(
            twirpRequest("livekit.RoomService/ListRooms", Buffer.from("{}"), [
              ["Content-Type", "application/json"],
              ["X-Lk-Mock", quickControl],
            ]),
          );
          const i = at % valid.length;
          return Buffer.concat([valid.subarray(0, i), bytes, valid.subarray(i + 1)]);
        }),
        fc
          .constantFrom(
            "GET / HTTP/2.0\r\nHost: x\r\n\r\n",
            "POST /twirp/livekit.RoomService/ListRooms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
            "POST /twirp/livekit.RoomService/ListRooms HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nffffffffffffffff\r\n",
            "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999\r\n\r\n",
            "GET / HTTP/1.1\r\n Host: x\r\n\r\n",
            "\r\n\r\n\r\n",
          )
          .map((text) => Buffer.from(text)),
      ),
      region,
    ),
    async run(ctx, [bytes, r]) {
      const answer = await ctx.client.send(ctx.target.ports[r]!, bytes, { timeoutMs: 3000, endAfterWrite: true });
      if (answer.kind === "timeout") return ["the server neither answered nor closed once the client had sent everything"];
      return answerProblems({ request: bytes, answer });
    },
  }),
  property({
    name: "http framing: raw requests cut anywhere are read as llhttp reads them, except the listed differences",
    runs: 3000,
    arbitrary: rawCase,
    run: (_ctx, c) => framingProblems(c),
    report: framingReport,
  }),
  property({
    name: "a signal WebSocket survives garbage, oversized and lying frames and abrupt closes",
    runs: 80,
    arbitrary: fc.tuple(fc.array(wsAction, { minLength: 1, maxLength: 6 }), region),
    async run(ctx, [actions, r]) {
      const problems: string[] = [];
      const conn = await openSignal(ctx.target.ports[r]!, `/rtc?access_token=${happyToken()}`);
      if (conn.status !== 101) return [`a happy token was refused: ${conn.status} ${conn.refusalBody}`];
      if ((await conn.firstFrame(3000)) === undefined) problems.push("no join frame");
      for (const action of actions) {
        if (conn.socket.destroyed) break;
        await perform(conn.socket, action);
      }
      await Promise.race([conn.closed, new Promise((resolve) => setTimeout(resolve, 50))]);
      conn.socket.destroy();
      problems.push(...(await signalCanary(ctx, r)));
      return problems;
    },
  }),
  property({
    name: "an lk.mock attribute of any shape is obeyed or refused with 400 naming the problem",
    runs: 100,
    arbitrary: fc.tuple(
      fc.oneof(
        fc.json({ maxDepth: 3 }),
        fc.string({ maxLength: 30 }),
        fc
          .record(
            {
              signal: fc.oneof(
                fc.constantFrom("happy", "no_pong", "hapy", "HAPPY", "", "leave_first_message"),
                fc.jsonValue({ maxDepth: 1 }),
              ),
              leaveAction: fc.oneof(
                fc.constantFrom(0, 1, 2, "RECONNECT", "resume", "x", 2 ** 31, -1, 1.5, null),
                fc.jsonValue({ maxDepth: 1 }),
              ),
            },
            { requiredKeys: [] },
          )
          .map((o) => JSON.stringify(o)),
      ),
      fc.boolean(),
      region,
    ),
    async run(ctx, [mock, viaUpgrade, r]) {
      return lkMockProblems(ctx, mock, viaUpgrade, r);
    },
  }),
  property({
    name: "an lk.mock attribute nested thousands of levels deep is refused with 400 naming the problem",
    runs: 10,
    arbitrary: fc.tuple(fc.integer({ min: 500, max: 20_000 }), fc.boolean(), region),
    async run(ctx, [depth, viaUpgrade, r]) {
      return lkMockProblems(ctx, `{"signal":${"[".repeat(depth)}${"]".repeat(depth)}}`, viaUpgrade, r);
    },
  }),
  property({
    name: "malformed Sec-WebSocket-Extensions and Sec-WebSocket-Protocol headers upgrade as gorilla does",
    runs: 30,
    arbitrary: fc.tuple(
      fc.option(
        fc.string({ maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s)),
        { nil: undefined },
      ),
      fc.option(
        fc.oneof(
          fc.string({ maxLength: 40 }).filter((s) => !/[\r\n\0]/.test(s)),
          fc.constantFrom(", ,", "a b", "permessage-deflate; x=", "="),
        ),
        { nil: undefined },
      ),
      region,
    ),
    async run(ctx, [protocol, extensions, r]) {
      const extra: [string, string][] = [];
      if (protocol !== undefined) extra.push(["Sec-WebSocket-Protocol", protocol]);
      if (extensions !== undefined) extra.push(["Sec-WebSocket-Extensions", extensions]);
      const conn = await openSignal(ctx.target.ports[r]!, `/rtc?access_token=${happyToken()}`, extra);
      conn.socket.destroy();
      return conn.status === 101 ? [] : [`handshake with ${JSON.stringify(extra)} answered ${conn.status} ${conn.refusalBody}`];
    },
  }),
  property({
    name: "non-ASCII text in X-Lk-Mock reaches the answer intact",
    runs: 100,
    arbitrary: fc.tuple(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }), region),
    async run(ctx, [name, r]) {
      const request = twirpRequest("livekit.RoomService/CreateRoom", Buffer.from("{}"), [
        ["Content-Type", "application/json"],
        ["X-Lk-Mock", JSON.stringify({ skipAuth: true, response: { name } })],
      ]);
      const answer = await ctx.client.send(ctx.target.ports[r]!, request);
      const problems = answerProblems({ request, answer });
      if (answer.kind !== "response" || answer.status !== 200) return [...problems, `answered ${describe(answer)}`];
      const got = (JSON.parse(answer.body.toString("utf8")) as { name?: string }).name;
      if (got !== name) problems.push(`name ${JSON.stringify(name)} came back as ${JSON.stringify(got)}`);
      return problems;
    },
  }),
];

async function lkMockProblems(ctx: FuzzContext, mock: string, viaUpgrade: boolean, r: number): Promise<string[]> {
  const jwt = happyToken(mock);
  if (viaUpgrade) {
    const conn = await openSignal(ctx.target.ports[r]!, `/rtc?access_token=${jwt}`);
    conn.socket.destroy();
    const documented =
      conn.status === 101 ||
      (conn.status === 400 && conn.refusalBody.startsWith("invalid lk.mock attribute")) ||
      ([404, 500].includes(conn.status) && conn.refusalBody === "");
    return documented
      ? []
      : [`upgrade with lk.mock ${JSON.stringify(mock.slice(0, 80))} answered ${conn.status} ${conn.refusalBody.slice(0, 200)}`];
  }
  const request: RawRequest = { method: "GET", target: `/rtc/validate?access_token=${jwt}`, headers: [] };
  const answer = await ctx.client.send(ctx.target.ports[r]!, request);
  const problems = answerProblems({ request, answer });
  if (answer.kind !== "response") return problems;
  const text = answer.body.toString("utf8");
  const documented =
    (answer.status === 200 && text === "success") ||
    (answer.status === 400 && text.startsWith("invalid lk.mock attribute: ")) ||
    (answer.status === 404 && (text === "404 page not found" || text === "requested room does not exist")) ||
    (answer.status === 500 && text === "internal server error");
  if (!documented) problems.push(`validate with lk.mock ${JSON.stringify(mock.slice(0, 80))} answered ${describe(answer)}`);
  return problems;
}

async function perform(socket: import("node:net").Socket, action: WsAction): Promise<void> {
  const write = (bytes: Uint8Array): Promise<void> => new Promise((resolve) => socket.write(bytes, () => resolve()));
  switch (action.kind) {
    case "frame":
      return write(encodeFrame(action));
    case "claimed-length": {
      const head = Buffer.alloc(14);
      head[0] = 0x82;
      head[1] = 0x80 | 127;
      head.writeBigUInt64BE(BigInt(action.claimed), 2);
      return write(Buffer.concat([head, action.sent]));
    }
    case "bytes":
      return write(action.bytes);
    case "close": {
      const reason = Buffer.from(action.reason).subarray(0, 123);
      const payload = Buffer.alloc(2 + reason.length);
      payload.writeUInt16BE(action.code);
      reason.copy(payload, 2);
      return write(encodeFrame({ kind: "frame", opcode: 0x8, fin: true, rsv: 0, masked: true, payload }));
    }
    case "abort":
      socket.destroy();
      return;
    case "pause":
      await new Promise((resolve) => setTimeout(resolve, action.ms));
      return;
  }
}
