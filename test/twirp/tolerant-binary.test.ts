// Binary decoding that drops fields sent with the wrong wire type, as Go's proto.Unmarshal does,
// and still refuses bytes that are no protobuf encoding at all.
import assert from "node:assert/strict";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { describe, it } from "node:test";
import { AgentDB_Wire_ColumnSchema } from "../../generated/livekit_agentdb_pb.js";
import { ParticipantPermissionSchema, RTPStatsSchema, TrackSource } from "../../generated/livekit_models_pb.js";
import { CreateRoomRequestSchema, UpdateParticipantRequestSchema } from "../../generated/livekit_room_pb.js";
import { dropMismatchedFields, fromBinaryTolerant } from "../../src/twirp/tolerant-binary.js";

/** Bytes written field by field, so tests can put any wire type on any field. */
function bytes(write: (w: BinaryWriter) => void): Uint8Array {
  const writer = new BinaryWriter();
  write(writer);
  return writer.finish();
}

describe("fromBinaryTolerant", () => {
  it("decodes valid bytes exactly like fromBinary", () => {
    const request = create(CreateRoomRequestSchema, {
      name: "r",
      emptyTimeout: 30,
      metadata: "m",
      tags: { a: "b" },
      agents: [{ agentName: "agent", metadata: "x", attributes: { k: "v" } }],
    });
    const data = toBinary(CreateRoomRequestSchema, request);
    assert.deepEqual(fromBinaryTolerant(CreateRoomRequestSchema, data), fromBinary(CreateRoomRequestSchema, data));
  });

  it("drops a top-level field sent with the wrong wire type and keeps the others", () => {
    // name (string, field 1) as varint 1; nodeId (field 4) and metadata (field 5) as strings.
    const data = bytes((w) =>
      w.tag(1, WireType.Varint).uint32(1).tag(4, WireType.LengthDelimited).string("m").tag(5, WireType.LengthDelimited).string("meta"),
    );
    assert.throws(() => fromBinary(CreateRoomRequestSchema, data), "fromBinary alone refuses these bytes");
    const message = fromBinaryTolerant(CreateRoomRequestSchema, data);
    assert.equal(message.name, "");
    assert.equal(message.nodeId, "m");
    assert.equal(message.metadata, "meta");
  });

  it("drops mismatched fields of every wire type: fixed64, fixed32 and groups on a string, length-delimited on a varint", () => {
    const data = bytes((w) =>
      w
        .tag(1, WireType.Bit64)
        .fixed64(7n)
        .tag(1, WireType.Bit32)
        .fixed32(7)
        .tag(1, WireType.StartGroup)
        .tag(9, WireType.Varint)
        .uint32(1)
        .tag(1, WireType.EndGroup)
        .tag(2, WireType.LengthDelimited)
        .string("not a number")
        .tag(5, WireType.LengthDelimited)
        .string("kept"),
    );
    const message = fromBinaryTolerant(CreateRoomRequestSchema, data);
    assert.equal(message.name, "");
    assert.equal(message.emptyTimeout, 0);
    assert.equal(message.metadata, "kept");
  });

  it("drops a mismatched field inside a sub-message and keeps its siblings", () => {
    // permission (field 4): canSubscribe (bool, 1) as a string, canPublish (bool, 2) as varint.
    const permission = bytes((w) => w.tag(1, WireType.LengthDelimited).string("yes").tag(2, WireType.Varint).bool(true));
    const data = bytes((w) =>
      w
        .tag(1, WireType.LengthDelimited)
        .string("room")
        .tag(4, WireType.LengthDelimited)
        .bytes(permission)
        .tag(2, WireType.LengthDelimited)
        .string("id"),
    );
    const message = fromBinaryTolerant(UpdateParticipantRequestSchema, data);
    assert.equal(message.room, "room");
    assert.equal(message.identity, "id");
    assert.equal(message.permission?.canSubscribe, false);
    assert.equal(message.permission?.canPublish, true);
  });

  it("drops a sub-message field sent as a varint", () => {
    const data = bytes((w) => w.tag(4, WireType.Varint).uint32(1).tag(1, WireType.LengthDelimited).string("room"));
    const message = fromBinaryTolerant(UpdateParticipantRequestSchema, data);
    assert.equal(message.permission, undefined);
    assert.equal(message.room, "room");
  });

  it("drops mismatched fields inside repeated messages and map values", () => {
    // agents (14): agentName (1) as varint; attributes (5) entry with value (2) as varint.
    const entry = bytes((w) => w.tag(1, WireType.LengthDelimited).string("k").tag(2, WireType.Varint).uint32(3));
    const agent = bytes((w) =>
      w.tag(1, WireType.Varint).uint32(3).tag(2, WireType.LengthDelimited).string("x").tag(5, WireType.LengthDelimited).bytes(entry),
    );
    const tag = bytes((w) => w.tag(1, WireType.Varint).uint32(1).tag(2, WireType.LengthDelimited).string("v"));
    const data = bytes((w) =>
      w
        .tag(14, WireType.LengthDelimited)
        .bytes(agent)
        .tag(15, WireType.LengthDelimited)
        .bytes(tag)
        .tag(1, WireType.LengthDelimited)
        .string("r"),
    );
    const message = fromBinaryTolerant(CreateRoomRequestSchema, data);
    assert.equal(message.name, "r");
    assert.equal(message.agents.length, 1);
    assert.equal(message.agents[0]!.agentName, "");
    assert.equal(message.agents[0]!.metadata, "x");
    assert.deepEqual(message.agents[0]!.attributes, { k: "" });
    // The entry key was a varint: the entry stays, with the default key, as in Go.
    assert.deepEqual(message.tags, { "": "v" });
  });

  it("keeps scalar map entries whose key and value have their declared wire types", () => {
    // gapHistogram (24): map<int32, uint32>; the second entry's value is a string.
    const good = bytes((w) => w.tag(1, WireType.Varint).int32(5).tag(2, WireType.Varint).uint32(9));
    const bad = bytes((w) => w.tag(1, WireType.Varint).int32(6).tag(2, WireType.LengthDelimited).string("9"));
    const data = bytes((w) => w.tag(24, WireType.LengthDelimited).bytes(good).tag(24, WireType.LengthDelimited).bytes(bad));
    assert.deepEqual(fromBinaryTolerant(RTPStatsSchema, data).gapHistogram, { 5: 9, 6: 0 });
  });

  it("accepts repeated numbers both packed and unpacked, next to a dropped field", () => {
    // canPublishSources (9): repeated enum; canSubscribe (1) sent as a string forces the walk.
    const packed = bytes((w) => w.uint32(TrackSource.CAMERA).uint32(TrackSource.MICROPHONE));
    const data = bytes((w) =>
      w
        .tag(1, WireType.LengthDelimited)
        .string("x")
        .tag(9, WireType.LengthDelimited)
        .bytes(packed)
        .tag(9, WireType.Varint)
        .uint32(TrackSource.SCREEN_SHARE)
        .tag(2, WireType.Varint)
        .bool(true),
    );
    const message = fromBinaryTolerant(ParticipantPermissionSchema, data);
    assert.deepEqual(message.canPublishSources, [TrackSource.CAMERA, TrackSource.MICROPHONE, TrackSource.SCREEN_SHARE]);
    assert.equal(message.canSubscribe, false);
    assert.equal(message.canPublish, true);
  });

  it("skips unknown fields without keeping them (nothing reads them, and millions of them cost seconds)", () => {
    const data = bytes((w) =>
      w.tag(1, WireType.Varint).uint32(1).tag(999, WireType.Varint).uint32(7).tag(5, WireType.LengthDelimited).string("m"),
    );
    const message = fromBinaryTolerant(CreateRoomRequestSchema, data);
    assert.equal(message.metadata, "m");
    assert.equal(message.$unknown, undefined);
  });

  const mismatch = [0x08, 0x01]; // name as varint: makes fromBinary fail, so the walk runs.
  const undecodable: [string, number[]][] = [
    ["a truncated varint", [...mismatch, 0x10, 0x80]],
    ["a varint longer than 10 bytes", [...mismatch, 0x10, ...new Array<number>(10).fill(0x80), 0x01]],
    ["a length beyond the buffer", [...mismatch, 0x2a, 0x05, 0x6d]],
    ["a string on a varint field whose length runs past the buffer", [0x10, 0x02, 0x6d]],
    ["a truncated fixed64", [...mismatch, 0x09, 0x01, 0x02]],
    ["wire type 6", [...mismatch, 0x0e, 0x00]],
    ["wire type 7", [...mismatch, 0x0f, 0x00]],
    ["an end-group tag with no group", [...mismatch, 0x0c]],
    ["a group closed with another field's end tag", [...mismatch, 0x0b, 0x08, 0x01, 0x14]],
    ["an unterminated group", [...mismatch, 0x0b, 0x08, 0x01]],
    ["field number 0", [...mismatch, 0x00, 0x01]],
    ["a sub-message field that overruns its parent", [...mismatch, 0x72, 0x02, 0x0a, 0x03, 0x61, 0x62, 0x63]],
    ["a map entry that overruns its parent", [...mismatch, 0x7a, 0x02, 0x0a, 0x03, 0x61, 0x62, 0x63]],
    ["garbage", [0xff, 0xff, 0xff, 0xff]],
  ];
  for (const [what, body] of undecodable) {
    it(`refuses ${what}`, () => {
      assert.throws(() => fromBinaryTolerant(CreateRoomRequestSchema, new Uint8Array(body)));
    });
  }

  it("refuses a packed varint list that overruns its length", () => {
    // canSubscribe (1) as a string forces the walk; canPublishSources (9) holds an unfinished varint.
    const data = new Uint8Array([0x0a, 0x01, 0x78, 0x4a, 0x01, 0x80, 0x01]);
    assert.throws(() => fromBinaryTolerant(ParticipantPermissionSchema, data), /premature EOF/);
  });

  it("accepts packed and unpacked doubles and refuses packed doubles that do not fill their length", () => {
    // Column: types (bytes, 1) sent as a varint forces the walk; doubles (3) is repeated double.
    const packed = bytes((w) => w.double(1.5).double(2.5));
    const data = bytes((w) =>
      w.tag(1, WireType.Varint).uint32(1).tag(3, WireType.LengthDelimited).bytes(packed).tag(3, WireType.Bit64).double(3.5),
    );
    assert.deepEqual(fromBinaryTolerant(AgentDB_Wire_ColumnSchema, data).doubles, [1.5, 2.5, 3.5]);
    const ragged = bytes((w) => w.tag(1, WireType.Varint).uint32(1).tag(3, WireType.LengthDelimited).bytes(packed.subarray(0, 12)));
    assert.throws(() => fromBinaryTolerant(AgentDB_Wire_ColumnSchema, ragged));
  });
});

describe("dropMismatchedFields", () => {
  it("returns the same bytes when every wire type matches", () => {
    const data = toBinary(
      CreateRoomRequestSchema,
      create(CreateRoomRequestSchema, { name: "r", tags: { a: "b" }, agents: [{ agentName: "a" }] }),
    );
    assert.deepEqual(dropMismatchedFields(CreateRoomRequestSchema, data), data);
  });
});
