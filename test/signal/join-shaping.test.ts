// Join shaping: the join's ping settings, protojson merged over the default join, and a delayed
// join (or reconnect response), during which the server reads but answers nothing.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ParticipantInfo_State, ServerInfo_Edition } from "../../generated/livekit_models_pb.js";
import { useServer } from "../support/server.js";
import { mockToken, participant } from "./mock-token.js";
import { assertOnTime } from "./on-time.js";
import { connect, type SignalClient } from "./signal-client.js";

const server = useServer();

async function open(mock: Record<string, unknown>, query: Record<string, string> = {}): Promise<SignalClient> {
  return connect(server.url(), "/rtc/v1", { token: await mockToken(mock), query });
}

describe("join shaping", { concurrency: 6 }, () => {
  test("pingInterval and pingTimeout replace the join's 1 s and 3 s", async () => {
    const client = await open({ pingInterval: 5, pingTimeout: 0 });
    const join = (await client.next()).message.message;
    assert.deepEqual(join.case === "join" && [join.value.pingInterval, join.value.pingTimeout], [5, 0]);
    client.ws.close();
  });

  test("join is merged over the default: lists added, nested messages merged field by field", async () => {
    const client = await open({
      join: {
        room: { metadata: "round 2", numParticipants: 2 },
        participant: { metadata: "me", attributes: { team: "blue" } },
        otherParticipants: [{ sid: "PA_BOB", identity: "bob", state: "ACTIVE", tracks: [{ sid: "TR_1", type: "AUDIO" }] }],
        iceServers: [{ urls: ["turn:turn.example:3478"], username: "u", credential: "c" }],
        serverInfo: { edition: "Cloud" },
        subscriberPrimary: true,
        ping_timeout: 7,
      },
    });
    const join = (await client.next()).message.message;
    assert.ok(join.case === "join");
    const value = join.value;
    assert.deepEqual(
      [value.room?.sid, value.room?.name, value.room?.metadata, value.room?.numParticipants],
      ["RM_MOCK", participant.room, "round 2", 2],
    );
    assert.deepEqual(
      [
        value.participant?.sid,
        value.participant?.identity,
        value.participant?.state,
        value.participant?.metadata,
        value.participant?.attributes,
      ],
      ["PA_MOCK", participant.identity, ParticipantInfo_State.JOINED, "me", { team: "blue" }],
    );
    assert.deepEqual(
      value.otherParticipants.map((p) => [p.identity, p.tracks[0]?.sid]),
      [["bob", "TR_1"]],
    );
    assert.deepEqual(value.iceServers[0]?.urls, ["turn:turn.example:3478"]);
    assert.deepEqual(
      [value.serverInfo?.edition, value.serverInfo?.region, value.serverInfo?.version],
      [ServerInfo_Edition.Cloud, "region-0", "mock"],
    );
    assert.deepEqual([value.subscriberPrimary, value.pingInterval, value.pingTimeout], [true, 1, 7]);
    client.ws.close();
  });

  test("joinDelayMs holds the join back; pings sent meanwhile go unanswered", async () => {
    const client = await open({ joinDelayMs: 300 });
    client.send({ case: "ping", value: 1n });
    const first = await client.next();
    assert.equal(first.message.message.case, "join");
    assertOnTime(client, first.at, 300, "join");
    await client.silence(100);
    client.send({ case: "ping", value: 2n });
    assert.equal((await client.next()).message.message.case, "pong");
    client.ws.close();
  });

  test("joinDelayMs delays a reconnect response too, which the join fields leave as it is", async () => {
    const client = await open({ joinDelayMs: 200, join: { room: { metadata: "m" } }, pingInterval: 9 }, { reconnect: "1" });
    const first = await client.next();
    assert.equal(first.message.message.case, "reconnect");
    assertOnTime(client, first.at, 200, "reconnect response");
    assert.equal(first.message.message.case === "reconnect" && first.message.message.value.clientConfiguration, undefined);
    client.ws.close();
  });

  test("in close_when_connected the 200 ms count from the delayed join", async () => {
    const client = await open({ signal: "close_when_connected", joinDelayMs: 200 });
    const join = await client.next();
    assertOnTime(client, join.at, 200, "join");
    const closed = await client.closed;
    assert.equal(closed.code, 1011);
    assertOnTime(client, closed.at, 400, "close");
  });
});
