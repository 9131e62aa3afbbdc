// The published Node server SDK calls every Room, Egress, Ingress, SIP and AgentDispatch method
// with its own auto-signed tokens: this proves the grant table (a wrong grant would be a 403) and
// that the SDK decodes what we populate.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  AgentDispatchClient,
  DataPacket_Kind,
  EgressClient,
  EncodedFileOutput,
  IngressClient,
  IngressInput,
  RoomServiceClient,
  SipClient,
  StreamOutput,
  StreamProtocol,
  TwirpError,
} from "livekit-server-sdk";
import { useServer } from "../support/server.js";
import { testApiKey, testSecret } from "../support/tokens.js";

const lk = useServer();
const room = () => new RoomServiceClient(lk.url(), testApiKey, testSecret);
const egress = () => new EgressClient(lk.url(), testApiKey, testSecret);
const ingress = () => new IngressClient(lk.url(), testApiKey, testSecret);
const sip = () => new SipClient(lk.url(), testApiKey, testSecret);
const dispatch = () => new AgentDispatchClient(lk.url(), testApiKey, testSecret);

describe("RoomServiceClient against the mock", () => {
  test("createRoom echoes name, metadata and timeouts and fills the sid placeholder", async () => {
    const created = await room().createRoom({ name: "my-room", metadata: "meta", emptyTimeout: 30 });
    assert.equal(created.sid, "MOCK_SID");
    assert.equal(created.name, "my-room");
    assert.equal(created.metadata, "meta");
    assert.equal(created.emptyTimeout, 30);
    assert.equal(created.enabledCodecs.length, 1);
  });

  test("listRooms returns one room with a placeholder sid", async () => {
    const rooms = await room().listRooms(["a", "b"]);
    assert.equal(rooms.length, 1);
    assert.equal(rooms[0]!.sid, "MOCK_SID");
  });

  test("deleteRoom, removeParticipant, updateSubscriptions and sendData succeed", async () => {
    await room().deleteRoom("r");
    await room().removeParticipant("r", "alice");
    await room().updateSubscriptions("r", "alice", ["TR_1"], true);
    await room().sendData("r", new Uint8Array([1, 2, 3]), DataPacket_Kind.RELIABLE, { topic: "t" });
  });

  test("forwardParticipant and moveParticipant pass the destination-room check with SDK tokens", async () => {
    await room().forwardParticipant("r", "alice", "other");
    await room().moveParticipant("r", "alice", "other");
  });

  test("updateRoomMetadata echoes the metadata", async () => {
    const updated = await room().updateRoomMetadata("r", "new-meta");
    assert.equal(updated.metadata, "new-meta");
    assert.equal(updated.sid, "MOCK_SID");
  });

  test("listParticipants returns one participant with a placeholder sid", async () => {
    const participants = await room().listParticipants("r");
    assert.deepEqual(
      participants.map((p) => p.sid),
      ["MOCK_SID"],
    );
  });

  test("getParticipant echoes the identity and lists one track", async () => {
    const participant = await room().getParticipant("r", "alice");
    assert.equal(participant.identity, "alice");
    assert.equal(participant.sid, "MOCK_SID");
    assert.equal(participant.tracks.length, 1);
    assert.equal(participant.tracks[0]!.sid, "MOCK_SID");
  });

  test("mutePublishedTrack and updateParticipant answer decodable messages", async () => {
    await room().mutePublishedTrack("r", "alice", "TR_1", true);
    const updated = await room().updateParticipant("r", "alice", { metadata: "m", name: "Alice" });
    assert.equal(updated.identity, "alice");
    assert.equal(updated.metadata, "m");
    assert.equal(updated.name, "Alice");
  });
});

describe("EgressClient against the mock", () => {
  const file = new EncodedFileOutput({ filepath: "out.mp4" });
  const stream = new StreamOutput({ protocol: StreamProtocol.RTMP, urls: ["rtmp://x"] });

  test("every start method echoes the room and fills the egress and room id placeholders", async () => {
    const results = await Promise.all([
      egress().startRoomCompositeEgress("r", { file }),
      egress().startParticipantEgress("r", "alice", { file }),
      egress().startTrackCompositeEgress("r", { file }, { audioTrackId: "TR_a" }),
      egress().startTrackEgress("r", "https://upload", "TR_1"),
    ]);
    for (const info of results) {
      assert.equal(info.egressId, "MOCK_EGRESS_ID");
      assert.equal(info.roomId, "MOCK_ROOM_ID");
      assert.equal(info.roomName, "r");
    }
    const web = await egress().startWebEgress("https://example.test", { stream });
    assert.equal(web.egressId, "MOCK_EGRESS_ID");
  });

  test("updateLayout, updateStream and stopEgress echo the egress id", async () => {
    for (const info of [
      await egress().updateLayout("EG_1", "grid"),
      await egress().updateStream("EG_1", ["rtmp://a"], []),
      await egress().stopEgress("EG_1"),
    ]) {
      assert.equal(info.egressId, "EG_1");
    }
  });

  test("listEgress returns one item with placeholder ids", async () => {
    const items = await egress().listEgress({ roomName: "r" });
    assert.equal(items.length, 1);
    assert.equal(items[0]!.egressId, "MOCK_EGRESS_ID");
    assert.equal(items[0]!.roomId, "MOCK_ROOM_ID");
  });
});

describe("IngressClient against the mock", () => {
  test("createIngress echoes name and room and fills the ingress id placeholder", async () => {
    const info = await ingress().createIngress(IngressInput.RTMP_INPUT, { name: "in", roomName: "r", participantIdentity: "bot" });
    assert.equal(info.ingressId, "MOCK_INGRESS_ID");
    assert.equal(info.name, "in");
    assert.equal(info.roomName, "r");
    assert.equal(info.participantIdentity, "bot");
  });

  test("updateIngress and deleteIngress echo the ingress id", async () => {
    assert.equal((await ingress().updateIngress("IN_1", { name: "n" })).ingressId, "IN_1");
    assert.equal((await ingress().deleteIngress("IN_1")).ingressId, "IN_1");
  });

  test("listIngress returns one item with a placeholder id", async () => {
    const items = await ingress().listIngress({ roomName: "r" });
    assert.deepEqual(
      items.map((i) => i.ingressId),
      ["MOCK_INGRESS_ID"],
    );
  });
});

describe("SipClient against the mock", () => {
  test("trunk creation fills the trunk id placeholder and echoes nothing nested", async () => {
    // The trunk travels nested in the request (`trunk`), and populate echoes top-level fields only.
    const inbound = await sip().createSipInboundTrunk("in-trunk", ["+1555"]);
    assert.equal(inbound.sipTrunkId, "MOCK_SIP_TRUNK_ID");
    assert.equal(inbound.name, "");
    const outbound = await sip().createSipOutboundTrunk("out-trunk", "sip.example.test", ["+1555"]);
    assert.equal(outbound.sipTrunkId, "MOCK_SIP_TRUNK_ID");
    assert.equal(outbound.address, "");
  });

  test("the deprecated createSipTrunk reaches no served method and gets an empty success", async () => {
    const trunk = await sip().createSipTrunk("+1555");
    assert.equal(trunk.sipTrunkId, "");
  });

  test("trunk updates and deletion echo the trunk id", async () => {
    assert.equal((await sip().updateSipInboundTrunkFields("ST_in", { name: "n" })).sipTrunkId, "ST_in");
    assert.equal((await sip().updateSipOutboundTrunkFields("ST_out", { name: "n" })).sipTrunkId, "ST_out");
    assert.equal((await sip().deleteSipTrunk("ST_x")).sipTrunkId, "ST_x");
  });

  test("trunk lists return one item with a placeholder id", async () => {
    for (const items of [await sip().listSipTrunk(), await sip().listSipInboundTrunk(), await sip().listSipOutboundTrunk()]) {
      assert.deepEqual(
        items.map((i) => i.sipTrunkId),
        ["MOCK_SIP_TRUNK_ID"],
      );
    }
  });

  test("dispatch rules echo name and metadata and fill the rule id placeholder", async () => {
    const rule = await sip().createSipDispatchRule({ type: "individual", roomPrefix: "call-" }, { name: "rule", metadata: "m" });
    assert.equal(rule.sipDispatchRuleId, "MOCK_SIP_DISPATCH_RULE_ID");
    assert.equal(rule.name, "rule");
    assert.equal(rule.metadata, "m");
    assert.equal((await sip().updateSipDispatchRuleFields("SDR_1", { name: "n" })).sipDispatchRuleId, "SDR_1");
    assert.equal((await sip().deleteSipDispatchRule("SDR_1")).sipDispatchRuleId, "SDR_1");
    assert.deepEqual(
      (await sip().listSipDispatchRule()).map((r) => r.sipDispatchRuleId),
      ["MOCK_SIP_DISPATCH_RULE_ID"],
    );
  });

  test("createSipParticipant echoes identity and room and fills the call placeholders", async () => {
    const info = await sip().createSipParticipant("ST_abc", "+15551234567", "call-room", { participantIdentity: "caller" });
    assert.equal(info.participantId, "MOCK_PARTICIPANT_ID");
    assert.equal(info.participantIdentity, "caller");
    assert.equal(info.roomName, "call-room");
    assert.equal(info.sipCallId, "MOCK_SIP_CALL_ID");
  });

  test("transferSipParticipant succeeds after the natural 11 s transfer latency", async () => {
    const started = performance.now();
    await sip().transferSipParticipant("call-room", "caller", "tel:+15550000000", { timeout: 20 });
    assert.ok(performance.now() - started >= 10_900, "the transfer answered before its natural latency");
  });
});

describe("AgentDispatchClient against the mock", () => {
  test("createDispatch echoes room and agent name and fills the dispatch id placeholder", async () => {
    const created = await dispatch().createDispatch("r", "agent-a", { metadata: "m" });
    assert.equal(created.id, "MOCK_ID");
    assert.equal(created.room, "r");
    assert.equal(created.agentName, "agent-a");
    assert.equal(created.metadata, "m");
  });

  test("listDispatch and getDispatch return the populated dispatch", async () => {
    const listed = await dispatch().listDispatch("r");
    assert.deepEqual(
      listed.map((d) => d.id),
      ["MOCK_ID"],
    );
    const found = await dispatch().getDispatch("MOCK_ID", "r");
    assert.equal(found?.id, "MOCK_ID");
  });

  test("deleteDispatch succeeds with the SDK's room-scoped token", async () => {
    await dispatch().deleteDispatch("AD_1", "r");
  });
});

describe("SDK errors from the mock", () => {
  test("a client with the wrong secret gets unauthenticated", async () => {
    const wrong = new RoomServiceClient(lk.url(), testApiKey, "not-the-secret");
    await assert.rejects(wrong.listRooms(), (err: unknown) => {
      assert.ok(err instanceof TwirpError);
      assert.equal(err.status, 401);
      assert.equal(err.code, "unauthenticated");
      return true;
    });
  });
});
