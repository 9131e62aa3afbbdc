// Signal connections in a world: a join (lk.mock `state`, or --stateful) makes its token's room
// and a participant the API lists and changes; what the API changes reaches the connections as
// the real server sends it; the server's removal and a second session close a socket with a
// leave; the room closes after its departure timeout; and the world's webhooks come in order.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { toJson, type JsonObject } from "@bufbuild/protobuf";
import { ParticipantInfoSchema, RoomSchema } from "../../generated/livekit_models_pb.js";
import type { SignalResponse } from "../../generated/livekit_rtc_pb.js";
import { connect, refusal, type SignalClient } from "../signal/signal-client.js";
import { mockToken } from "../signal/mock-token.js";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";
import { get, twirp, type TwirpReply } from "../support/twirp.js";
import { ownReceiver } from "../webhooks/receivers.js";

const lk = useServer();
let keys = 0;
const newKey = (): string => `signal-${process.pid}-${++keys}`;

interface Joined {
  readonly client: SignalClient;
  readonly received: SignalResponse[];
}

/** A join in `state`'s world (lk.mock beside the token's own attributes), which collects every message it hears. */
async function join(
  state: string,
  identity: string,
  room: string,
  mock: Record<string, unknown> = {},
  claims: { name?: string; metadata?: string; attributes?: Record<string, string>; region?: number } = {},
): Promise<Joined> {
  const token = await signToken({
    identity,
    name: claims.name ?? identity,
    video: { roomJoin: true, room },
    attributes: { ...claims.attributes, "lk.mock": JSON.stringify({ state, ...mock }) },
    ...(claims.metadata === undefined ? {} : { extraClaims: { metadata: claims.metadata } }),
  });
  const client = await connect(lk.url(claims.region ?? 0), "/rtc", { token });
  const received: SignalResponse[] = [];
  void (async () => {
    for (;;) {
      const next = await client.next(3_600_000).catch(() => undefined);
      if (next === undefined) return;
      received.push(next.message);
    }
  })();
  return { client, received };
}

async function heard(joined: Joined, match: (m: SignalResponse) => boolean, timeoutMs = 5_000): Promise<SignalResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = joined.received.find(match);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not heard; heard ${joined.received.map((m) => m.message.case).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function api(state: string, method: string, body: Record<string, unknown>): Promise<TwirpReply> {
  const token = await signToken({
    identity: "api",
    video: { roomAdmin: true, roomCreate: true, roomList: true, room: String(body["room"] ?? "") },
  });
  return twirp(lk.url(0), `livekit.RoomService/${method}`, body, { control: { state }, token });
}

async function identities(state: string, room: string): Promise<string[]> {
  const listed = await api(state, "ListParticipants", { room });
  assert.equal(listed.status, 200, listed.text);
  return ((listed.json().participants ?? []) as { identity: string }[]).map((p) => p.identity);
}

describe("a signal join in a world", () => {
  test("makes its room and a participant the API lists: JOINED, a PA_ sid, name, metadata and attributes from the token", async () => {
    const state = newKey();
    const alice = await join(state, "alice", "lobby", {}, { name: "Alice", metadata: "meta", attributes: { team: "blue" } });
    const first = await heard(alice, (m) => m.message.case === "join");
    assert.equal(first.message.case, "join");
    const joinResponse = first.message.value;
    assert.equal(joinResponse.room?.name, "lobby");
    assert.match(joinResponse.room!.sid, /^RM_/);
    assert.equal(joinResponse.participant?.identity, "alice");
    const rooms = await twirp(lk.url(1), "livekit.RoomService/ListRooms", {}, { control: { state } });
    assert.deepEqual(
      rooms.json().rooms.map((r: { name: string; numParticipants: number }) => [r.name, r.numParticipants]),
      [["lobby", 1]],
    );
    const listed = (await api(state, "ListParticipants", { room: "lobby" })).json().participants;
    assert.equal(listed.length, 1);
    const [p] = listed;
    assert.match(p.sid, /^PA_[0-9A-Za-z]{12}$/);
    assert.equal(p.sid, joinResponse.participant!.sid);
    assert.deepEqual([p.identity, p.name, p.state, p.metadata, p.attributes], ["alice", "Alice", "JOINED", "meta", { team: "blue" }]);
    assert.deepEqual(p.permission, { canSubscribe: true, canPublish: true, canPublishData: true });
    alice.client.ws.close();
  });

  test("RemoveParticipant closes its socket after a leave naming PARTICIPANT_REMOVED; the others hear it leave", async () => {
    const state = newKey();
    const alice = await join(state, "alice", "r");
    const bob = await join(state, "bob", "r");
    await heard(alice, (m) => m.message.case === "update" && m.message.value.participants.some((p) => p.identity === "bob"));
    assert.equal((await api(state, "RemoveParticipant", { room: "r", identity: "bob" })).status, 200);
    const closed = await bob.client.closed;
    assert.equal(closed.code, 1000);
    const leave = await heard(bob, (m) => m.message.case === "leave");
    assert.equal(leave?.message.case === "leave" && leave.message.value.reason, 4, "PARTICIPANT_REMOVED");
    const gone = await heard(
      alice,
      (m) => m.message.case === "update" && m.message.value.participants.some((p) => p.identity === "bob" && p.state === 3),
    );
    assert.equal(gone.message.case === "update" && gone.message.value.participants[0]!.disconnectReason, 4);
    assert.deepEqual(await identities(state, "r"), ["alice"]);
    alice.client.ws.close();
  });

  test("a second join with the same identity closes the first socket with DUPLICATE_IDENTITY", async () => {
    const state = newKey();
    const first = await join(state, "carol", "r");
    await heard(first, (m) => m.message.case === "join");
    const second = await join(state, "carol", "r", {}, { region: 1 });
    assert.equal((await first.client.closed).code, 1000);
    const leave = await heard(first, (m) => m.message.case === "leave");
    assert.equal(leave?.message.case === "leave" && leave.message.value.reason, 2, "DUPLICATE_IDENTITY");
    const listed = (await api(state, "ListParticipants", { room: "r" })).json().participants;
    const secondJoin = await heard(second, (m) => m.message.case === "join");
    assert.deepEqual(
      listed.map((p: { sid: string }) => p.sid),
      [secondJoin.message.case === "join" ? secondJoin.message.value.participant!.sid : ""],
    );
    second.client.ws.close();
  });

  test("UpdateParticipant reaches the participant and the others, one ParticipantUpdate per change, as the real server sends them", async () => {
    const state = newKey();
    const alice = await join(state, "alice", "r", {}, { metadata: "old", attributes: { keep: "1", drop: "x" } });
    const bob = await join(state, "bob", "r");
    await heard(bob, (m) => m.message.case === "join");
    const updated = await api(state, "UpdateParticipant", {
      room: "r",
      identity: "alice",
      name: "Alice 2",
      metadata: "new",
      attributes: { drop: "", add: "2" },
    });
    assert.equal(updated.status, 200, updated.text);
    assert.deepEqual(
      [updated.json().name, updated.json().metadata, updated.json().attributes, updated.json().version],
      ["Alice 2", "new", { keep: "1", add: "2" }, 4],
    );
    for (const who of [alice, bob]) {
      await heard(
        who,
        (m) => m.message.case === "update" && m.message.value.participants.some((p) => p.identity === "alice" && p.version === 4),
      );
      const versions = who.received.flatMap((m) =>
        m.message.case === "update" ? m.message.value.participants.filter((p) => p.identity === "alice").map((p) => p.version) : [],
      );
      assert.deepEqual(versions, [2, 3, 4]);
    }
    const permission = await api(state, "UpdateParticipant", { room: "r", identity: "alice", permission: { canSubscribe: true } });
    assert.deepEqual(permission.json().permission, { canSubscribe: true });
    const heardPermission = await heard(
      bob,
      (m) => m.message.case === "update" && m.message.value.participants.some((p) => p.version === 5),
    );
    assert.deepEqual(
      heardPermission.message.case === "update" &&
        (toJson(ParticipantInfoSchema, heardPermission.message.value.participants[0]!) as JsonObject)["permission"],
      { canSubscribe: true },
    );
    alice.client.ws.close();
    bob.client.ws.close();
  });

  test("UpdateRoomMetadata reaches every participant as a RoomUpdate; MutePublishedTrack as a mute request", async () => {
    const state = newKey();
    const alice = await join(state, "alice", "r");
    const bob = await join(state, "bob", "r");
    await heard(bob, (m) => m.message.case === "join");
    assert.equal((await api(state, "UpdateRoomMetadata", { room: "r", metadata: "round 2" })).status, 200);
    for (const who of [alice, bob]) {
      const update = await heard(who, (m) => m.message.case === "roomUpdate");
      assert.equal(
        update.message.case === "roomUpdate" && (toJson(RoomSchema, update.message.value.room!) as JsonObject)["metadata"],
        "round 2",
      );
    }
    const muted = await api(state, "MutePublishedTrack", { room: "r", identity: "alice", trackSid: "TR_cam", muted: true });
    assert.deepEqual([muted.status, muted.json()], [200, {}]);
    const mute = await heard(alice, (m) => m.message.case === "mute");
    assert.deepEqual(mute.message.case === "mute" && [mute.message.value.sid, mute.message.value.muted], ["TR_cam", true]);
    const unmute = await api(state, "MutePublishedTrack", { room: "r", identity: "alice", trackSid: "TR_cam", muted: false });
    assert.deepEqual(
      [unmute.status, unmute.json()],
      [412, { code: "failed_precondition", msg: "twirp error unknown: remote unmute not enabled" }],
    );
    alice.client.ws.close();
    bob.client.ws.close();
  });

  test("SendData is delivered to its destinations, as the world shows, and subscriptions are kept", async () => {
    const state = newKey();
    const alice = await join(state, "alice", "r");
    const bob = await join(state, "bob", "r");
    await heard(bob, (m) => m.message.case === "join");
    assert.equal((await api(state, "SendData", { room: "r", data: "aGk=", topic: "chat", destinationIdentities: ["bob"] })).status, 200);
    assert.equal(
      (await api(state, "UpdateSubscriptions", { room: "r", identity: "alice", trackSids: ["TR_a"], subscribe: true })).status,
      200,
    );
    const world = await (await get(lk.url(0), `/_test/state/${state}`)).json();
    const byIdentity = Object.fromEntries(
      world.rooms[0].participants.map((p: { participant: { identity: string } }) => [p.participant.identity, p]),
    );
    assert.deepEqual(byIdentity["alice"].dataReceived, []);
    assert.deepEqual(byIdentity["alice"].subscribedTracks, ["TR_a"]);
    assert.deepEqual(
      byIdentity["bob"].dataReceived.map((d: Record<string, unknown>) => [d["topic"], d["data"], d["kind"]]),
      [["chat", "aGk=", "RELIABLE"]],
    );
    alice.client.ws.close();
    bob.client.ws.close();
  });

  test("a full room refuses the join with the real server's 500, and a key in a mode without a join is refused", async () => {
    const state = newKey();
    const token = await signToken({ identity: "api", video: { roomCreate: true } });
    await twirp(lk.url(0), "livekit.RoomService/CreateRoom", { name: "small", maxParticipants: 1 }, { control: { state }, token });
    const alice = await join(state, "alice", "small");
    await heard(alice, (m) => m.message.case === "join");
    const full = await refusal(lk.url(0), "/rtc", {
      token: await mockToken({ state }, { identity: "bob", video: { roomJoin: true, room: "small" } }),
    });
    assert.deepEqual([full.status, full.body], [500, "connection closed by media"]);
    const modeless = await refusal(lk.url(0), "/rtc", { token: await mockToken({ state, signal: "no_first_message" }) });
    assert.equal(modeless.status, 400);
    assert.match(modeless.body, /state has no effect in signal mode no_first_message/);
    assert.deepEqual(await identities(state, "small"), ["alice"]);
    alice.client.ws.close();
  });

  test("a join held back by joinDelayMs is listed at once, and what it hears waits for its join", async () => {
    const state = newKey();
    const late = await join(state, "late", "r", { joinDelayMs: 400 });
    assert.deepEqual(await identities(state, "r"), ["late"]);
    assert.equal((await api(state, "UpdateRoomMetadata", { room: "r", metadata: "early" })).status, 200);
    await heard(late, (m) => m.message.case === "roomUpdate");
    assert.deepEqual(
      late.received.map((m) => m.message.case),
      ["join", "roomUpdate"],
    );
    late.client.ws.close();
  });

  test("the client's leave is answered with a leave; the room closes after its departure timeout", async () => {
    const state = newKey();
    const token = await signToken({ identity: "api", video: { roomCreate: true } });
    await twirp(lk.url(0), "livekit.RoomService/CreateRoom", { name: "brief", departureTimeout: 1 }, { control: { state }, token });
    const dave = await join(state, "dave", "brief");
    await heard(dave, (m) => m.message.case === "join");
    dave.client.send({ case: "leave", value: {} });
    assert.equal((await dave.client.closed).code, 1000);
    const leave = await heard(dave, (m) => m.message.case === "leave");
    assert.equal(leave?.message.case === "leave" && leave.message.value.reason, 1, "CLIENT_INITIATED");
    assert.deepEqual(await identities(state, "brief"), []);
    const rooms = async (): Promise<number> =>
      ((await twirp(lk.url(0), "livekit.RoomService/ListRooms", {}, { control: { state } })).json().rooms ?? []).length;
    assert.equal(await rooms(), 1);
    const deadline = Date.now() + 5_000;
    while ((await rooms()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await rooms(), 0);
  });

  test("a join without a state key on a stateless server is today's join", async () => {
    const plain = await connect(lk.url(0), "/rtc", { token: await mockToken() });
    const first = await plain.next();
    assert.equal(first.message.message.case === "join" && first.message.message.value.room?.sid, "RM_MOCK");
    plain.ws.close();
  });
});

describe("webhooks of a world's participants", () => {
  test("a join's lk.mock webhooks become the world's: room_started, participant_joined, participant_left, then room_finished after the departure timeout", async (t) => {
    const receiver = await ownReceiver(t);
    const state = newKey();
    const token = await signToken({ identity: "api", video: { roomCreate: true } });
    await twirp(lk.url(0), "livekit.RoomService/CreateRoom", { name: "hooks", departureTimeout: 1 }, { control: { state }, token });
    const erin = await join(state, "erin", "hooks", { webhooks: { url: receiver.url, apiKey: "devkey" } });
    await heard(erin, (m) => m.message.case === "join");
    erin.client.ws.close();
    const events = await receiver.waitFor(3);
    assert.ok(events.every((d) => d.verified));
    // The room was made before the token named the destination: its start went nowhere.
    assert.deepEqual(
      events.map((d) => [d.event!["event"], d.event!["participant"]?.["identity"], d.event!["participant"]?.["disconnectReason"]]),
      [
        ["participant_joined", "erin", undefined],
        ["participant_left", "erin", "SIGNAL_CLOSE"],
        ["room_finished", undefined, undefined],
      ],
    );
    assert.equal(events[0]!.event!["participant"]["state"], "ACTIVE");
    assert.equal(events[1]!.event!["participant"]["state"], "DISCONNECTED");
  });
});
