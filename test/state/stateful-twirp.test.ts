// The stateful mode over HTTP: worlds chosen by the control's `state` key (or --stateful), seen
// from every region, read and reset under /_test/state/<key>; the stateless default unchanged; and
// the rest of the control (faults, delays, pins, the journal, overrides) working as before, a
// failed call changing nothing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";
import { get, twirp, type TwirpOptions, type TwirpReply } from "../support/twirp.js";
import type { MockControl } from "../../src/control/control-fields.js";
import { ownReceiver, startNodeReceiver, type Receiver } from "../webhooks/receivers.js";

const lk = useServer();
let keys = 0;
const newKey = (): string => `twirp-${process.pid}-${++keys}`;

const rs = (method: string): string => `livekit.RoomService/${method}`;

/** Methods an SDK signs a room-scoped roomAdmin token for. */
const roomScoped = new Set([
  "UpdateRoomMetadata",
  "ListParticipants",
  "GetParticipant",
  "RemoveParticipant",
  "UpdateParticipant",
  "MutePublishedTrack",
  "UpdateSubscriptions",
  "SendData",
]);

/** A call with the token an SDK signs for it (room-scoped admin where the server requires it). */
async function call(
  url: string,
  method: string,
  body: Record<string, unknown>,
  control: MockControl,
  options: TwirpOptions = {},
): Promise<TwirpReply> {
  const token = roomScoped.has(method)
    ? await signToken({ identity: "api", video: { roomAdmin: true, room: String(body["room"]) } })
    : undefined;
  return twirp(url, rs(method), body, { control, ...(token === undefined ? {} : { token }), ...options });
}

async function roomNames(url: string, control: MockControl): Promise<string[]> {
  const reply = await call(url, "ListRooms", {}, control);
  assert.equal(reply.status, 200, reply.text);
  return ((reply.json().rooms ?? []) as { name: string }[]).map((r) => r.name);
}

describe("worlds chosen by the control's state key", () => {
  test("a room created in a world is listed in it from every region, and in no other world", async () => {
    const state = newKey();
    const created = await call(lk.url(0), "CreateRoom", { name: "shared", metadata: "m", emptyTimeout: 60 }, { state });
    assert.equal(created.status, 200, created.text);
    const room = created.json();
    assert.match(room.sid, /^RM_[0-9A-Za-z]{12}$/);
    assert.equal(room.emptyTimeout, 60);
    assert.equal(room.departureTimeout, 20);
    assert.equal(room.enabledCodecs.length, 10);
    for (const region of [0, 1, 2, 3]) assert.deepEqual(await roomNames(lk.url(region), { state }), ["shared"]);
    assert.deepEqual(await roomNames(lk.url(0), { state: newKey() }), []);
  });

  test("without a key and without --stateful every answer is the stateless one", async () => {
    const state = newKey();
    await call(lk.url(0), "CreateRoom", { name: "stateful-only" }, { state });
    const created = await call(lk.url(0), "CreateRoom", { name: "anything" }, {});
    assert.equal(created.json().sid, "MOCK_SID");
    const listed = await call(lk.url(0), "ListRooms", {}, {});
    assert.deepEqual(listed.json(), { rooms: [{ sid: "MOCK_SID" }] });
    const deleted = await call(lk.url(0), "DeleteRoom", { room: "never-created" }, {});
    assert.equal(deleted.status, 200);
  });

  test("create, list, update, delete, list, with each error as the real server words it", async () => {
    const state = newKey();
    const first = (await call(lk.url(0), "CreateRoom", { name: "crud", metadata: "one" }, { state })).json();
    const again = await call(lk.url(0), "CreateRoom", { name: "crud", metadata: "two", emptyTimeout: 5 }, { state });
    assert.deepEqual(again.json(), first, "an existing name returns the existing room unchanged");
    assert.deepEqual(await roomNames(lk.url(0), { state }), ["crud"]);
    const listed = await call(lk.url(0), "ListRooms", { names: ["crud", "unknown"] }, { state });
    assert.deepEqual(
      listed.json().rooms.map((r: { name: string }) => r.name),
      ["crud"],
    );
    assert.deepEqual((await call(lk.url(0), "ListRooms", { names: ["unknown"] }, { state })).json(), {});
    const updated = await call(lk.url(0), "UpdateRoomMetadata", { room: "crud", metadata: "three" }, { state });
    assert.equal(updated.status, 200, updated.text);
    assert.equal(updated.json().metadata, "three");
    assert.equal((await call(lk.url(0), "DeleteRoom", { room: "crud" }, { state })).status, 200);
    assert.deepEqual(await roomNames(lk.url(0), { state }), []);
    for (const [method, body] of [
      ["DeleteRoom", { room: "crud" }],
      ["UpdateRoomMetadata", { room: "crud", metadata: "x" }],
    ] as const) {
      const missing = await call(lk.url(0), method, body, { state });
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json(), { code: "not_found", msg: "twirp error unknown: requested room does not exist" });
    }
    for (const method of ["GetParticipant", "RemoveParticipant", "UpdateParticipant"]) {
      const missing = await call(lk.url(0), method, { room: "crud", identity: "nobody" }, { state });
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.json(), { code: "not_found", msg: "twirp error unknown: participant does not exist" });
    }
    assert.deepEqual((await call(lk.url(0), "ListParticipants", { room: "crud" }, { state })).json(), {});
    const tooLong = await call(lk.url(0), "CreateRoom", { name: "x".repeat(257) }, { state });
    assert.equal(tooLong.status, 400);
    assert.deepEqual(tooLong.json(), {
      code: "invalid_argument",
      msg: "twirp error unknown: room name length exceeds limits: max length 256",
    });
  });

  test("a key the control cannot name a world by is refused, naming the field", async () => {
    const refused = await twirp(lk.url(0), rs("ListRooms"), {}, { control: '{"state":"not a key!"}' });
    assert.equal(refused.status, 400);
    assert.match(refused.json().msg, /field state must be 1 to 64 characters/);
  });
});

describe("the stateful mode composes with the rest of the control", () => {
  test("a failing region, a drop, a pin and a failed token change nothing; the next plain call does", async () => {
    const state = newKey();
    const body = { name: "only-once" };
    assert.equal((await call(lk.url(0), "CreateRoom", body, { state, failRegions: [0] })).status, 503);
    await assert.rejects(call(lk.url(0), "CreateRoom", body, { state, failRegions: [0], failMode: "drop" }));
    assert.equal((await call(lk.url(1), "CreateRoom", body, { state, pinnedRegions: ["region-0"] })).status, 451);
    assert.equal((await call(lk.url(0), "CreateRoom", body, { state }, { token: null })).status, 401);
    const noGrant = await signToken({ identity: "x", video: { roomList: true } });
    assert.equal((await call(lk.url(0), "CreateRoom", body, { state }, { token: noGrant })).status, 403);
    assert.deepEqual(await roomNames(lk.url(0), { state }), []);
    assert.equal((await call(lk.url(1), "CreateRoom", body, { state, failRegions: [0] })).status, 200);
    assert.deepEqual(await roomNames(lk.url(0), { state }), ["only-once"]);
  });

  test("a delay holds the answer, and the world changes when it is answered", async () => {
    const state = newKey();
    const started = performance.now();
    const created = await call(lk.url(0), "CreateRoom", { name: "late" }, { state, delayMs: 300 });
    assert.equal(created.status, 200);
    assert.ok(performance.now() - started >= 290);
    assert.deepEqual(await roomNames(lk.url(0), { state }), ["late"]);
  });

  test("a response override answers as told and leaves the world as it was", async () => {
    const state = newKey();
    const overridden = await call(lk.url(0), "CreateRoom", { name: "real" }, { state, response: { sid: "RM_TOLD", name: "told" } });
    assert.deepEqual(overridden.json(), { sid: "RM_TOLD", name: "told" });
    assert.deepEqual(await roomNames(lk.url(0), { state }), []);
  });

  test("the journal and the echo record a stateful call, its answer and why", async () => {
    const state = newKey();
    const journal = newKey();
    const reply = await call(lk.url(2), "DeleteRoom", { room: "missing" }, { state, journal, echo: true });
    assert.equal(reply.status, 404);
    const echoed = JSON.parse(Buffer.from(reply.headers.get("x-lk-mock-echo")!, "base64url").toString());
    assert.equal(echoed.code, "not_found");
    assert.deepEqual(echoed.control.state, state);
    const entries = (await (await get(lk.url(0), `/_test/journal/${journal}`)).json()).entries;
    assert.equal(entries.length, 1);
    assert.equal(entries[0].region, "region-2");
    assert.equal(entries[0].status, 404);
  });
});

describe("/_test/state/<key>", () => {
  test("GET shows the world's rooms and limits, DELETE resets it", async () => {
    const state = newKey();
    await call(lk.url(0), "CreateRoom", { name: "seen", metadata: "meta" }, { state });
    const world = await (await get(lk.url(3), `/_test/state/${state}`)).json();
    assert.equal(world.key, state);
    assert.equal(world.webhooks, null);
    assert.deepEqual(
      world.rooms.map((r: { room: { name: string; metadata: string }; participants: unknown[] }) => [
        r.room.name,
        r.room.metadata,
        r.participants,
      ]),
      [["seen", "meta", []]],
    );
    assert.equal(world.limits.worlds, 256);
    const reset = await fetch(`${lk.url(1)}/_test/state/${state}`, { method: "DELETE" });
    assert.deepEqual(await reset.json(), { key: state, reset: true });
    assert.deepEqual((await (await get(lk.url(0), `/_test/state/${state}`)).json()).rooms, []);
    assert.deepEqual(await roomNames(lk.url(0), { state }), []);
  });

  test("a bad key is a 400 and other methods a 405", async () => {
    const bad = await get(lk.url(0), "/_test/state/has%20space");
    assert.equal(bad.status, 400);
    assert.match(bad.text, /^invalid world key: world key "has space" is not 1 to 64 characters/);
    const post = await get(lk.url(0), "/_test/state/fine", { method: "POST" });
    assert.equal(post.status, 405);
    assert.equal(post.headers.get("allow"), "GET, HEAD, DELETE");
  });
});

// Each test's world sends to a receiver of its own: a delivery of another test still under way
// (a room_finished after its timeout) cannot be counted among this test's.
describe("webhooks of a world", () => {
  test("the control's webhooks become the world's destination: later calls' events go there too, in order", async (t) => {
    const receiver = await ownReceiver(t);
    const state = newKey();
    const webhooks = { url: receiver.url, apiKey: "devkey" };
    await call(lk.url(0), "CreateRoom", { name: "hooked" }, { state, webhooks });
    assert.equal((await call(lk.url(0), "UpdateRoomMetadata", { room: "hooked", metadata: "quiet" }, { state })).status, 200);
    await call(lk.url(0), "DeleteRoom", { room: "hooked" }, { state });
    const deliveries = await receiver.waitFor(2);
    assert.ok(deliveries.every((d) => d.verified));
    assert.deepEqual(
      deliveries.map((d) => [d.event!["event"], d.event!["room"]["name"]]),
      [
        ["room_started", "hooked"],
        ["room_finished", "hooked"],
      ],
    );
    assert.equal(deliveries[1]!.event!["room"]["metadata"], "quiet");
  });

  test("a room nobody joins finishes after its empty timeout", async (t) => {
    const receiver = await ownReceiver(t);
    const state = newKey();
    await call(lk.url(0), "CreateRoom", { name: "brief", emptyTimeout: 1 }, { state, webhooks: { url: receiver.url, apiKey: "devkey" } });
    assert.deepEqual(await roomNames(lk.url(0), { state }), ["brief"]);
    const deliveries = await receiver.waitFor(2);
    assert.deepEqual(
      deliveries.map((d) => d.event!["event"]),
      ["room_started", "room_finished"],
    );
    assert.deepEqual(await roomNames(lk.url(0), { state }), []);
  });
});

describe("--stateful: one server-wide world", () => {
  let server: RunningServer;
  let receiver: Receiver;
  before(async () => {
    receiver = await startNodeReceiver("devkey", "secret");
    server = await startServer({ ports: [0, 0], bind: "127.0.0.1", logLevel: "silent", stateful: "everyone", webhookUrl: receiver.url });
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  test("requests without a key share the server-wide world; a request with its own key uses that", async () => {
    await call(server.url(0), "CreateRoom", { name: "plain" }, {});
    assert.deepEqual(await roomNames(server.url(1), {}), ["plain"]);
    assert.deepEqual(await roomNames(server.url(1), { state: newKey() }), []);
    const world = await (await get(server.url(0), "/_test/state/everyone")).json();
    assert.deepEqual(
      world.rooms.map((r: { room: { name: string } }) => r.room.name),
      ["plain"],
    );
    assert.match(world.webhooks, /^http:\/\/127\.0\.0\.1:\d+\//);
  });

  // The server-wide destination hears every test of this block: the test waits for its own room's
  // event, since the previous test's room_started may still be on its way.
  test("--webhook-url receives the server-wide world's events, signed for devkey", async () => {
    await call(server.url(0), "CreateRoom", { name: "announced" }, {});
    const [delivery] = await receiver.waitForMatching((d) => d.event?.["room"]?.["name"] === "announced", 1);
    assert.equal(delivery!.verified, true);
    assert.equal(delivery!.event!["event"], "room_started");
    assert.equal(delivery!.event!["room"]["name"], "announced");
  });
});
