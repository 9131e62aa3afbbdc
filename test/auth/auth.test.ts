// Access-token verification (docs/spec/auth.md#verification) and the mock's grant enforcement
// (docs/spec/auth.md#grant-check, docs/spec/auth.md#grant-table), with the permission_denied
// message naming the missing grant.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useServer } from "../support/server.js";
import { nowPlus, rawToken } from "../support/raw-jwt.js";
import { signToken } from "../support/tokens.js";
import { assertTwirpError, twirp, type TwirpOptions, type TwirpReply } from "../support/twirp.js";

const listRooms = "livekit.RoomService/ListRooms";
const createRoom = "livekit.RoomService/CreateRoom";
const unauthenticated = '{"code":"unauthenticated","msg":"mock: unauthenticated"}';

function assertUnauthenticated(reply: TwirpReply): void {
  assert.equal(reply.status, 401, reply.text);
  assert.equal(reply.text, unauthenticated);
  assert.equal(reply.contentType, "application/json");
  assert.equal(reply.region, "");
}

function assertDenied(reply: TwirpReply, grant: string): void {
  assertTwirpError(reply, { status: 403, code: "permission_denied", msgStartsWith: "mock: permission_denied", msgIncludes: [grant] });
  assert.equal(reply.region, "");
}

describe("token verification", () => {
  const t = useServer({ ports: [0] });
  const list = (token: string | null, options: TwirpOptions = {}): Promise<TwirpReply> =>
    twirp(t.url(), listRooms, {}, { ...options, token });
  const listGrant = { video: { roomList: true } };

  it("accepts an HS256 token signed with the API secret, whatever the API key", async () => {
    assert.equal((await list(await signToken(listGrant))).status, 200);
    assert.equal((await list(rawToken({ iss: "some-other-key", exp: nowPlus(60), ...listGrant }))).status, 200);
    assert.equal((await list(rawToken({ exp: nowPlus(60), ...listGrant }, { header: { alg: "HS256" } }))).status, 200);
  });

  it("accepts the token with or without the Bearer prefix", async () => {
    const token = await signToken(listGrant);
    const bare = await twirp(t.url(), listRooms, {}, { token: null, headers: { Authorization: token } });
    assert.equal(bare.status, 200);
    const spaced = await twirp(t.url(), listRooms, {}, { token: null, headers: { Authorization: `Bearer   ${token}  ` } });
    assert.equal(spaced.status, 200);
  });

  it("strips only a case-sensitive Bearer prefix", async () => {
    const token = await signToken(listGrant);
    assertUnauthenticated(await twirp(t.url(), listRooms, {}, { token: null, headers: { Authorization: `bearer ${token}` } }));
  });

  it("refuses a missing or empty token", async () => {
    assertUnauthenticated(await list(null));
    assertUnauthenticated(await twirp(t.url(), listRooms, {}, { token: null, headers: { Authorization: "Bearer " } }));
  });

  it("does not read the access_token query parameter for API calls", async () => {
    const token = await signToken(listGrant);
    assertUnauthenticated(await twirp(t.url(), `${listRooms}?access_token=${token}`, {}, { token: null }));
  });

  it("refuses a token signed with another secret", async () => {
    assertUnauthenticated(await list(await signToken({ ...listGrant, secret: "not-the-secret" })));
  });

  it("refuses HS384 and HS512 tokens even when signed with the right secret", async () => {
    for (const alg of ["HS384", "HS512"]) {
      assertUnauthenticated(await list(rawToken({ exp: nowPlus(60), ...listGrant }, { header: { alg, typ: "JWT" } })));
    }
  });

  it("refuses tokens with an unknown or missing alg, or alg none", async () => {
    assertUnauthenticated(await list(rawToken({ exp: nowPlus(60), ...listGrant }, { header: { alg: "XS256" } })));
    assertUnauthenticated(await list(rawToken({ exp: nowPlus(60), ...listGrant }, { header: { typ: "JWT" } })));
    const none = rawToken({ exp: nowPlus(60), ...listGrant }, { header: { alg: "none" } });
    assertUnauthenticated(await list(`${none.split(".").slice(0, 2).join(".")}.`));
  });

  it("refuses garbage", async () => {
    for (const token of ["garbage", "a.b.c", "a.b", "...", "eyJhbGciOiJIUzI1NiJ9.e30", "Bearer"]) assertUnauthenticated(await list(token));
  });

  it("refuses a token whose segments carry base64 padding", async () => {
    // `sub` of this length makes the claims segment's length not a multiple of 4.
    const claims = { exp: nowPlus(60), sub: "ab", ...listGrant };
    const padded = rawToken(claims, { padded: true });
    assert.ok(padded.includes("="), "the token really is padded");
    assert.equal((await list(rawToken(claims))).status, 200, "the same token unpadded is fine");
    assertUnauthenticated(await list(padded));
  });

  it("requires exp", async () => {
    assertUnauthenticated(await list(rawToken({ nbf: nowPlus(0), ...listGrant })));
  });

  it("allows 60 s of leeway on exp", async () => {
    assert.equal((await list(await signToken({ ...listGrant, expiresIn: -30 }))).status, 200);
    assertUnauthenticated(await list(await signToken({ ...listGrant, expiresIn: -90 })));
  });

  it("allows 60 s of leeway on nbf", async () => {
    assert.equal((await list(await signToken({ ...listGrant, notBeforeIn: 30 }))).status, 200);
    assertUnauthenticated(await list(await signToken({ ...listGrant, notBeforeIn: 90 })));
  });

  it("accepts float and absent nbf values", async () => {
    assert.equal((await list(rawToken({ exp: nowPlus(60) + 0.5, nbf: nowPlus(0) - 0.25, ...listGrant }))).status, 200);
  });

  it("refuses claims of the wrong JSON type", async () => {
    const cases: Record<string, unknown>[] = [
      { exp: "soon", video: { roomList: true } },
      { exp: nowPlus(60), video: { roomList: true, roomAdmin: "true" } },
      { exp: nowPlus(60), video: { roomList: "true" } },
      { exp: nowPlus(60), video: { roomList: true, room: 5 } },
      { exp: nowPlus(60), video: "all" },
      { exp: nowPlus(60), sub: 42, video: { roomList: true } },
      { exp: nowPlus(60), nbf: "now", video: { roomList: true } },
      { exp: nowPlus(60), video: { roomList: true }, sip: { admin: 1 } },
    ];
    for (const claims of cases) assertUnauthenticated(await list(rawToken(claims)));
  });

  it("refuses a token whose roomConfig is not a RoomConfiguration", async () => {
    const base = { exp: nowPlus(60), video: { roomList: true } };
    assert.equal(
      (await list(rawToken({ ...base, roomConfig: { name: "r", emptyTimeout: 30, agents: [{ agentName: "a" }] } }))).status,
      200,
    );
    assertUnauthenticated(await list(rawToken({ ...base, roomConfig: { emptyTimeout: "soon" } })));
    assertUnauthenticated(await list(rawToken({ ...base, roomConfig: "r" })));
  });

  it("ignores unknown claims", async () => {
    assert.equal(
      (await list(rawToken({ exp: nowPlus(60), whatever: { deep: [1] }, video: { roomList: true, futureFlag: 3 } }))).status,
      200,
    );
  });

  it("matches grant keys case-insensitively", async () => {
    const create = (claims: Record<string, unknown>): Promise<TwirpReply> =>
      twirp(t.url(), createRoom, { name: "r" }, { token: rawToken({ exp: nowPlus(60), ...claims }) });
    assert.equal((await create({ video: { RoomCreate: true } })).status, 200);
    assert.equal((await create({ Video: { roomcreate: true } })).status, 200);
  });
});

describe("grants", () => {
  const t = useServer({ ports: [0] });
  const call = async (
    key: string,
    body: unknown,
    claims: { video?: Record<string, unknown>; sip?: Record<string, unknown> },
  ): Promise<TwirpReply> => twirp(t.url(), key, body, { token: await signToken(claims), control: { delayMs: 0 } });

  const required: [string, string, Record<string, unknown>][] = [
    [createRoom, "video.roomCreate", { video: { roomCreate: true } }],
    ["livekit.RoomService/DeleteRoom", "video.roomCreate", { video: { roomCreate: true } }],
    [listRooms, "video.roomList", { video: { roomList: true } }],
    ["livekit.Egress/StartRoomCompositeEgress", "video.roomRecord", { video: { roomRecord: true } }],
    ["livekit.Egress/ListEgress", "video.roomRecord", { video: { roomRecord: true } }],
    ["livekit.Ingress/CreateIngress", "video.ingressAdmin", { video: { ingressAdmin: true } }],
    ["livekit.SIP/ListSIPInboundTrunk", "sip.admin", { sip: { admin: true } }],
    ["livekit.SIP/CreateSIPDispatchRule", "sip.admin", { sip: { admin: true } }],
    ["livekit.SIP/CreateSIPParticipant", "sip.call", { sip: { call: true } }],
    ["livekit.RoomService/ListParticipants", "video.roomAdmin", { video: { roomAdmin: true } }],
    ["livekit.Connector/DialWhatsAppCall", "video.roomCreate", { video: { roomCreate: true } }],
  ];
  for (const [key, grant, claims] of required) {
    it(`${key} needs ${grant}: 403 naming it without, 200 with`, async () => {
      const others = { video: { roomJoin: true, room: "" }, sip: {} };
      assertDenied(await call(key, {}, others), grant);
      assert.equal((await call(key, {}, claims)).status, 200);
    });
  }

  it("counts a missing video or sip object as no grant", async () => {
    assertDenied(await call(createRoom, {}, {}), "video.roomCreate");
    assertDenied(await call("livekit.SIP/CreateSIPParticipant", {}, { video: { roomAdmin: true } }), "sip.call");
  });

  it("needs the grant to be true, not just present", async () => {
    assertDenied(await call(createRoom, {}, { video: { roomCreate: false } }), "video.roomCreate");
  });

  it("answers a missing grant with 403 on every region before any failRegions failure", async () => {
    const reply = await twirp(
      t.url(),
      createRoom,
      {},
      { token: await signToken({ video: { roomList: true } }), control: { failRegions: [0] } },
    );
    assert.equal(reply.status, 403);
  });
});

describe("room scoping", () => {
  const t = useServer({ ports: [0] });
  const call = async (
    key: string,
    body: unknown,
    claims: { video?: Record<string, unknown>; sip?: Record<string, unknown> },
  ): Promise<TwirpReply> => twirp(t.url(), key, body, { token: await signToken(claims), control: { delayMs: 0 } });
  const admin = (room?: string, destinationRoom?: string): { video: Record<string, unknown> } => ({
    video: { roomAdmin: true, ...(room === undefined ? {} : { room }), ...(destinationRoom === undefined ? {} : { destinationRoom }) },
  });

  it("allows a request for the token's room", async () => {
    assert.equal((await call("livekit.RoomService/ListParticipants", { room: "a" }, admin("a"))).status, 200);
    assert.equal((await call("livekit.RoomService/GetParticipant", { room: "a", identity: "x" }, admin("a"))).status, 200);
  });

  it("refuses a request for another room with 403", async () => {
    assertDenied(await call("livekit.RoomService/ListParticipants", { room: "b" }, admin("a")), "room");
    assertDenied(await call("livekit.RoomService/UpdateRoomMetadata", { room: "b", metadata: "m" }, admin("a")), "room");
  });

  it("refuses a room-scoped request when the token names no room", async () => {
    assertDenied(await call("livekit.RoomService/RemoveParticipant", { room: "b", identity: "x" }, admin()), "room");
  });

  it("allows a request with an empty room, whatever room the token names", async () => {
    assert.equal((await call("livekit.RoomService/ListParticipants", {}, admin("a"))).status, 200);
    assert.equal((await call("livekit.RoomService/ListParticipants", { room: "" }, admin())).status, 200);
  });

  it("checks destination_room against video.destinationRoom for MoveParticipant and ForwardParticipant", async () => {
    for (const method of ["MoveParticipant", "ForwardParticipant"]) {
      const key = `livekit.RoomService/${method}`;
      assert.equal((await call(key, { room: "a", identity: "x", destinationRoom: "b" }, admin("a", "b"))).status, 200, method);
      assertDenied(await call(key, { room: "a", identity: "x", destinationRoom: "c" }, admin("a", "b")), "destination");
      assertDenied(await call(key, { room: "z", identity: "x", destinationRoom: "b" }, admin("a", "b")), "room");
      assert.equal((await call(key, { room: "a", identity: "x" }, admin("a", "b"))).status, 200, `${method} without a destination`);
      assert.equal(
        (await call(key, { room: "a", identity: "x", destination_room: "b" }, admin("a", "b"))).status,
        200,
        `${method} snake_case`,
      );
    }
  });

  it("scopes TransferSIPParticipant by room_name and requires sip.call and roomAdmin", async () => {
    const key = "livekit.SIP/TransferSIPParticipant";
    const body = { roomName: "a", participantIdentity: "p", transferTo: "tel:+1555" };
    assert.equal((await call(key, body, { video: { roomAdmin: true, room: "a" }, sip: { call: true } })).status, 200);
    assertDenied(await call(key, body, { video: { roomAdmin: true, room: "a" } }), "sip.call");
    assertDenied(await call(key, body, { video: { room: "a" }, sip: { call: true } }), "video.roomAdmin");
    assertDenied(await call(key, body, { video: { roomAdmin: true, room: "b" }, sip: { call: true } }), "room");
    assertDenied(await call(key, body, { sip: { call: true, admin: true } }), "video.roomAdmin");
  });

  it("requires roomAdmin and the room for AgentDispatchService", async () => {
    for (const [method, body] of [
      ["CreateDispatch", { room: "a", agentName: "agent" }],
      ["DeleteDispatch", { room: "a", dispatchId: "AD_1" }],
      ["ListDispatch", { room: "a" }],
    ] as const) {
      const key = `livekit.AgentDispatchService/${method}`;
      assert.equal((await call(key, body, admin("a"))).status, 200, method);
      assertDenied(await call(key, body, { video: { roomCreate: true, roomList: true, room: "a" } }), "video.roomAdmin");
      assertDenied(await call(key, body, admin("b")), "room");
      assertUnauthenticated(await twirp(t.url(), key, body, { token: null }));
    }
  });
});

describe("methods without auth and auth bypass", () => {
  const t = useServer({ ports: [0] });

  it("needs no token for cloud-only services", async () => {
    for (const key of [
      "livekit.CloudAgent/ListAgents",
      "livekit.CloudAgent/CreateAgent",
      "livekit.Replay/Export",
      "livekit.PhoneNumberService/ListPhoneNumbers",
      "livekit.AgentSimulation/ListSimulationRuns",
    ]) {
      const reply = await twirp(t.url(), key, {}, { token: null });
      assert.equal(reply.status, 200, key);
      const garbage = await twirp(t.url(), key, {}, { token: "garbage" });
      assert.equal(garbage.status, 200, `${key} ignores a bad token`);
    }
  });

  it("needs no token for unknown methods", async () => {
    assert.equal((await twirp(t.url(), "livekit.RoomService/Future", {}, { token: "garbage" })).status, 200);
  });

  it("skips verification and grants with skipAuth", async () => {
    assert.equal((await twirp(t.url(), createRoom, {}, { token: null, control: { skipAuth: true } })).status, 200);
    assert.equal((await twirp(t.url(), createRoom, {}, { token: "garbage", control: { skipAuth: true } })).status, 200);
    const roomScoped = await twirp(
      t.url(),
      "livekit.RoomService/ListParticipants",
      { room: "x" },
      { token: await signToken({ video: { room: "y" } }), control: { skipAuth: true } },
    );
    assert.equal(roomScoped.status, 200);
  });

  it("skips auth with the legacy X-Lk-Mock-Skip-Auth: true header, in any case", async () => {
    for (const value of ["true", "TRUE", "True"]) {
      assert.equal((await twirp(t.url(), createRoom, {}, { token: null, headers: { "X-Lk-Mock-Skip-Auth": value } })).status, 200, value);
    }
  });

  it("still enforces auth with X-Lk-Mock-Skip-Auth: false, or when skipAuth:false overrides it", async () => {
    assertUnauthenticated(await twirp(t.url(), createRoom, {}, { token: null, headers: { "X-Lk-Mock-Skip-Auth": "false" } }));
    assertUnauthenticated(
      await twirp(t.url(), createRoom, {}, { token: null, headers: { "X-Lk-Mock-Skip-Auth": "true" }, control: { skipAuth: false } }),
    );
  });
});
