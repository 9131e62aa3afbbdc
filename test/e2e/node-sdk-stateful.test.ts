// The published Node server SDK (livekit-server-sdk) against the stateful mode, as a test suite of
// an application would use it: no control header, devkey / secret, a server with one server-wide
// world. Every test runs against ours (--stateful) and against the real LiveKit server, so what
// it expects is what a real server does.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { DataPacket_Kind, RoomServiceClient } from "livekit-server-sdk";
import type { SignalResponse } from "../../generated/livekit_rtc_pb.js";
import { connect, type SignalClient } from "../signal/signal-client.js";
import { signToken, testApiKey, testSecret } from "../support/tokens.js";
import { eventually, rejection, roomName, statefulTargets as targets } from "./stateful-targets.js";

interface Joined {
  readonly client: SignalClient;
  readonly received: SignalResponse[];
}

async function join(url: string, room: string, identity: string, metadata = ""): Promise<Joined> {
  const token = await signToken({ identity, name: `${identity} name`, video: { roomJoin: true, room }, extraClaims: { metadata } });
  const client = await connect(url, "/rtc", { token, query: { protocol: "16", sdk: "js", version: "2.0.0" } });
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

async function heard(joined: Joined, match: (m: SignalResponse) => boolean, timeoutMs = 10_000): Promise<SignalResponse> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = joined.received.find(match);
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`not heard; heard ${joined.received.map((m) => m.message.case).join(", ")}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const target of targets) {
  describe(`RoomServiceClient in stateful mode against ${target.name}`, { timeout: 180_000 }, () => {
    let server: { url: string; close(): Promise<unknown> };
    let rooms: RoomServiceClient;
    before(async () => {
      server = await target.start();
      rooms = new RoomServiceClient(server.url, testApiKey, testSecret);
    });
    after(() => server.close());

    test("create, list, update, delete, list", async () => {
      const name = roomName("crud");
      const created = await rooms.createRoom({ name, metadata: "one", emptyTimeout: 60, maxParticipants: 3 });
      assert.match(created.sid, /^RM_/);
      assert.deepEqual(
        [created.name, created.metadata, created.emptyTimeout, created.departureTimeout, created.maxParticipants],
        [name, "one", 60, 20, 3],
      );
      const again = await rooms.createRoom({ name, metadata: "two", emptyTimeout: 5 });
      assert.deepEqual(
        [again.sid, again.metadata, again.emptyTimeout],
        [created.sid, "one", 60],
        "an existing name returns the room unchanged",
      );
      assert.ok((await rooms.listRooms()).some((r) => r.name === name));
      assert.deepEqual(
        (await rooms.listRooms([name, roomName("unknown")])).map((r) => r.sid),
        [created.sid],
      );
      assert.deepEqual(await rooms.listRooms([roomName("unknown")]), []);
      assert.deepEqual(await rooms.listParticipants(name), [], "a new room has no participants");
      const updated = await rooms.updateRoomMetadata(name, "three");
      assert.deepEqual([updated.sid, updated.metadata], [created.sid, "three"]);
      await rooms.deleteRoom(name);
      assert.deepEqual(
        await eventually(
          () => rooms.listRooms([name]),
          (listed) => listed.length === 0,
        ),
        [],
      );
    });

    test("each error, as the real server answers it", async () => {
      const missing = roomName("missing");
      assert.deepEqual(await rejection(rooms.deleteRoom(missing)), {
        status: 404,
        code: "not_found",
        message: "twirp error unknown: requested room does not exist",
      });
      assert.deepEqual(await rejection(rooms.updateRoomMetadata(missing, "m")), {
        status: 404,
        code: "not_found",
        message: "twirp error unknown: requested room does not exist",
      });
      assert.deepEqual(await rooms.listParticipants(missing), []);
      const name = roomName("errors");
      await rooms.createRoom({ name });
      const participantMissing = { status: 404, code: "not_found", message: "twirp error unknown: participant does not exist" };
      assert.deepEqual(await rejection(rooms.getParticipant(name, "nobody")), participantMissing);
      assert.deepEqual(await rejection(rooms.removeParticipant(name, "nobody")), participantMissing);
      assert.deepEqual(await rejection(rooms.updateParticipant(name, "nobody", { metadata: "m" })), participantMissing);
      assert.deepEqual(await rejection(rooms.createRoom({ name: "x".repeat(257) })), {
        status: 400,
        code: "invalid_argument",
        message: "twirp error unknown: room name length exceeds limits: max length 256",
      });
      await rooms.deleteRoom(name);
    });

    test("a signal client's join is listed; the API's changes reach it; its removal closes its socket", async () => {
      const name = roomName("join");
      const alice = await join(server.url, name, "alice", "hello");
      await heard(alice, (m) => m.message.case === "join");
      const listed = await eventually(
        () => rooms.listParticipants(name),
        (ps) => ps.length === 1,
      );
      assert.deepEqual(
        listed.map((p) => [p.identity, p.name, p.metadata, p.state]),
        [["alice", "alice name", "hello", 1]],
      );
      assert.match(listed[0]!.sid, /^PA_/);
      assert.equal((await rooms.getParticipant(name, "alice")).sid, listed[0]!.sid);

      const updated = await rooms.updateParticipant(name, "alice", { metadata: "changed", attributes: { role: "host" } });
      assert.deepEqual([updated.metadata, updated.attributes], ["changed", { role: "host" }]);
      await heard(
        alice,
        (m) =>
          m.message.case === "update" &&
          m.message.value.participants.some((p) => p.identity === "alice" && p.attributes["role"] === "host"),
      );
      await rooms.updateRoomMetadata(name, "room news");
      await heard(alice, (m) => m.message.case === "roomUpdate" && m.message.value.room?.metadata === "room news");
      await rooms.mutePublishedTrack(name, "alice", "TR_camera", true);
      await heard(alice, (m) => m.message.case === "mute" && m.message.value.sid === "TR_camera");
      assert.equal((await rejection(rooms.mutePublishedTrack(name, "alice", "TR_camera", false))).code, "failed_precondition");
      await rooms.updateSubscriptions(name, "alice", ["TR_other"], true);
      await rooms.sendData(name, new Uint8Array([1, 2, 3]), DataPacket_Kind.RELIABLE, { topic: "news" });

      await rooms.removeParticipant(name, "alice");
      const leave = await heard(alice, (m) => m.message.case === "leave");
      assert.equal(leave.message.case === "leave" && leave.message.value.reason, 4, "PARTICIPANT_REMOVED");
      assert.equal((await alice.client.closed).code, 1000);
      assert.deepEqual(
        await eventually(
          () => rooms.listParticipants(name),
          (ps) => ps.length === 0,
        ),
        [],
      );
      await rooms.deleteRoom(name);
    });
  });
}
