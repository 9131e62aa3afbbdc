// The RPC → events table, held to the RPC list: every key is a served RPC with the schemas it
// declares, every RPC is decided (emits, or is silent for a stated reason), and every entry builds
// exactly the events it lists from a populated answer, about the resource the call named.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create, fromJson, type DescMessage, type JsonObject, type Message } from "@bufbuild/protobuf";
import { methodStubs } from "../../generated/mock/index.js";
import { compilePopulatePlan, populate } from "../../src/twirp/populate.js";
import { instant, toWebhookEvent } from "../../src/webhooks/event-shapes.js";
import { rpcEvents, silentRpcs } from "../../src/webhooks/rpc-events.js";

const at = instant(new Date(1_700_000_000_456));
const stubs = new Map(methodStubs.map((stub) => [stub.key, stub]));

function call(key: string, request: JsonObject): { request: Message; response: Message } {
  const stub = stubs.get(key)!;
  const decoded = fromJson(stub.method.input as DescMessage, request);
  return { request: decoded, response: populate(compilePopulatePlan(stub.method.output, stub.method.input), decoded) };
}

function built(key: string, request: JsonObject): ReturnType<typeof toWebhookEvent>[] {
  const { request: req, response } = call(key, request);
  return rpcEvents[key]!.build(req, response, at).map(toWebhookEvent);
}

describe("the RPC → webhook events table", () => {
  test("every key names a served RPC, with that RPC's input and output types", () => {
    for (const [key, entry] of Object.entries(rpcEvents)) {
      const stub = stubs.get(key);
      assert.ok(stub, `${key} is not an RPC of generated/mock`);
      assert.equal(entry.input.typeName, stub.method.input.typeName, `${key} input`);
      assert.equal(entry.output.typeName, stub.method.output.typeName, `${key} output`);
    }
  });

  test("every RPC is decided: it emits events, or it is silent for a stated reason, never both", () => {
    const undecided = methodStubs
      .map((stub) => stub.key)
      .filter((key) => !(key in rpcEvents) && !(key in silentRpcs) && !(`${key.split("/")[0]}/*` in silentRpcs));
    assert.deepEqual(undecided, []);
    assert.deepEqual(
      Object.keys(rpcEvents).filter((key) => key in silentRpcs || `${key.split("/")[0]}/*` in silentRpcs),
      [],
    );
    for (const key of Object.keys(silentRpcs)) {
      const known = key.endsWith("/*") ? methodStubs.some((s) => s.key.startsWith(key.slice(0, -1))) : stubs.has(key);
      assert.ok(known, `silentRpcs names ${key}, which is not served`);
    }
  });

  test("each entry builds exactly the events it lists, in order, from an empty request's populated answer", () => {
    for (const [key, entry] of Object.entries(rpcEvents)) {
      const events = built(key, {});
      assert.deepEqual(
        events.map((e) => e.event),
        [...entry.events],
        key,
      );
    }
  });

  test("room events name the room of the call", () => {
    const [started] = built("livekit.RoomService/CreateRoom", { name: "r1", metadata: "m", emptyTimeout: 30 });
    assert.equal(started!.room?.name, "r1");
    assert.equal(started!.room?.metadata, "m");
    assert.equal(started!.room?.sid, "MOCK_SID");
    const [finished] = built("livekit.RoomService/DeleteRoom", { room: "r1" });
    assert.equal(finished!.room?.name, "r1");
    assert.equal(finished!.roomEndReason, 1, "ROOM_END_API_DELETE");
  });

  test("participant events name the participant and room of the call", () => {
    const [left] = built("livekit.RoomService/RemoveParticipant", { room: "r1", identity: "bob" });
    assert.deepEqual(
      [left!.room?.name, left!.participant?.identity, left!.participant?.state, left!.participant?.disconnectReason],
      ["r1", "bob", 3, 4],
    );
    const [gone, joined] = built("livekit.RoomService/MoveParticipant", { room: "r1", identity: "bob", destinationRoom: "r2" });
    assert.deepEqual([gone!.room?.name, joined!.room?.name, joined!.participant?.identity], ["r1", "r2", "bob"]);
    assert.equal(joined!.participant?.joinedAt, at.seconds);
    const [forwarded] = built("livekit.RoomService/ForwardParticipant", { room: "r1", identity: "bob", destinationRoom: "r3" });
    assert.equal(forwarded!.room?.name, "r3");
    const [sip] = built("livekit.SIP/CreateSIPParticipant", { roomName: "call-room", participantIdentity: "caller" });
    assert.deepEqual(
      [sip!.room?.name, sip!.participant?.identity, sip!.participant?.sid, sip!.participant?.kind],
      ["call-room", "caller", "MOCK_PARTICIPANT_ID", 3],
    );
    const [transferred] = built("livekit.SIP/TransferSIPParticipant", {
      roomName: "call-room",
      participantIdentity: "caller",
      transferTo: "tel:1",
    });
    assert.deepEqual([transferred!.event, transferred!.participant?.identity], ["participant_left", "caller"]);
  });

  test("egress events carry the answered EgressInfo, with the status each event stands for", () => {
    const [started] = built("livekit.Egress/StartRoomCompositeEgress", { roomName: "r1", layout: "grid" });
    assert.deepEqual(
      [started!.egressInfo?.egressId, started!.egressInfo?.roomName, started!.egressInfo?.status],
      ["MOCK_EGRESS_ID", "r1", 0],
    );
    assert.deepEqual([started!.room?.sid, started!.room?.name], ["MOCK_ROOM_ID", "r1"], "the minimal room beside an egress");
    const [updating, ended] = built("livekit.Egress/StopEgress", { egressId: "EG_1" });
    assert.deepEqual([updating!.egressInfo?.egressId, updating!.egressInfo?.status], ["EG_1", 2], "EGRESS_ENDING");
    assert.deepEqual(
      [ended!.egressInfo?.egressId, ended!.egressInfo?.status, ended!.egressInfo?.endedAt],
      ["EG_1", 3, at.ns],
      "EGRESS_COMPLETE",
    );
    const [streamed] = built("livekit.Egress/UpdateStream", { egressId: "EG_1" });
    assert.equal(streamed!.egressInfo?.status, 1, "EGRESS_ACTIVE");
  });

  test("an answered status that fits the event is kept (a `response` override decides it)", () => {
    const stub = stubs.get("livekit.Egress/StopEgress")!;
    const request = create(stub.method.input as DescMessage, {});
    const failed = fromJson(stub.method.output as DescMessage, { egressId: "EG_2", status: "EGRESS_FAILED", error: "boom", endedAt: "5" });
    const [, ended] = rpcEvents["livekit.Egress/StopEgress"]!.build(request, failed, at).map(toWebhookEvent);
    assert.deepEqual([ended!.egressInfo?.status, ended!.egressInfo?.error, ended!.egressInfo?.endedAt], [4, "boom", 5n]);
  });

  test("ingress events carry the answered IngressInfo, publishing when started and stopped when ended", () => {
    const [started] = built("livekit.Ingress/CreateIngress", { roomName: "r1", name: "cam" });
    assert.deepEqual(
      [started!.ingressInfo?.ingressId, started!.ingressInfo?.roomName, started!.ingressInfo?.state?.status],
      ["MOCK_INGRESS_ID", "r1", 2],
    );
    assert.deepEqual([started!.room?.sid, started!.room?.name], ["", "r1"]);
    const [ended] = built("livekit.Ingress/DeleteIngress", { ingressId: "IN_1" });
    assert.deepEqual(
      [ended!.ingressInfo?.ingressId, ended!.ingressInfo?.state?.status, ended!.ingressInfo?.state?.endedAt],
      ["IN_1", 0, at.ns],
    );
  });

  test("agent job events carry a job of the dispatch, pending, running, then ended", () => {
    const [pending, started] = built("livekit.AgentDispatchService/CreateDispatch", { agentName: "helper", room: "r1", metadata: "m" });
    assert.deepEqual(
      [pending!.job?.agentName, pending!.job?.room?.name, pending!.job?.dispatchId, pending!.job?.state?.status],
      ["helper", "r1", "MOCK_ID", 0],
    );
    assert.equal(started!.job?.state?.status, 1, "JS_RUNNING");
    assert.equal(pending!.room?.name, "r1");
    const [ended] = built("livekit.AgentDispatchService/DeleteDispatch", { dispatchId: "AD_1", room: "r1" });
    assert.deepEqual([ended!.job?.state?.status, ended!.job?.state?.endedAt], [2, at.ns], "JS_SUCCESS");
  });

  test("building events never changes the answered response", () => {
    const { request, response } = call("livekit.Egress/StopEgress", { egressId: "EG_1" });
    const before = JSON.stringify(response, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    rpcEvents["livekit.Egress/StopEgress"]!.build(request, response, at);
    assert.equal(
      JSON.stringify(response, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v)),
      before,
    );
  });
});
