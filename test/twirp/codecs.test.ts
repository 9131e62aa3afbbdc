// Request decoding as a real Twirp server does it, and response encoding as the original mock
// writes it (docs/spec/twirp.md#json-body, docs/spec/twirp.md#protobuf-body,
// docs/spec/twirp.md#protojson-output; undecodable bodies are `malformed`).
import assert from "node:assert/strict";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { describe, it } from "node:test";
import { IngressInput } from "../../generated/livekit_ingress_pb.js";
import { RoomSchema } from "../../generated/livekit_models_pb.js";
import { CreateRoomRequestSchema, RoomService } from "../../generated/livekit_room_pb.js";
import { SIP } from "../../generated/livekit_sip_pb.js";
import { useServer } from "../support/server.js";
import { assertTwirpError, get, twirp, twirpBinary } from "../support/twirp.js";

const createRoom = "livekit.RoomService/CreateRoom";
const mib = 1024 * 1024;

describe("JSON requests", () => {
  const t = useServer({ ports: [0] });

  it("accepts lowerCamelCase field names", async () => {
    const reply = await twirp(t.url(), createRoom, { name: "r", emptyTimeout: 30, departureTimeout: 5 });
    assert.deepEqual(reply.json(), { sid: "MOCK_SID", name: "r", emptyTimeout: 30, departureTimeout: 5, enabledCodecs: [{}] });
  });

  it("accepts proto (snake_case) field names", async () => {
    const reply = await twirp(t.url(), createRoom, { name: "r", empty_timeout: 30, max_participants: 7 });
    assert.deepEqual(reply.json(), { sid: "MOCK_SID", name: "r", emptyTimeout: 30, maxParticipants: 7, enabledCodecs: [{}] });
  });

  it("accepts int64 and uint32 values given as numeric strings", async () => {
    const reply = await twirp(t.url(), createRoom, { name: "r", emptyTimeout: "30" });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(reply.json().emptyTimeout, 30);
  });

  it("ignores unknown fields", async () => {
    const reply = await twirp(t.url(), createRoom, { name: "r", noSuchField: { deep: [1, 2] }, another_unknown: "x" });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.json(), { sid: "MOCK_SID", name: "r", enabledCodecs: [{}] });
  });

  it("ignores unknown enum names, leaving the field unset", async () => {
    const reply = await twirp(t.url(), "livekit.Ingress/CreateIngress", { inputType: "NO_SUCH_INPUT", name: "n" });
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.json(), { ingressId: "MOCK_INGRESS_ID", name: "n" });
  });

  it("decodes an empty JSON body as an empty request", async () => {
    const reply = await twirp(t.url(), "livekit.SIP/CreateSIPParticipant", "");
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.json(), { participantId: "MOCK_PARTICIPANT_ID", sipCallId: "MOCK_SIP_CALL_ID" });
  });

  const undecodable: [string, string][] = [
    ["a syntax error", '{"name":'],
    ["not JSON at all", "name=r"],
    ["null", "null"],
    ["an array", '[{"name":"r"}]'],
    ["a string", '"r"'],
    ["a wrong value type", '{"name":5}'],
    ["a non-integral number for an integer field", '{"emptyTimeout":1.5}'],
    ["a field given under both its names", '{"emptyTimeout":1,"empty_timeout":2}'],
    ["trailing garbage after the object", '{"name":"r"} x'],
    ["a bool given as a string", '{"name":"r","syncStreams":"true"}'],
  ];
  for (const [what, body] of undecodable) {
    it(`answers malformed (400) to a JSON body with ${what}`, async () => {
      const reply = await twirp(t.url(), createRoom, body);
      assertTwirpError(reply, { status: 400, code: "malformed", msgStartsWith: "the json request could not be decoded" });
      assert.equal(reply.region, "");
    });
  }

  it("answers malformed before checking the token", async () => {
    const reply = await twirp(t.url(), createRoom, "{", { token: null });
    assertTwirpError(reply, { status: 400, code: "malformed" });
  });
});

describe("binary requests", () => {
  const t = useServer({ ports: [0] });

  it("decodes a protobuf request and answers a protobuf response built from it", async () => {
    const reply = await twirpBinary(t.url(), RoomService.method.createRoom, { name: "bin-room", emptyTimeout: 30, metadata: "m" });
    assert.equal(reply.status, 200);
    assert.equal(reply.contentType, "application/protobuf");
    const room = reply.message!;
    assert.equal(room.sid, "MOCK_SID");
    assert.equal(room.name, "bin-room");
    assert.equal(room.emptyTimeout, 30);
    assert.equal(room.metadata, "m");
    assert.equal(room.enabledCodecs.length, 1);
    assert.equal(reply.region, "0");
  });

  it("decodes an empty body as an empty request", async () => {
    const reply = await twirpBinary(t.url(), SIP.method.createSIPParticipant, {});
    assert.equal(reply.status, 200);
    assert.equal(reply.message!.participantId, "MOCK_PARTICIPANT_ID");
    assert.equal(reply.message!.sipCallId, "MOCK_SIP_CALL_ID");
    assert.equal(reply.message!.roomName, "");
  });

  it("answers an empty message with a zero-length body", async () => {
    const reply = await twirpBinary(t.url(), RoomService.method.deleteRoom, { room: "r" });
    assert.equal(reply.status, 200);
    assert.equal(reply.contentType, "application/protobuf");
    assert.equal(reply.bytes.length, 0);
    assert.equal(reply.headers.get("content-length"), "0");
  });

  it("answers malformed (400) to bytes that are not the request message", async () => {
    for (const body of [Buffer.from([0xff, 0xff, 0xff]), Buffer.from([0x0a, 0x10, 0x61]), Buffer.from('{"name":"r"}')]) {
      const reply = await twirp(t.url(), createRoom, body, { codec: "binary" });
      assertTwirpError(reply, { status: 400, code: "malformed", msgStartsWith: "the protobuf request could not be decoded" });
    }
  });

  it("skips unknown fields in a protobuf request", async () => {
    const known = toBinary(CreateRoomRequestSchema, create(CreateRoomRequestSchema, { name: "u" }));
    // Field 999, varint 1: not part of CreateRoomRequest.
    const body = Buffer.concat([known, Buffer.from([0xb8, 0x3e, 0x01])]);
    const reply = await twirp(t.url(), createRoom, body, { codec: "binary" });
    assert.equal(reply.status, 200, reply.text);
    assert.equal(fromBinary(RoomSchema, reply.bytes).name, "u");
  });
});

describe("request size limit", () => {
  const t = useServer({ ports: [0] });

  it("answers a JSON body above 4 MiB with a Twirp error and keeps serving", async () => {
    const reply = await twirp(t.url(), createRoom, JSON.stringify({ name: "x".repeat(5 * mib) }));
    assertTwirpError(reply, { status: 400, code: "malformed" });
    assert.equal((await twirp(t.url(), createRoom, { name: "after" })).json().name, "after");
  });

  it("answers a binary body above 4 MiB with a Twirp error and keeps serving", async () => {
    const reply = await twirp(t.url(), createRoom, new Uint8Array(4 * mib + 1), { codec: "binary" });
    assertTwirpError(reply, { status: 400, code: "malformed" });
    assert.equal((await get(t.url(), "/_test/health")).text, "ok");
  });

  it("accepts a body just below 4 MiB", async () => {
    const name = "y".repeat(4 * mib - 100);
    const reply = await twirp(t.url(), createRoom, { name });
    assert.equal(reply.status, 200);
    assert.equal(reply.json().name.length, name.length);
  });
});

describe("JSON responses", () => {
  const t = useServer({ ports: [0] });

  it("use lowerCamelCase names and omit default values", async () => {
    const reply = await twirp(t.url(), createRoom, { name: "r", emptyTimeout: 0, metadata: "" });
    assert.equal(reply.text, '{"sid":"MOCK_SID","name":"r","enabledCodecs":[{}]}');
  });

  it("write int64 values as strings and enums as names", async () => {
    const reply = await twirp(
      t.url(),
      createRoom,
      {},
      {
        control: { response: { sid: "RM_1", creation_time: 1700000000, creationTimeMs: "1700000000123", numParticipants: 0 } },
      },
    );
    assert.equal(reply.text, '{"sid":"RM_1","creationTime":"1700000000","creationTimeMs":"1700000000123"}');
    const ingress = await twirp(
      t.url(),
      "livekit.Ingress/CreateIngress",
      {},
      { control: { response: { inputType: IngressInput.WHIP_INPUT } } },
    );
    assert.deepEqual(ingress.json(), { inputType: "WHIP_INPUT" });
  });

  it("echo an optional false (CreateIngress enabled:false)", async () => {
    const reply = await twirp(t.url(), "livekit.Ingress/CreateIngress", { name: "n", enabled: false, inputType: "WHIP_INPUT" });
    assert.deepEqual(reply.json(), { ingressId: "MOCK_INGRESS_ID", name: "n", enabled: false });
  });

  it("are exactly the same message as the binary encoding", async () => {
    const request = { name: "same", emptyTimeout: 9, maxParticipants: 3 };
    const json = (await twirp(t.url(), createRoom, request)).json();
    const binary = await twirpBinary(t.url(), RoomService.method.createRoom, request);
    const fromBin = binary.message!;
    assert.equal(json.sid, fromBin.sid);
    assert.equal(json.name, fromBin.name);
    assert.equal(json.emptyTimeout, fromBin.emptyTimeout);
    assert.equal(json.maxParticipants, fromBin.maxParticipants);
    assert.equal(json.enabledCodecs.length, fromBin.enabledCodecs.length);
  });
});

describe("what Go's decoders refuse and tolerate", () => {
  const t = useServer({ ports: [0] });

  it("answers malformed (400) to a JSON body that repeats a key, naming it", async () => {
    const reply = await twirp(t.url(), createRoom, '{"name":"r","name":"s"}');
    assertTwirpError(reply, {
      status: 400,
      code: "malformed",
      msg: 'the json request could not be decoded: duplicate key "name" in JSON at position 12',
    });
  });

  it("answers malformed (400) to a JSON body that repeats a key in a nested object, naming where", async () => {
    const reply = await twirp(t.url(), createRoom, '{"name":"r","agents":[{"agentName":"a","agentName":"b"}]}');
    assertTwirpError(reply, { status: 400, code: "malformed", msgIncludes: ['duplicate key "agentName" inside agents[0]'] });
  });

  it("decodes a protobuf field sent with the wrong wire type as Go does: 200, that field unset, the others decoded", async () => {
    // name (field 1, a string) as varint 1, then emptyTimeout (2) = 30 and metadata (5) = "m".
    const body = Buffer.from([0x08, 0x01, 0x10, 0x1e, 0x2a, 0x01, 0x6d]);
    const reply = await twirp(t.url(), createRoom, body, { codec: "binary" });
    assert.equal(reply.status, 200, reply.text);
    const room = fromBinary(RoomSchema, reply.bytes);
    assert.equal(room.name, "");
    assert.equal(room.emptyTimeout, 30);
    assert.equal(room.metadata, "m");
  });

  it("answers malformed (400) to protobuf bytes that do not decode once the mismatched field is set aside", async () => {
    // name as varint 1, then an end-group tag that closes no group: fromBinary alone reads the
    // varint as a string length and takes the tag for the name's one byte.
    const reply = await twirp(t.url(), createRoom, Buffer.from([0x08, 0x01, 0x0c]), { codec: "binary" });
    assertTwirpError(reply, { status: 400, code: "malformed", msgStartsWith: "the protobuf request could not be decoded" });
  });
});
