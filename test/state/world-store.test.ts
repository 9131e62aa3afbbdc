// The world store on its own: worlds scoped by key, bounded (least recently used evicted and said
// so), reset, a room limit per world, and where a world's events go.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create, type Message } from "@bufbuild/protobuf";
import {
  CreateRoomRequestSchema,
  DeleteRoomRequestSchema,
  ListRoomsRequestSchema,
  type ListRoomsResponse,
} from "../../generated/livekit_room_pb.js";
import type { Logger } from "../../src/shared/log.js";
import { isStateError } from "../../src/state/state-error.js";
import { defaultWorldLimits, type WorldLimits } from "../../src/state/world-limits.js";
import { createStateStore, type StateStore } from "../../src/state/world-store.js";
import type { Destination, WebhookNotifier } from "../../src/webhooks/webhook-notifier.js";
import type { EventInit } from "../../src/webhooks/event-shapes.js";

interface Sent {
  readonly url: string;
  readonly events: string[];
}

function fakeNotifier(sent: Sent[]): WebhookNotifier {
  return {
    destination: (config) => ({ url: new URL(config.url), key: { apiKey: config.apiKey, apiSecret: config.apiSecret ?? "secret" } }),
    notify: async (destination, events) => {
      sent.push({ url: destination.url.href, events: events.map((e) => (e as EventInit).event) });
      return [];
    },
    notifyCall: async () => [],
    participantSession: () => ({ joined() {}, ended() {} }),
    close() {},
  };
}

function store(
  options: { limits?: Partial<WorldLimits>; defaultWebhooks?: Destination; lines?: string[]; sent?: Sent[] } = {},
): StateStore {
  const log: Logger = { requestsEnabled: false, request() {}, info: (line) => options.lines?.push(line), error() {} };
  return createStateStore({
    serverWide: undefined,
    notifier: fakeNotifier(options.sent ?? []),
    defaultWebhooks: options.defaultWebhooks,
    log,
    limits: { ...defaultWorldLimits, ...options.limits },
  });
}

const cause = { region: "region-0" };
const createRoom = (name: string): Message => create(CreateRoomRequestSchema, { name });
const listRooms = create(ListRoomsRequestSchema);

async function roomNames(s: StateStore, key: string): Promise<string[]> {
  const listed = (await s.answer(key, "livekit.RoomService/ListRooms", listRooms, cause)) as ListRoomsResponse;
  return listed.rooms.map((room) => room.name);
}

function destination(url: string): Destination {
  return { url: new URL(url), key: { apiKey: "devkey", apiSecret: "secret" } };
}

describe("the world store", () => {
  test("a room created in one world is listed there and in no other", async () => {
    const s = store();
    await s.answer("a", "livekit.RoomService/CreateRoom", createRoom("only-in-a"), cause);
    assert.deepEqual(await roomNames(s, "a"), ["only-in-a"]);
    assert.deepEqual(await roomNames(s, "b"), []);
    s.close();
  });

  test("a method whose service keeps no state is not answered from the world", async () => {
    const s = store();
    const answered = await s.answer("a", "livekit.Connector/DialWhatsAppCall", create(ListRoomsRequestSchema), cause);
    assert.equal(answered, undefined);
    s.close();
  });

  test("past the world limit the least recently used world is evicted, and its read and the log say so", async () => {
    const lines: string[] = [];
    const s = store({ limits: { worlds: 2 }, lines });
    await s.answer("first", "livekit.RoomService/CreateRoom", createRoom("r1"), cause);
    await s.answer("second", "livekit.RoomService/CreateRoom", createRoom("r2"), cause);
    // A use of "first" makes "second" the least recently used; a read is no use.
    await roomNames(s, "first");
    await s.read("second");
    await s.answer("third", "livekit.RoomService/CreateRoom", createRoom("r3"), cause);
    assert.deepEqual(await roomNames(s, "first"), ["r1"]);
    const evicted = await s.read("second");
    assert.match(String(evicted["evicted"]), /more than 2 worlds were in use, and it was the least recently used/);
    assert.deepEqual(evicted["rooms"], []);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /world "second" evicted/);
    // Used again, it starts empty and no longer says it was evicted.
    assert.deepEqual(await roomNames(s, "second"), []);
    assert.equal((await s.read("second"))["evicted"], undefined);
    s.close();
  });

  test("a reset forgets the world, which then starts empty", async () => {
    const s = store();
    await s.answer("k", "livekit.RoomService/CreateRoom", createRoom("gone"), cause);
    assert.equal(s.reset("k"), true);
    assert.equal(s.reset("k"), false);
    assert.deepEqual(await roomNames(s, "k"), []);
    s.close();
  });

  test("a world refuses a room beyond its limit with resource_exhausted and keeps the rooms it had", async () => {
    const s = store({ limits: { roomsPerWorld: 2 } });
    await s.answer("k", "livekit.RoomService/CreateRoom", createRoom("a"), cause);
    await s.answer("k", "livekit.RoomService/CreateRoom", createRoom("b"), cause);
    // An existing room is no new room.
    await s.answer("k", "livekit.RoomService/CreateRoom", createRoom("a"), cause);
    await assert.rejects(
      s.answer("k", "livekit.RoomService/CreateRoom", createRoom("c"), cause),
      (err) => isStateError(err) && err.code === "resource_exhausted" && /holds 2 rooms/.test(err.message),
    );
    assert.deepEqual(await roomNames(s, "k"), ["a", "b"]);
    s.close();
  });

  test("events go to the world's own destination, else to the default one, else nowhere", async () => {
    const sent: Sent[] = [];
    const quiet = store({ sent });
    await quiet.answer("k", "livekit.RoomService/CreateRoom", createRoom("unheard"), cause);
    assert.deepEqual(sent, []);

    const s = store({ sent, defaultWebhooks: destination("http://127.0.0.1:1/default") });
    await s.answer("k", "livekit.RoomService/CreateRoom", createRoom("a"), cause);
    await s.answer("k", "livekit.RoomService/CreateRoom", createRoom("b"), cause, destination("http://127.0.0.1:1/own"));
    await s.answer("k", "livekit.RoomService/DeleteRoom", create(DeleteRoomRequestSchema, { room: "a" }), cause);
    assert.deepEqual(sent, [
      { url: "http://127.0.0.1:1/default", events: ["room_started"] },
      { url: "http://127.0.0.1:1/own", events: ["room_started"] },
      { url: "http://127.0.0.1:1/own", events: ["room_finished"] },
    ]);
    quiet.close();
    s.close();
  });

  test("a refused call leaves the world's destination as it was", async () => {
    const sent: Sent[] = [];
    const s = store({ sent });
    await s.answer("k", "livekit.RoomService/CreateRoom", createRoom("a"), cause, destination("http://127.0.0.1:1/kept"));
    await assert.rejects(
      s.answer(
        "k",
        "livekit.RoomService/DeleteRoom",
        create(DeleteRoomRequestSchema, { room: "missing" }),
        cause,
        destination("http://127.0.0.1:1/not"),
      ),
    );
    assert.match(String((await s.read("k"))["webhooks"]), /\/kept$/);
    s.close();
  });
});
