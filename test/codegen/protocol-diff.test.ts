// The descriptor diff on the two versions of the bump fixtures (test/codegen/bump-fixtures), where
// every kind of change happens once.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { messageReach } from "../../codegen/message-reach.js";
import { diffProtocols, type ProtocolDiff } from "../../codegen/protocol-diff.js";
import { buildBumpFixture, type BumpFixture } from "./fixture-registry.js";

let old: BumpFixture;
let now: BumpFixture;
let diff: ProtocolDiff;

before(() => {
  old = buildBumpFixture("before");
  now = buildBumpFixture("after");
  diff = diffProtocols(old.registry, now.registry);
});

describe("diffProtocols on the bump fixtures", () => {
  test("services present at one version only are added or removed, with their methods", () => {
    assert.deepEqual(diff.services.added, [{ typeName: "livekit.Greeter", served: true, methods: ["Hello"] }]);
    assert.deepEqual(diff.services.removed, [{ typeName: "livekit.Farewell", served: true, methods: ["Bye"] }]);
  });

  test("RPCs added to or removed from a kept service are listed, streaming ones marked", () => {
    assert.deepEqual(diff.rpcs.added, [
      { key: "livekit.RoomService/Archive", served: true, streaming: false },
      { key: "livekit.RoomService/Watch", served: true, streaming: true },
    ]);
    assert.deepEqual(diff.rpcs.removed, [{ key: "livekit.RoomService/Retired", served: true, streaming: false }]);
  });

  test("an RPC whose answer type changed is retyped", () => {
    assert.deepEqual(diff.rpcs.retyped, [
      {
        key: "livekit.RoomService/Reshaped",
        served: true,
        before: "unary livekit.CreateRoomRequest → livekit.Room",
        after: "unary livekit.CreateRoomRequest → livekit.ListRoomsResponse",
      },
    ]);
  });

  test("fields are matched by number: a new name on an old number is a rename, a new type a retype", () => {
    const request = diff.messages.changed.find((m) => m.typeName === "livekit.CreateRoomRequest");
    assert.deepEqual(request?.fields, [
      { kind: "changed", number: 2, before: { name: "empty_timeout", type: "uint32" }, after: { name: "empty_timeout", type: "int64" } },
      { kind: "changed", number: 3, before: { name: "node_id", type: "string" }, after: { name: "server_id", type: "string" } },
      { kind: "added", number: 4, name: "owner_id", type: "string" },
    ]);
    const room = diff.messages.changed.find((m) => m.typeName === "livekit.Room");
    assert.deepEqual(room?.fields, [
      { kind: "removed", number: 4, name: "metadata", type: "string" },
      { kind: "added", number: 5, name: "owner_id", type: "string" },
    ]);
  });

  test("a oneof member is described with its oneof, so moving a field in or out of one shows", () => {
    const signal = diff.messages.changed.find((m) => m.typeName === "livekit.SignalRequest");
    assert.deepEqual(signal?.fields, [
      { kind: "removed", number: 2, name: "leave", type: "livekit.Leave (oneof message)" },
      { kind: "added", number: 3, name: "subscribe", type: "livekit.Subscribe (oneof message)" },
    ]);
  });

  test("unchanged messages are not listed; whole message types added or removed are", () => {
    const changed = diff.messages.changed.map((m) => m.typeName);
    assert.deepEqual(changed, ["livekit.CreateRoomRequest", "livekit.Room", "livekit.SignalRequest", "livekit.Unreached"]);
    assert.deepEqual(diff.messages.added, ["livekit.Subscribe"]);
    assert.deepEqual(diff.messages.removed, ["livekit.Leave"]);
  });

  test("enum values are matched by number: added, removed and renamed", () => {
    assert.deepEqual(diff.enums.changed, [
      {
        typeName: "livekit.RoomState",
        added: [{ number: 3, name: "ROOM_STATE_CLOSED" }],
        removed: [{ number: 2, name: "ROOM_STATE_OLD" }],
        renamed: [{ number: 1, before: "ROOM_STATE_OPEN", after: "ROOM_STATE_ACTIVE" }],
      },
      {
        typeName: "livekit.SIPStatusCode",
        added: [{ number: 600, name: "SIP_STATUS_GLOBAL_BUSY_EVERYWHERE" }],
        removed: [],
        renamed: [],
      },
    ]);
  });

  test("a registry compared with itself has no change", () => {
    const same = diffProtocols(now.registry, now.registry);
    assert.deepEqual(same, {
      services: { added: [], removed: [] },
      rpcs: { added: [], removed: [], retyped: [] },
      messages: { added: [], removed: [], changed: [] },
      enums: { added: [], removed: [], changed: [] },
    });
  });

  test("services outside the served package are marked as not served", () => {
    const other = diffProtocols(old.registry, now.registry, "elsewhere");
    assert.ok(other.services.added.every((s) => !s.served));
    assert.ok(other.rpcs.added.every((r) => !r.served));
  });
});

describe("messageReach on the bump fixtures", () => {
  test("a message is reached through the requests and answers of served unary RPCs, at any depth", () => {
    const reach = messageReach(now.registry)("livekit.Room");
    assert.deepEqual(reach.requestOf, []);
    assert.deepEqual(reach.responseOf, [
      "livekit.Greeter/Hello",
      "livekit.RoomService/Archive",
      "livekit.RoomService/CreateRoom",
      "livekit.RoomService/ListRooms",
      "livekit.RoomService/Reshaped",
    ]);
    assert.deepEqual(reach.carriedBy, ["webhook event"]);
  });

  test("an enum is reached through the messages whose fields have its type", () => {
    assert.deepEqual(messageReach(now.registry)("livekit.RoomState").carriedBy, ["signal response"]);
  });

  test("a streaming RPC does not reach anything (it has no Twirp route), and nothing reaches an orphan message", () => {
    const reach = messageReach(now.registry)("livekit.Unreached");
    assert.deepEqual(reach, { requestOf: [], responseOf: [], carriedBy: [] });
    assert.ok(!messageReach(now.registry)("livekit.ListRoomsResponse").responseOf.includes("livekit.RoomService/Watch"));
  });
});
