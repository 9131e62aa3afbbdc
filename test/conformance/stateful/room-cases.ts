// RoomService sequences of the stateful parity matrix: rooms created, listed, updated and deleted;
// every error the real server gives for a room or participant; participants brought by signal
// joins, changed and removed through the API; rooms closed by their timeouts. Each case uses
// room names of its own, so cases never see each other's state on either server; a case that
// lists every room runs before the others that make rooms (case-schedule.ts).
import type { JsonObject } from "@bufbuild/protobuf";
import { admin, call, roomCreate, roomList, roomService as rs, type StatefulCase, type Step } from "./stateful-case.js";

const group = "RoomService";

/** What an SDK signs for ForwardParticipant and MoveParticipant. */
const moving = (room: string, destinationRoom: string) => ({ roomAdmin: true, room, destinationRoom });

/** ListRooms, naming `names`, repeated until the rooms listed are exactly `expected`. */
function roomsAre(names: readonly string[], expected: readonly string[]): Step {
  return call(rs("ListRooms"), names.length === 0 ? {} : { names: [...names] }, roomList, (observed) => {
    const rooms = ((observed as { body?: { rooms?: JsonObject[] } }).body?.rooms ?? []).map((r) => r["name"] ?? "");
    return JSON.stringify([...rooms].sort()) === JSON.stringify([...expected].sort());
  });
}

/** ListParticipants of `room`, repeated until the identities listed are exactly `expected`. */
function participantsAre(room: string, expected: readonly string[]): Step {
  return call(rs("ListParticipants"), { room }, admin(room), (observed) => {
    const listed = ((observed as { body?: { participants?: JsonObject[] } }).body?.participants ?? []).map((p) => p["identity"] ?? "");
    return JSON.stringify(listed) === JSON.stringify(expected);
  });
}

export function roomCases(): StatefulCase[] {
  const big = "m".repeat(512 * 1024 + 1);
  return [
    {
      id: "rooms: create, list, update, delete, list",
      group,
      steps: [
        call(
          rs("CreateRoom"),
          { name: "crud-a", metadata: "first", emptyTimeout: 120, departureTimeout: 7, maxParticipants: 5 },
          roomCreate,
        ),
        call(rs("CreateRoom"), { name: "crud-b" }, roomCreate),
        roomsAre([], ["crud-a", "crud-b"]),
        roomsAre(["crud-a", "crud-unknown"], ["crud-a"]),
        roomsAre(["crud-unknown"], []),
        call(rs("UpdateRoomMetadata"), { room: "crud-a", metadata: "second" }, admin("crud-a")),
        // An existing name returns the live room unchanged, whatever the request says.
        call(rs("CreateRoom"), { name: "crud-a", metadata: "third", emptyTimeout: 999, maxParticipants: 1 }, roomCreate),
        call(rs("DeleteRoom"), { room: "crud-a" }, roomCreate),
        roomsAre([], ["crud-b"]),
        call(rs("DeleteRoom"), { room: "crud-a" }, roomCreate),
        call(rs("UpdateRoomMetadata"), { room: "crud-a", metadata: "x" }, admin("crud-a")),
        call(rs("DeleteRoom"), { room: "crud-b" }, roomCreate),
        roomsAre([], []),
      ],
    },
    {
      id: "rooms: the limits and a room preset the server does not have",
      group,
      steps: [
        call(rs("CreateRoom"), { name: "x".repeat(257) }, roomCreate),
        call(rs("CreateRoom"), { name: "limits-meta", metadata: big }, roomCreate),
        call(rs("CreateRoom"), { name: "limits-preset", roomPreset: "nope" }, roomCreate),
        call(rs("CreateRoom"), { name: "limits-ok" }, roomCreate),
        call(rs("UpdateRoomMetadata"), { room: "limits-ok", metadata: big }, admin("limits-ok")),
        call(rs("DeleteRoom"), { room: "limits-ok" }, roomCreate),
      ],
    },
    {
      id: "participants: what a missing room or participant answers",
      group,
      steps: [
        call(rs("ListParticipants"), { room: "missing-room" }, admin("missing-room")),
        call(rs("GetParticipant"), { room: "missing-room", identity: "nobody" }, admin("missing-room")),
        call(rs("CreateRoom"), { name: "missing-p" }, roomCreate),
        call(rs("ListParticipants"), { room: "missing-p" }, admin("missing-p")),
        call(rs("GetParticipant"), { room: "missing-p", identity: "nobody" }, admin("missing-p")),
        call(rs("RemoveParticipant"), { room: "missing-p", identity: "nobody" }, admin("missing-p")),
        call(rs("UpdateParticipant"), { room: "missing-p", identity: "nobody", metadata: "m" }, admin("missing-p")),
        call(rs("UpdateParticipant"), { room: "missing-p", identity: "nobody", name: "n".repeat(257) }, admin("missing-p")),
        call(
          rs("UpdateParticipant"),
          { room: "missing-p", identity: "nobody", attributes: { k: "v".repeat(64 * 1024) } },
          admin("missing-p"),
        ),
        call(rs("MutePublishedTrack"), { room: "missing-p", identity: "nobody", trackSid: "TR_x", muted: true }, admin("missing-p")),
        call(
          rs("UpdateSubscriptions"),
          { room: "missing-p", identity: "nobody", trackSids: ["TR_x"], subscribe: true },
          admin("missing-p"),
        ),
        call(rs("SendData"), { room: "missing-p", data: "AQID", kind: "RELIABLE" }, admin("missing-p")),
        call(rs("SendData"), { room: "missing-p", data: "AQID", nonce: "AQID" }, admin("missing-p")),
        call(rs("SendData"), { room: "missing-room", data: "AQID" }, admin("missing-room")),
        call(
          rs("ForwardParticipant"),
          { room: "missing-p", identity: "nobody", destinationRoom: "elsewhere" },
          moving("missing-p", "elsewhere"),
        ),
        call(
          rs("MoveParticipant"),
          { room: "missing-p", identity: "nobody", destinationRoom: "elsewhere" },
          moving("missing-p", "elsewhere"),
        ),
        call(
          rs("MoveParticipant"),
          { room: "missing-p", identity: "nobody", destinationRoom: "missing-p" },
          moving("missing-p", "missing-p"),
        ),
        call(rs("PerformRpc"), { room: "missing-p", destinationIdentity: "nobody", method: "m" }, admin("missing-p")),
        call(rs("PerformRpc"), { room: "missing-p", destinationIdentity: "", method: "m" }, admin("missing-p")),
        call(rs("DeleteRoom"), { room: "missing-p" }, roomCreate),
      ],
    },
    {
      id: "participants: a signal join, listed, changed through the API and removed",
      group,
      steps: [
        { kind: "join", as: "alice", room: "join-a", identity: "alice", name: "Alice", metadata: "alice-meta", attributes: { a: "1" } },
        roomsAre(["join-a"], ["join-a"]),
        participantsAre("join-a", ["alice"]),
        call(rs("GetParticipant"), { room: "join-a", identity: "alice" }, admin("join-a")),
        { kind: "join", as: "bob", room: "join-a", identity: "bob", grant: { canPublish: false } },
        participantsAre("join-a", ["alice", "bob"]),
        call(
          rs("UpdateParticipant"),
          { room: "join-a", identity: "alice", name: "Alice 2", metadata: "changed", attributes: { b: "2", a: "" } },
          admin("join-a"),
        ),
        {
          kind: "update",
          as: "bob",
          identity: "alice",
          match: (p) => p["metadata"] === "changed" && p["attributes"] !== undefined && (p["attributes"] as JsonObject)["b"] === "2",
        },
        { kind: "update", as: "alice", identity: "alice", match: (p) => p["name"] === "Alice 2" },
        call(
          rs("UpdateParticipant"),
          { room: "join-a", identity: "alice", permission: { canSubscribe: true, canPublishData: true } },
          admin("join-a"),
        ),
        {
          kind: "update",
          as: "bob",
          identity: "alice",
          match: (p) => (p["permission"] as JsonObject | undefined)?.["canPublish"] !== true,
        },
        call(rs("UpdateRoomMetadata"), { room: "join-a", metadata: "room-meta" }, admin("join-a")),
        { kind: "roomUpdate", as: "alice", match: (room) => room["metadata"] === "room-meta" },
        call(rs("MutePublishedTrack"), { room: "join-a", identity: "alice", trackSid: "TR_unknown", muted: true }, admin("join-a")),
        { kind: "mute", as: "alice" },
        call(rs("MutePublishedTrack"), { room: "join-a", identity: "alice", trackSid: "TR_unknown", muted: false }, admin("join-a")),
        call(rs("UpdateSubscriptions"), { room: "join-a", identity: "alice", trackSids: ["TR_unknown"], subscribe: true }, admin("join-a")),
        call(
          rs("SendData"),
          { room: "join-a", data: "AQID", kind: "RELIABLE", topic: "t", destinationIdentities: ["bob"] },
          admin("join-a"),
        ),
        call(rs("RemoveParticipant"), { room: "join-a", identity: "bob" }, admin("join-a")),
        { kind: "ended", as: "bob" },
        { kind: "update", as: "alice", identity: "bob", match: (p) => p["state"] === "DISCONNECTED" },
        participantsAre("join-a", ["alice"]),
        call(rs("GetParticipant"), { room: "join-a", identity: "bob" }, admin("join-a")),
        call(rs("DeleteRoom"), { room: "join-a" }, roomCreate),
        { kind: "ended", as: "alice" },
        // By name: a list of every room would hold this case back until every other case that
        // makes rooms has ended (case-schedule.ts); the first case lists every room.
        roomsAre(["join-a"], []),
      ],
    },
    {
      id: "participants: a second join with the same identity closes the first",
      group,
      steps: [
        { kind: "join", as: "first", room: "dup", identity: "carol" },
        { kind: "join", as: "second", room: "dup", identity: "carol", metadata: "second" },
        { kind: "ended", as: "first" },
        participantsAre("dup", ["carol"]),
        call(rs("GetParticipant"), { room: "dup", identity: "carol" }, admin("dup")),
        { kind: "leave", as: "second" },
        { kind: "ended", as: "second" },
        participantsAre("dup", []),
        call(rs("DeleteRoom"), { room: "dup" }, roomCreate),
      ],
    },
    {
      id: "rooms: the empty timeout and the departure timeout close rooms",
      group,
      steps: [
        call(rs("CreateRoom"), { name: "timeout-empty", emptyTimeout: 1 }, roomCreate),
        // A room someone joined closes by its departure timeout once they leave, whatever its empty
        // timeout says. The long empty timeout keeps the room there until the join on a busy
        // machine: with 1 s the real server closed it first, and the join made a room of defaults.
        call(rs("CreateRoom"), { name: "timeout-departure", emptyTimeout: 60, departureTimeout: 1 }, roomCreate),
        { kind: "join", as: "dave", room: "timeout-departure", identity: "dave" },
        roomsAre(["timeout-empty", "timeout-departure"], ["timeout-departure"]),
        { kind: "close", as: "dave" },
        { kind: "ended", as: "dave" },
        roomsAre(["timeout-empty", "timeout-departure"], []),
      ],
    },
  ];
}

/** Rooms whose webhook events the webhook comparison reads, in the order it reads them. */
export const webhookRooms = ["hook-a", "hook-b"] as const;

/**
 * The sequence whose webhook events both servers' receivers compare: a room created, joined by
 * two, left by one, the other removed, the room deleted; a second room that nobody joins, closed
 * by its empty timeout.
 */
export function webhookCase(): StatefulCase {
  return {
    id: "webhooks: a room's events from creation to deletion, and an empty timeout",
    group: "webhooks",
    steps: [
      call(rs("CreateRoom"), { name: "hook-a", metadata: "hooked" }, roomCreate),
      { kind: "join", as: "alice", room: "hook-a", identity: "alice", name: "Alice" },
      { kind: "join", as: "bob", room: "hook-a", identity: "bob" },
      participantsAre("hook-a", ["alice", "bob"]),
      { kind: "leave", as: "bob" },
      { kind: "ended", as: "bob" },
      participantsAre("hook-a", ["alice"]),
      call(rs("RemoveParticipant"), { room: "hook-a", identity: "alice" }, admin("hook-a")),
      { kind: "ended", as: "alice" },
      participantsAre("hook-a", []),
      call(rs("DeleteRoom"), { room: "hook-a" }, roomCreate),
      call(rs("CreateRoom"), { name: "hook-b", emptyTimeout: 1 }, roomCreate),
      roomsAre(["hook-b"], []),
    ],
  };
}
