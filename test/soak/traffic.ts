// The soak's mixed traffic: each scenario is one thing SDK suites do to the server (calls in both
// codecs, failures, drops, delays, SIP errors, pins, region discovery, bad input, large bodies,
// signal connections, clients that give up mid-delay), with what its answer must be.
import { create, toBinary } from "@bufbuild/protobuf";
import { ListRoomsRequestSchema } from "../../generated/livekit_room_pb.js";
import { sign } from "../fuzz/arbitraries.js";
import type { Answer, RawHttpClient, RawRequest } from "../fuzz/raw-http.js";
import { openSignal } from "../fuzz/raw-signal.js";

export interface TrafficContext {
  readonly ports: readonly number[];
  readonly client: RawHttpClient;
}

export interface Scenario {
  readonly name: string;
  /** Share of the random workers' picks; 0 for a periodic scenario. */
  readonly weight: number;
  /** Runs once; returns why the answer was wrong, or undefined. Counts the requests it made. */
  run(ctx: TrafficContext): Promise<{ requests: number; problem?: string }>;
}

const far = 4_102_444_800;
const grants = {
  video: { roomCreate: true, roomList: true, roomAdmin: true, roomRecord: true, ingressAdmin: true },
  sip: { admin: true, call: true },
};
const pooledTokens = Array.from({ length: 200 }, (_, i) =>
  sign('{"alg":"HS256"}', JSON.stringify({ exp: far, sub: `soak-${i}`, ...grants })),
);
let freshTokens = 0;

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;
const region = (ctx: TrafficContext): number => Math.floor(Math.random() * ctx.ports.length);

function call(key: string, body: Uint8Array, headers: [string, string][], codec: "json" | "binary" = "json"): RawRequest {
  return {
    method: "POST",
    target: `/twirp/${key}`,
    headers: [["Content-Type", codec === "json" ? "application/json" : "application/protobuf"], ...headers],
    body,
  };
}

function expectStatus(answer: Answer, status: number, what: string): string | undefined {
  if (answer.kind === "response" && answer.status === status) return undefined;
  const got = answer.kind === "response" ? `${answer.status} ${answer.body.toString("utf8").slice(0, 120)}` : answer.kind;
  return `${what}: expected ${status}, got ${got}`;
}

const listRoomsBinary = toBinary(ListRoomsRequestSchema, create(ListRoomsRequestSchema, { names: ["a", "b"] }));
const largeMetadata = Buffer.from(JSON.stringify({ name: "large", metadata: "m".repeat(1024 * 1024) }));
// The shape that once made decoding slow: ~3.5 MB of short unknown keys, under the 4 MiB limit.
const manyKeys = Buffer.from(`{"name":"keys",${Array.from({ length: 240_000 }, (_, i) => `"k${i}":${i}`).join(",")}}`);

export const scenarios: readonly Scenario[] = [
  {
    name: "CreateRoom, JSON, pooled token",
    weight: 30,
    async run(ctx) {
      const answer = await ctx.client.send(
        ctx.ports[region(ctx)]!,
        call("livekit.RoomService/CreateRoom", Buffer.from('{"name":"soak","emptyTimeout":30}'), [
          ["Authorization", `Bearer ${pick(pooledTokens)}`],
        ]),
      );
      return { requests: 1, ...problem(expectStatus(answer, 200, "CreateRoom")) };
    },
  },
  {
    name: "ListRooms, protobuf, fresh token",
    weight: 20,
    async run(ctx) {
      const token = sign('{"alg":"HS256"}', JSON.stringify({ exp: far, sub: `fresh-${freshTokens++}`, ...grants }));
      const answer = await ctx.client.send(
        ctx.ports[region(ctx)]!,
        call("livekit.RoomService/ListRooms", listRoomsBinary, [["Authorization", `Bearer ${token}`]], "binary"),
      );
      return { requests: 1, ...problem(expectStatus(answer, 200, "ListRooms")) };
    },
  },
  {
    name: "failRegions with a status",
    weight: 8,
    async run(ctx) {
      const r = region(ctx);
      const status = pick([429, 500, 503]);
      const answer = await ctx.client.send(
        ctx.ports[r]!,
        call("livekit.RoomService/ListRooms", Buffer.from("{}"), [
          ["X-Lk-Mock", JSON.stringify({ skipAuth: true, failRegions: [r], failStatus: status })],
        ]),
      );
      return { requests: 1, ...problem(expectStatus(answer, status, "failRegions")) };
    },
  },
  {
    name: "failMode drop",
    weight: 4,
    async run(ctx) {
      const r = region(ctx);
      const answer = await ctx.client.send(
        ctx.ports[r]!,
        call("livekit.RoomService/ListRooms", Buffer.from("{}"), [
          ["X-Lk-Mock", JSON.stringify({ skipAuth: true, failRegions: [r], failMode: "drop" })],
        ]),
      );
      return { requests: 1, ...problem(answer.kind === "closed" ? undefined : `drop: expected a closed connection, got ${answer.kind}`) };
    },
  },
  {
    name: "delayMs up to 300 ms",
    weight: 6,
    async run(ctx) {
      const delayMs = Math.floor(Math.random() * 300);
      const started = performance.now();
      const answer = await ctx.client.send(
        ctx.ports[region(ctx)]!,
        call("livekit.RoomService/ListRooms", Buffer.from("{}"), [["X-Lk-Mock", JSON.stringify({ skipAuth: true, delayMs })]]),
      );
      const early = performance.now() - started < delayMs - 1 ? `answered before its ${delayMs} ms delay` : undefined;
      return { requests: 1, ...problem(expectStatus(answer, 200, "delay") ?? early) };
    },
  },
  {
    name: "a client that gives up during a 2 s delay",
    weight: 2,
    async run(ctx) {
      const answer = await ctx.client.send(
        ctx.ports[region(ctx)]!,
        call("livekit.RoomService/ListRooms", Buffer.from("{}"), [["X-Lk-Mock", JSON.stringify({ skipAuth: true, delayMs: 2000 })]]),
        {
          timeoutMs: 50,
        },
      );
      return { requests: 1, ...problem(answer.kind === "timeout" ? undefined : `expected to give up first, got ${answer.kind}`) };
    },
  },
  {
    name: "sipStatus 486",
    weight: 3,
    async run(ctx) {
      const answer = await ctx.client.send(
        ctx.ports[region(ctx)]!,
        call("livekit.SIP/CreateSIPParticipant", Buffer.from("{}"), [
          ["X-Lk-Mock", JSON.stringify({ skipAuth: true, sipStatus: { code: 486, status: "Busy Here" } })],
        ]),
      );
      return { requests: 1, ...problem(expectStatus(answer, 429, "sipStatus")) };
    },
  },
  {
    name: "pinned to another region",
    weight: 3,
    async run(ctx) {
      const r = region(ctx);
      const answer = await ctx.client.send(
        ctx.ports[r]!,
        call("livekit.RoomService/ListRooms", Buffer.from("{}"), [
          ["X-Lk-Mock", JSON.stringify({ skipAuth: true, pinnedRegions: [`region-${(r + 1) % ctx.ports.length}`] })],
        ]),
      );
      return { requests: 1, ...problem(expectStatus(answer, 451, "pinned")) };
    },
  },
  {
    name: "/settings/regions, sometimes down",
    weight: 4,
    async run(ctx) {
      const down = Math.random() < 0.3;
      const answer = await ctx.client.send(ctx.ports[region(ctx)]!, {
        method: "GET",
        target: "/settings/regions",
        headers: down ? [["X-Lk-Mock", '{"regionsStatus":500}']] : [],
      });
      return { requests: 1, ...problem(expectStatus(answer, down ? 500 : 200, "regions")) };
    },
  },
  {
    name: "bad input: undecodable body, forged token, invalid control",
    weight: 6,
    async run(ctx) {
      const kind = pick(["body", "token", "control"] as const);
      const request =
        kind === "body"
          ? call("livekit.RoomService/CreateRoom", Buffer.from('{"name":'), [["X-Lk-Mock", '{"skipAuth":true}']])
          : kind === "token"
            ? call("livekit.RoomService/CreateRoom", Buffer.from("{}"), [["Authorization", `Bearer ${pick(pooledTokens).slice(0, -2)}xx`]])
            : call("livekit.RoomService/CreateRoom", Buffer.from("{}"), [["X-Lk-Mock", '{"failRegion":[0]}']]);
      const answer = await ctx.client.send(ctx.ports[region(ctx)]!, request);
      return { requests: 1, ...problem(expectStatus(answer, kind === "token" ? 401 : 400, `bad ${kind}`)) };
    },
  },
  {
    name: "signal connection",
    weight: 8,
    async run(ctx) {
      const mode = pick(["happy", "happy", "happy", "close_when_connected", "drop_when_connected", "leave_first_message", "no_pong"]);
      const token = sign(
        '{"alg":"HS256"}',
        JSON.stringify({
          exp: far,
          sub: "soak",
          video: { roomJoin: true, room: "r" },
          attributes: { "lk.mock": JSON.stringify({ signal: mode }) },
        }),
      );
      const conn = await openSignal(ctx.ports[region(ctx)]!, `/rtc?access_token=${token}`);
      if (conn.status !== 101) {
        conn.socket.destroy();
        return { requests: 1, problem: `signal ${mode}: handshake answered ${conn.status}` };
      }
      const first = await conn.firstFrame(3000);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 300));
      if (Math.random() < 0.5) conn.socket.destroy();
      else {
        // A masked close frame, code 1000.
        conn.socket.end(Buffer.from([0x88, 0x82, 0, 0, 0, 0, 0x03, 0xe8]));
        await Promise.race([conn.closed, new Promise((resolve) => setTimeout(resolve, 1000))]);
        conn.socket.destroy();
      }
      return { requests: 1, ...problem(first === undefined ? `signal ${mode}: no first message` : undefined) };
    },
  },
];

/**
 * Sent on a fixed schedule by a worker of their own rather than at random, so that the load they
 * add (decoding megabytes) is the same in every third of the soak.
 */
export const periodicScenarios: readonly (Scenario & { readonly everyMs: number })[] = [
  largeBodyScenario("1 MiB of metadata", largeMetadata, 1000),
  largeBodyScenario("240k keys", manyKeys, 5000),
];

/** A CreateRoom with a large body, answered 200, every `everyMs`. */
function largeBodyScenario(what: string, body: Buffer, everyMs: number): Scenario & { readonly everyMs: number } {
  return {
    name: `a large body: ${what}`,
    weight: 0,
    everyMs,
    async run(ctx) {
      const answer = await ctx.client.send(
        ctx.ports[region(ctx)]!,
        call("livekit.RoomService/CreateRoom", body, [["X-Lk-Mock", '{"skipAuth":true}']]),
        { timeoutMs: 30_000 },
      );
      return { requests: 1, ...problem(expectStatus(answer, 200, what)) };
    },
  };
}

function problem(text: string | undefined): { problem?: string } {
  return text === undefined ? {} : { problem: text };
}
