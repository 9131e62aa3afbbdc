// Agent dispatches in the stateful mode over HTTP: a dispatch creates its room (with the room's
// webhooks), every room starts with its own dispatches, a dispatch is listed, read by id and
// deleted; an unknown id and a missing room answer as the real server does; the per-room limit.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";
import { get, twirp, type TwirpReply } from "../support/twirp.js";
import type { MockControl } from "../../src/control/control-fields.js";
import { ownReceiver } from "../webhooks/receivers.js";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { defaultWorldLimits } from "../../src/state/world-limits.js";

const lk = useServer();
let keys = 0;
const newKey = (): string => `dispatch-${process.pid}-${++keys}`;

async function call(url: string, key: string, body: Record<string, unknown>, control: MockControl): Promise<TwirpReply> {
  const room = body["room"] ?? body["name"];
  const token = await signToken({ identity: "api", video: { roomCreate: true, roomList: true, roomAdmin: true, room } });
  return twirp(url, key, body, { control, token });
}

const ad = (method: string, body: Record<string, unknown>, control: MockControl, url = lk.url(0)) =>
  call(url, `livekit.AgentDispatchService/${method}`, body, control);
const rs = (method: string, body: Record<string, unknown>, control: MockControl) =>
  call(lk.url(0), `livekit.RoomService/${method}`, body, control);

async function ok(reply: Promise<TwirpReply>): Promise<any> {
  const answered = await reply;
  assert.equal(answered.status, 200, answered.text);
  return answered.json();
}

async function agentNames(room: string, control: MockControl): Promise<string[]> {
  const listed = await ok(ad("ListDispatch", { room }, control));
  return ((listed.agentDispatches ?? []) as { agentName?: string }[]).map((d) => d.agentName ?? "");
}

describe("agent dispatches in a world", () => {
  test("a dispatch creates its room, which starts with the unnamed agent's dispatch, and sends room_started", async (t) => {
    const receiver = await ownReceiver(t);
    const state = newKey();
    const created = await ok(
      ad(
        "CreateDispatch",
        { room: "made", agentName: "helper", metadata: "job" },
        { state, webhooks: { url: receiver.url, apiKey: "devkey" } },
      ),
    );
    assert.match(created.id, /^AD_[0-9A-Za-z]{12}$/);
    assert.equal(created.room, "made");
    assert.equal(created.metadata, "job");
    assert.match(created.state.createdAt, /^\d+$/);
    const rooms = await ok(rs("ListRooms", {}, { state }));
    assert.deepEqual(
      rooms.rooms.map((r: { name: string }) => r.name),
      ["made"],
    );
    assert.deepEqual(await agentNames("made", { state }), ["", "helper"]);
    const delivered = await receiver.waitFor(1);
    assert.deepEqual([delivered[0]!.event!["event"], delivered[0]!.event!["room"]["name"]], ["room_started", "made"]);
  });

  test("a dispatch is read by id and deleted; deleting it again is 404 dispatch ID not found", async () => {
    const state = newKey();
    const created = await ok(ad("CreateDispatch", { room: "r", agentName: "a" }, { state }));
    const read = await ok(ad("ListDispatch", { room: "r", dispatchId: created.id }, { state }));
    assert.deepEqual(read.agentDispatches, [created]);
    assert.deepEqual(await ok(ad("DeleteDispatch", { room: "r", dispatchId: created.id }, { state })), created);
    assert.deepEqual(await agentNames("r", { state }), [""]);
    const again = await ad("DeleteDispatch", { room: "r", dispatchId: created.id }, { state });
    assert.deepEqual([again.status, again.json()], [404, { code: "not_found", msg: "twirp error unknown: dispatch ID not found" }]);
    const unknown = await ok(ad("ListDispatch", { room: "r", dispatchId: "AD_unknown12345" }, { state }));
    assert.deepEqual(unknown, {});
  });

  test("a room made by CreateRoom dispatches the agents it names, and a deleted room's dispatches go with it", async () => {
    const state = newKey();
    await ok(rs("CreateRoom", { name: "agents", agents: [{ agentName: "one" }, { agentName: "two", metadata: "m" }] }, { state }));
    assert.deepEqual(await agentNames("agents", { state }), ["one", "two"]);
    await ok(rs("DeleteRoom", { room: "agents" }, { state }));
    const gone = await ad("ListDispatch", { room: "agents" }, { state });
    assert.deepEqual([gone.status, gone.json()], [503, { code: "unavailable", msg: "twirp error unknown: no response from servers" }]);
    await ok(rs("CreateRoom", { name: "agents" }, { state }));
    assert.deepEqual(await agentNames("agents", { state }), [""]);
  });

  test("a refused dispatch changes nothing: its room is not made", async () => {
    const state = newKey();
    const refused = await ad("CreateDispatch", { room: "never", agentName: "x", deployment: "a_b" }, { state });
    assert.deepEqual(
      [refused.status, refused.json()],
      [400, { code: "invalid_argument", msg: "twirp error unknown: deployment contains reserved character '_'" }],
    );
    const rooms = await ok(rs("ListRooms", {}, { state }));
    assert.deepEqual(rooms.rooms ?? [], []);
  });

  test("the world's dispatches are in its inspection, room by room", async () => {
    const state = newKey();
    await ok(ad("CreateDispatch", { room: "seen", agentName: "inspected" }, { state }));
    const world = (await get(lk.url(0), `/_test/state/${state}`)).json();
    assert.deepEqual(
      world.agentDispatches.map((r: { room: string; dispatches: { agentName?: string }[] }) => [
        r.room,
        r.dispatches.map((d) => d.agentName ?? ""),
      ]),
      [["seen", ["", "inspected"]]],
    );
  });
});

describe("the dispatches one room holds", () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent", stateful: "limits" });
  });
  after(() => server.close());

  test(`past ${defaultWorldLimits.dispatchesPerRoom} a room refuses another with resource_exhausted`, async () => {
    for (let i = 1; i < defaultWorldLimits.dispatchesPerRoom; i++)
      await ok(ad("CreateDispatch", { room: "full", agentName: `a${i}` }, {}, server.url(0)));
    const refused = await ad("CreateDispatch", { room: "full", agentName: "one too many" }, {}, server.url(0));
    assert.equal(refused.status, 429, refused.text);
    assert.equal(refused.json().code, "resource_exhausted");
    assert.match(refused.json().msg, /holds 100 agent dispatches, the most one room may hold \(docs\/limits\.md\)/);
  });
});
