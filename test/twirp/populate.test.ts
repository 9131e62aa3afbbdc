// Default responses: the populate rules of REFERENCE §3.1, the worked examples of §3.2 and the
// table of §3.3, and the `response` override. Requests skip auth (it has its own suite) and the
// natural latency (delayMs 0) so only the body is under test.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RoomSchema } from "../../generated/livekit_models_pb.js";
import { Ingress, IngressInput } from "../../generated/livekit_ingress_pb.js";
import { RoomService } from "../../generated/livekit_room_pb.js";
import { SIP } from "../../generated/livekit_sip_pb.js";
import { fromBinary } from "@bufbuild/protobuf";
import { useServer } from "../support/server.js";
import { assertTwirpError, twirp, twirpBinary, type TwirpOptions } from "../support/twirp.js";

const quick: TwirpOptions = { control: { skipAuth: true, delayMs: 0 } };

const egressInfo = {
  egressId: "MOCK_EGRESS_ID",
  roomId: "MOCK_ROOM_ID",
  // Protocol 1.54 added StreamInfo.id (field 9), so the list element gets a rule-2 placeholder;
  // REFERENCE §3.3 (checked against 1.52) shows `[{}]` here.
  streamResults: [{ id: "MOCK_ID" }],
  fileResults: [{}],
  segmentResults: [{}],
  imageResults: [{}],
};

describe("populated responses", () => {
  const t = useServer({ ports: [0] });
  const call = async (key: string, body: unknown = {}, options: TwirpOptions = quick): Promise<unknown> => {
    const reply = await twirp(t.url(), key, body, options);
    assert.equal(reply.status, 200, `${key}: ${reply.text}`);
    return reply.json();
  };

  describe("worked examples (REFERENCE §3.2)", () => {
    it("CreateRoom echoes same-named scalars, fills sid and adds one enabled codec", async () => {
      const reply = await twirp(t.url(), "livekit.RoomService/CreateRoom", { name: "my-room", metadata: "meta", emptyTimeout: 30 }, quick);
      assert.deepEqual(reply.json(), { sid: "MOCK_SID", name: "my-room", emptyTimeout: 30, enabledCodecs: [{}], metadata: "meta" });
      // Declaration order, as the original writes it.
      assert.equal(reply.text, '{"sid":"MOCK_SID","name":"my-room","emptyTimeout":30,"enabledCodecs":[{}],"metadata":"meta"}');
    });

    it("ListRooms lists one room with only a placeholder sid, whatever names are asked for", async () => {
      assert.deepEqual(await call("livekit.RoomService/ListRooms", {}), { rooms: [{ sid: "MOCK_SID" }] });
      assert.deepEqual(await call("livekit.RoomService/ListRooms", { names: ["a", "b"] }), { rooms: [{ sid: "MOCK_SID" }] });
    });

    it("CreateSIPParticipant echoes identity and room and fills the ids", async () => {
      const body = {
        sipTrunkId: "ST_abc",
        sipCallTo: "+15551234567",
        roomName: "call-room",
        participantIdentity: "caller",
        waitUntilAnswered: true,
      };
      assert.deepEqual(await call("livekit.SIP/CreateSIPParticipant", body), {
        participantId: "MOCK_PARTICIPANT_ID",
        participantIdentity: "caller",
        roomName: "call-room",
        sipCallId: "MOCK_SIP_CALL_ID",
      });
    });

    it("CreateSIPParticipant with an empty request has only the placeholder ids", async () => {
      assert.deepEqual(await call("livekit.SIP/CreateSIPParticipant", {}), {
        participantId: "MOCK_PARTICIPANT_ID",
        sipCallId: "MOCK_SIP_CALL_ID",
      });
    });
  });

  describe("empty-request results (REFERENCE §3.3, as protocol 1.54 yields them)", () => {
    const empty = [
      "livekit.RoomService/DeleteRoom",
      "livekit.RoomService/RemoveParticipant",
      "livekit.RoomService/MutePublishedTrack",
      "livekit.RoomService/UpdateSubscriptions",
      "livekit.RoomService/SendData",
      "livekit.RoomService/ForwardParticipant",
      "livekit.RoomService/MoveParticipant",
      "livekit.SIP/GetSIPInboundTrunk",
      "livekit.SIP/GetSIPOutboundTrunk",
      "livekit.Connector/DisconnectWhatsAppCall",
      "livekit.Connector/ConnectWhatsAppCall",
      "livekit.Connector/AcceptWhatsAppCall",
      "livekit.Connector/ConnectTwilioCall",
    ];
    it("answers {} for methods whose response has nothing to populate", async () => {
      for (const key of empty) assert.deepEqual(await call(key), {}, key);
    });

    it("ListParticipants lists one participant with a placeholder sid", async () => {
      assert.deepEqual(await call("livekit.RoomService/ListParticipants"), { participants: [{ sid: "MOCK_SID" }] });
    });

    it("GetParticipant echoes the identity and lists one track and one data track", async () => {
      assert.deepEqual(await call("livekit.RoomService/GetParticipant", { room: "r", identity: "alice" }), {
        sid: "MOCK_SID",
        identity: "alice",
        tracks: [{ sid: "MOCK_SID" }],
        dataTracks: [{ sid: "MOCK_SID" }],
      });
    });

    it("Egress methods returning EgressInfo fill the ids and one element per result list", async () => {
      for (const method of [
        "UpdateLayout",
        "UpdateStream",
        "StopEgress",
        "StartEgress",
        "StartRoomCompositeEgress",
        "StartWebEgress",
        "StartParticipantEgress",
        "StartTrackCompositeEgress",
        "StartTrackEgress",
      ]) {
        assert.deepEqual(await call(`livekit.Egress/${method}`), egressInfo, method);
      }
    });

    it("Egress start methods echo roomName and the update/stop methods echo egressId", async () => {
      for (const method of [
        "StartEgress",
        "StartRoomCompositeEgress",
        "StartParticipantEgress",
        "StartTrackCompositeEgress",
        "StartTrackEgress",
      ]) {
        assert.deepEqual(await call(`livekit.Egress/${method}`, { roomName: "rn" }), { ...egressInfo, roomName: "rn" }, method);
      }
      for (const method of ["UpdateLayout", "UpdateStream", "StopEgress"]) {
        assert.deepEqual(await call(`livekit.Egress/${method}`, { egressId: "EG_1" }), { ...egressInfo, egressId: "EG_1" }, method);
      }
    });

    it("ListEgress lists one item with only the placeholder ids (no nested lists)", async () => {
      assert.deepEqual(await call("livekit.Egress/ListEgress"), { items: [{ egressId: "MOCK_EGRESS_ID", roomId: "MOCK_ROOM_ID" }] });
    });

    it("Ingress Create/Update/Delete fill ingressId, echo scalars and the optional enabled:false, but never the enum", async () => {
      for (const method of ["CreateIngress", "UpdateIngress", "DeleteIngress"]) {
        assert.deepEqual(await call(`livekit.Ingress/${method}`), { ingressId: "MOCK_INGRESS_ID" }, method);
      }
      assert.deepEqual(await call("livekit.Ingress/CreateIngress", { name: "n", roomName: "r", inputType: "URL_INPUT", enabled: false }), {
        ingressId: "MOCK_INGRESS_ID",
        name: "n",
        roomName: "r",
        enabled: false,
      });
      assert.deepEqual(await call("livekit.Ingress/UpdateIngress", { ingressId: "IN_1", enabled: false }), {
        ingressId: "IN_1",
        enabled: false,
      });
      assert.deepEqual(await call("livekit.Ingress/ListIngress"), { items: [{ ingressId: "MOCK_INGRESS_ID" }] });
    });

    it("SIP trunk methods fill sipTrunkId, or echo it when the request has one", async () => {
      for (const method of [
        "CreateSIPInboundTrunk",
        "CreateSIPOutboundTrunk",
        "UpdateSIPInboundTrunk",
        "UpdateSIPOutboundTrunk",
        "DeleteSIPTrunk",
      ]) {
        assert.deepEqual(await call(`livekit.SIP/${method}`), { sipTrunkId: "MOCK_SIP_TRUNK_ID" }, method);
      }
      assert.deepEqual(await call("livekit.SIP/DeleteSIPTrunk", { sipTrunkId: "ST_1" }), { sipTrunkId: "ST_1" });
      assert.deepEqual(await call("livekit.SIP/UpdateSIPInboundTrunk", { sip_trunk_id: "ST_2" }), { sipTrunkId: "ST_2" });
      for (const method of ["ListSIPTrunk", "ListSIPInboundTrunk", "ListSIPOutboundTrunk"]) {
        assert.deepEqual(await call(`livekit.SIP/${method}`), { items: [{ sipTrunkId: "MOCK_SIP_TRUNK_ID" }] }, method);
      }
    });

    it("SIP dispatch rules fill sipDispatchRuleId and echo name, metadata, hidePhoneNumber and roomPreset", async () => {
      for (const method of ["CreateSIPDispatchRule", "UpdateSIPDispatchRule", "DeleteSIPDispatchRule"]) {
        assert.deepEqual(await call(`livekit.SIP/${method}`), { sipDispatchRuleId: "MOCK_SIP_DISPATCH_RULE_ID" }, method);
      }
      assert.deepEqual(
        await call("livekit.SIP/CreateSIPDispatchRule", { name: "n", metadata: "m", hidePhoneNumber: true, roomPreset: "p" }),
        {
          sipDispatchRuleId: "MOCK_SIP_DISPATCH_RULE_ID",
          name: "n",
          metadata: "m",
          hidePhoneNumber: true,
          roomPreset: "p",
        },
      );
      assert.deepEqual(await call("livekit.SIP/ListSIPDispatchRule"), { items: [{ sipDispatchRuleId: "MOCK_SIP_DISPATCH_RULE_ID" }] });
    });

    it("TransferSIPParticipant fills transferId", async () => {
      assert.deepEqual(await call("livekit.SIP/TransferSIPParticipant"), { transferId: "MOCK_TRANSFER_ID" });
    });

    it("PerformRpc echoes the payload", async () => {
      assert.deepEqual(await call("livekit.RoomService/PerformRpc", { payload: "p" }), { payload: "p" });
    });

    it("DialWhatsAppCall fills whatsappCallId and echoes roomName", async () => {
      assert.deepEqual(await call("livekit.Connector/DialWhatsAppCall"), { whatsappCallId: "MOCK_WHATSAPP_CALL_ID" });
      assert.deepEqual(await call("livekit.Connector/DialWhatsAppCall", { roomName: "rn" }), {
        whatsappCallId: "MOCK_WHATSAPP_CALL_ID",
        roomName: "rn",
      });
    });
  });

  describe("services the original left unpopulated", () => {
    it("AgentDispatchService CreateDispatch echoes agentName, room and metadata and fills the ids", async () => {
      assert.deepEqual(await call("livekit.AgentDispatchService/CreateDispatch", { agentName: "agent", room: "r", metadata: "m" }), {
        id: "MOCK_ID",
        agentName: "agent",
        room: "r",
        metadata: "m",
        threadId: "MOCK_THREAD_ID",
      });
    });

    it("AgentDispatchService DeleteDispatch and ListDispatch are populated too", async () => {
      assert.deepEqual(await call("livekit.AgentDispatchService/DeleteDispatch", { dispatchId: "AD_1", room: "r" }), {
        id: "MOCK_ID",
        room: "r",
        threadId: "MOCK_THREAD_ID",
      });
      assert.deepEqual(await call("livekit.AgentDispatchService/ListDispatch", { room: "r" }), {
        agentDispatches: [{ id: "MOCK_ID", threadId: "MOCK_THREAD_ID" }],
      });
    });

    it("CloudAgent ListAgents lists one agent with a placeholder id", async () => {
      assert.deepEqual(await call("livekit.CloudAgent/ListAgents"), { agents: [{ agentId: "MOCK_AGENT_ID" }] });
    });

    it("Replay Export answers a populated EgressInfo", async () => {
      assert.deepEqual(await call("livekit.Replay/Export"), egressInfo);
    });
  });

  describe("binary responses", () => {
    it("carry the CreateSIPParticipant worked example", async () => {
      const reply = await twirpBinary(
        t.url(),
        SIP.method.createSIPParticipant,
        { sipTrunkId: "ST_abc", sipCallTo: "+15551234567", roomName: "call-room", participantIdentity: "caller", waitUntilAnswered: true },
        quick,
      );
      const info = reply.message!;
      assert.deepEqual(
        [info.participantId, info.participantIdentity, info.roomName, info.sipCallId],
        ["MOCK_PARTICIPANT_ID", "caller", "call-room", "MOCK_SIP_CALL_ID"],
      );
    });

    it("echo an optional false and leave enums unset", async () => {
      const reply = await twirpBinary(
        t.url(),
        Ingress.method.createIngress,
        { name: "n", enabled: false, inputType: IngressInput.URL_INPUT },
        quick,
      );
      const info = reply.message!;
      assert.equal(info.ingressId, "MOCK_INGRESS_ID");
      assert.equal(info.enabled, false);
      assert.equal(info.inputType, IngressInput.RTMP_INPUT);
      assert.ok(reply.bytes.length > 0);
    });

    it("carry the same populated message", async () => {
      const reply = await twirpBinary(t.url(), RoomService.method.listRooms, {}, quick);
      assert.equal(reply.message!.rooms.length, 1);
      assert.equal(reply.message!.rooms[0]!.sid, "MOCK_SID");
      assert.equal(reply.message!.rooms[0]!.enabledCodecs.length, 0, "no nested list elements");
    });
  });
});

describe("the response override", () => {
  const t = useServer({ ports: [0] });
  const withOverride = (response: unknown, more: Record<string, unknown> = {}): TwirpOptions => ({
    control: { skipAuth: true, response, ...more },
  });

  it("replaces the populated response entirely, without merging", async () => {
    const reply = await twirp(t.url(), "livekit.RoomService/CreateRoom", { name: "echoed?" }, withOverride({ name: "custom" }));
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), { name: "custom" });
    assert.equal(reply.region, "0");
  });

  it("accepts proto names, enum numbers and nulls, and re-serializes in the mock's format", async () => {
    const reply = await twirp(
      t.url(),
      "livekit.RoomService/ListRooms",
      {},
      withOverride({ rooms: [{ empty_timeout: 5, name: "a", metadata: null }, {}] }),
    );
    assert.equal(reply.text, '{"rooms":[{"name":"a","emptyTimeout":5},{}]}');
    const egress = await twirp(t.url(), "livekit.Egress/ListEgress", {}, withOverride({ items: [{ status: 3 }] }));
    assert.equal(egress.text, '{"items":[{"status":"EGRESS_COMPLETE"}]}');
  });

  // docs/spec/control.md#response-override
  it("with a field the response message does not have is a 400 naming it, with the closest field", async () => {
    const reply = await twirp(t.url(), "livekit.RoomService/CreateRoom", {}, withOverride({ nmae: "x" }));
    assertTwirpError(reply, {
      status: 400,
      code: "invalid_argument",
      msg: 'mock: invalid control: unknown field "nmae" in response (protojson livekit.Room) (did you mean "name"?)',
    });
  });

  it("with an unknown field in a nested message names its path", async () => {
    const reply = await twirp(t.url(), "livekit.RoomService/ListRooms", {}, withOverride({ rooms: [{ name: "a" }, { emptyTimout: 5 }] }));
    assertTwirpError(reply, {
      status: 400,
      code: "invalid_argument",
      msg: 'mock: invalid control: unknown field "emptyTimout" in response.rooms[1] (protojson livekit.Room) (did you mean "emptyTimeout"?)',
    });
  });

  it("with an unknown enum name, a field set under both its names or two members of a oneof is a 400 naming it", async () => {
    const cases: [string, unknown, string][] = [
      [
        "livekit.Egress/ListEgress",
        { items: [{ status: "EGRESS_ACTIV" }] },
        'response.items[0].status has unknown livekit.EgressStatus value "EGRESS_ACTIV" (did you mean "EGRESS_ACTIVE"?)',
      ],
      [
        "livekit.RoomService/CreateRoom",
        { emptyTimeout: 1, empty_timeout: 2 },
        'response sets field emptyTimeout twice ("emptyTimeout" and "empty_timeout")',
      ],
      [
        "livekit.Egress/StartRoomCompositeEgress",
        { roomComposite: { roomName: "r" }, web: { url: "https://example.com" } },
        'response sets both "roomComposite" and "web", members of the oneof request; set one',
      ],
    ];
    for (const [key, response, problem] of cases) {
      const reply = await twirp(t.url(), key, {}, withOverride(response));
      assertTwirpError(reply, { status: 400, code: "invalid_argument", msgStartsWith: `mock: invalid control: ${problem}` });
    }
  });

  it("with a 64-bit integer written as a JSON number beyond 2^53 is a 400 asking for a string, which keeps every digit", async () => {
    const refused = await twirp(t.url(), "livekit.RoomService/CreateRoom", {}, withOverride({ creationTime: 9007199254740993 }));
    assertTwirpError(refused, {
      status: 400,
      code: "invalid_argument",
      msg: "mock: invalid control: response.creationTime is a JSON number beyond 2^53, which cannot be read here without losing digits; write the 64-bit integer as a string, as protojson does",
    });
    const exact = await twirp(t.url(), "livekit.RoomService/CreateRoom", {}, withOverride({ creationTime: "9007199254740993" }));
    assert.equal(exact.text, '{"creationTime":"9007199254740993"}');
  });

  it("in the legacy header is held to the same rules", async () => {
    const reply = await twirp(
      t.url(),
      "livekit.RoomService/CreateRoom",
      {},
      { headers: { "X-Lk-Mock-Response": '{"sid":"RM_1","nmae":"x"}' } },
    );
    assertTwirpError(reply, {
      status: 400,
      code: "invalid_argument",
      msgIncludes: ['unknown field "nmae" in response', 'did you mean "name"'],
    });
  });

  it("can be an empty object, giving an empty response", async () => {
    const reply = await twirp(t.url(), "livekit.RoomService/ListRooms", {}, withOverride({}));
    assert.equal(reply.text, "{}");
  });

  it("is encoded as protobuf for a binary client", async () => {
    const reply = await twirp(t.url(), "livekit.RoomService/CreateRoom", new Uint8Array(0), {
      ...withOverride({ name: "bin", maxParticipants: 4 }),
      codec: "binary",
    });
    assert.equal(reply.status, 200);
    const room = fromBinary(RoomSchema, reply.bytes);
    assert.equal(room.name, "bin");
    assert.equal(room.maxParticipants, 4);
    assert.equal(room.sid, "");
  });

  it("is read from the legacy X-Lk-Mock-Response header as well", async () => {
    const reply = await twirp(
      t.url(),
      "livekit.RoomService/CreateRoom",
      {},
      {
        headers: { "X-Lk-Mock-Response": '{"sid":"RM_LEGACY"}', "X-Lk-Mock-Skip-Auth": "true" },
      },
    );
    assert.deepEqual(reply.json(), { sid: "RM_LEGACY" });
  });

  it("from X-Lk-Mock wins over the legacy header", async () => {
    const reply = await twirp(
      t.url(),
      "livekit.RoomService/CreateRoom",
      {},
      {
        ...withOverride({ sid: "RM_JSON" }),
        headers: { "X-Lk-Mock-Response": '{"sid":"RM_LEGACY"}' },
      },
    );
    assert.deepEqual(reply.json(), { sid: "RM_JSON" });
  });

  it("set to null falls back to the populated response", async () => {
    const reply = await twirp(
      t.url(),
      "livekit.RoomService/ListRooms",
      {},
      {
        ...withOverride(null),
        headers: { "X-Lk-Mock-Response": '{"rooms":[]}' },
      },
    );
    assert.deepEqual(reply.json(), { rooms: [{ sid: "MOCK_SID" }] });
  });

  it("is ignored for unknown methods", async () => {
    const reply = await twirp(t.url(), "livekit.Nope/Nope", {}, withOverride({ anything: 1 }));
    assert.equal(reply.status, 200);
    assert.equal(reply.text, "{}");
  });

  it("that does not decode into the output type is a 400 naming the offending field", async () => {
    const cases: [string, unknown, string][] = [
      ["livekit.RoomService/ListRooms", { rooms: 5 }, "rooms"],
      ["livekit.RoomService/CreateRoom", { emptyTimeout: "soon" }, "empty_timeout"],
      ["livekit.RoomService/CreateRoom", { name: 7 }, "name"],
      ["livekit.RoomService/CreateRoom", { name: "a", empty_timeout: 1, emptyTimeout: 2 }, "empty_timeout"],
    ];
    for (const [key, response, field] of cases) {
      const reply = await twirp(t.url(), key, {}, withOverride(response));
      assertTwirpError(reply, { status: 400, code: "invalid_argument", msgStartsWith: "mock: invalid control", msgIncludes: [field] });
    }
  });

  it("that is not a JSON object is a 400 naming the response field", async () => {
    for (const response of ["x", 5, [1], true]) {
      const reply = await twirp(t.url(), "livekit.RoomService/CreateRoom", {}, withOverride(response));
      assertTwirpError(reply, { status: 400, code: "invalid_argument", msgStartsWith: "mock: invalid control", msgIncludes: ["response"] });
    }
  });

  it("in a legacy header that is not JSON is a 400 naming the header", async () => {
    const reply = await twirp(t.url(), "livekit.RoomService/CreateRoom", {}, { headers: { "X-Lk-Mock-Response": "{oops" } });
    assertTwirpError(reply, {
      status: 400,
      code: "invalid_argument",
      msgStartsWith: "mock: invalid control",
      msgIncludes: ["X-Lk-Mock-Response"],
    });
  });
});
