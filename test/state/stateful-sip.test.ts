// SIP in the stateful mode over HTTP: trunks and dispatch rules kept per world with the real
// server's conflicts and errors; CreateSIPParticipant placing a simulated call that joins its room
// (seen by ListParticipants, its webhooks sent), TransferSIPParticipant ending it; the sipStatus
// control still failing a call, which then changes nothing; inspection and reset.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";
import { get, twirp, type TwirpReply } from "../support/twirp.js";
import type { MockControl } from "../../src/control/control-fields.js";
import { ownReceiver } from "../webhooks/receivers.js";

const lk = useServer();
let keys = 0;
const newKey = (): string => `sip-${process.pid}-${++keys}`;

/** A call with every grant, its video grant scoped to the room the body names (as SDKs sign it). */
async function call(key: string, body: Record<string, unknown>, control: MockControl): Promise<TwirpReply> {
  const scope = body["room"] ?? body["roomName"];
  const video = { roomCreate: true, roomList: true, roomAdmin: true, ...(typeof scope === "string" ? { room: scope } : {}) };
  const token = await signToken({ identity: "api", video, sip: { admin: true, call: true } });
  return twirp(lk.url(0), key, body, { control, token });
}

const sip = (method: string, body: Record<string, unknown>, control: MockControl) => call(`livekit.SIP/${method}`, body, control);
const room = (method: string, body: Record<string, unknown>, control: MockControl) => call(`livekit.RoomService/${method}`, body, control);

async function ok(reply: Promise<TwirpReply>): Promise<any> {
  const answered = await reply;
  assert.equal(answered.status, 200, answered.text);
  return answered.json();
}

async function refused(reply: Promise<TwirpReply>, status: number, code: string, msg: string): Promise<void> {
  const answered = await reply;
  assert.deepEqual({ status: answered.status, ...answered.json() }, { status, code, msg }, answered.text);
}

async function inboundNames(state: string): Promise<string[]> {
  const listed = await ok(sip("ListSIPInboundTrunk", {}, { state }));
  return ((listed.items ?? []) as { name: string }[]).map((t) => t.name).sort();
}

describe("SIP trunks and dispatch rules in a world", () => {
  test("an inbound trunk is created, listed, read, updated and deleted, in its world only", async () => {
    const state = newKey();
    const created = await ok(sip("CreateSIPInboundTrunk", { trunk: { name: "in", numbers: ["+15550100"], metadata: "m" } }, { state }));
    assert.match(created.sipTrunkId, /^ST_[0-9A-Za-z]{12}$/);
    assert.deepEqual(await inboundNames(state), ["in"]);
    assert.deepEqual(await inboundNames(newKey()), []);
    const read = await ok(sip("GetSIPInboundTrunk", { sipTrunkId: created.sipTrunkId }, { state }));
    assert.deepEqual(read.trunk, created);
    const updated = await ok(
      sip(
        "UpdateSIPInboundTrunk",
        { sipTrunkId: created.sipTrunkId, update: { name: "renamed", numbers: { add: ["+15550101"] } } },
        { state },
      ),
    );
    assert.deepEqual(updated.numbers, ["+15550100", "+15550101"]);
    assert.deepEqual(updated.media, {}, "an update upgrades the media config, as the real server does");
    assert.deepEqual(await ok(sip("DeleteSIPTrunk", { sipTrunkId: created.sipTrunkId }, { state })), { sipTrunkId: created.sipTrunkId });
    assert.deepEqual(await inboundNames(state), []);
    await refused(
      sip("GetSIPInboundTrunk", { sipTrunkId: created.sipTrunkId }, { state }),
      404,
      "not_found",
      "requested sip trunk does not exist",
    );
    // Deleting what is not there is no error to the real server's store.
    assert.equal((await sip("DeleteSIPTrunk", { sipTrunkId: created.sipTrunkId }, { state })).status, 200);
  });

  test("a second inbound trunk on the same number is a 400 conflict naming the first, and changes nothing", async () => {
    const state = newKey();
    const first = await ok(sip("CreateSIPInboundTrunk", { trunk: { name: "first", numbers: ["+15550200"] } }, { state }));
    await refused(
      sip("CreateSIPInboundTrunk", { trunk: { name: "second", numbers: ["1 555 0200"] } }, { state }),
      400,
      "invalid_argument",
      `Conflicting inbound SIP Trunks: "<new>" and "${first.sipTrunkId}", using the same number(s) ["1 555 0200"] without AllowedNumbers set`,
    );
    assert.deepEqual(await inboundNames(state), ["first"]);
  });

  test("outbound trunks are listed by number, and an update that leaves no number is the real server's 500", async () => {
    const state = newKey();
    const a = await ok(
      sip("CreateSIPOutboundTrunk", { trunk: { name: "a", address: "sip.example.com", numbers: ["+1", "+2"] } }, { state }),
    );
    await ok(sip("CreateSIPOutboundTrunk", { trunk: { name: "b", address: "sip.example.com", numbers: ["+1"] } }, { state }));
    const byNumber = await ok(sip("ListSIPOutboundTrunk", { numbers: ["+2"] }, { state }));
    assert.deepEqual(
      byNumber.items.map((t: { name: string }) => t.name),
      ["a"],
    );
    await refused(
      sip("UpdateSIPOutboundTrunk", { sipTrunkId: a.sipTrunkId, update: { numbers: { clear: true } } }, { state }),
      500,
      "unknown",
      "no trunk numbers specified",
    );
    const all = await ok(sip("ListSIPTrunk", {}, { state }));
    assert.deepEqual(all.items.map((t: { kind: string }) => t.kind).sort(), ["TRUNK_OUTBOUND", "TRUNK_OUTBOUND"]);
  });

  test("lists are sorted by id and a page starts after its after_id, whatever its limit", async () => {
    const state = newKey();
    const ids: string[] = [];
    for (const n of [1, 2, 3]) {
      ids.push(
        (await ok(sip("CreateSIPOutboundTrunk", { trunk: { address: "h.example.com", numbers: [`+${n}`] } }, { state }))).sipTrunkId,
      );
    }
    const sorted = [...ids].sort();
    const listed = await ok(sip("ListSIPOutboundTrunk", {}, { state }));
    assert.deepEqual(
      listed.items.map((t: { sipTrunkId: string }) => t.sipTrunkId),
      sorted,
    );
    const paged = await ok(sip("ListSIPOutboundTrunk", { page: { afterId: sorted[0], limit: 1 } }, { state }));
    assert.deepEqual(
      paged.items.map((t: { sipTrunkId: string }) => t.sipTrunkId),
      sorted.slice(1),
    );
  });

  test("a dispatch rule with a repeated PIN is a 400 conflict; a missing rule is a 404", async () => {
    const state = newKey();
    const rule = await ok(
      sip(
        "CreateSIPDispatchRule",
        { dispatchRule: { name: "pin", rule: { dispatchRuleDirect: { roomName: "r", pin: "42" } } } },
        { state },
      ),
    );
    await refused(
      sip(
        "CreateSIPDispatchRule",
        { dispatchRule: { name: "again", rule: { dispatchRuleDirect: { roomName: "other", pin: "42" } } } },
        { state },
      ),
      400,
      "invalid_argument",
      `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "${rule.sipDispatchRuleId}" "pin"`,
    );
    const listed = await ok(sip("ListSIPDispatchRule", {}, { state }));
    assert.equal(listed.items.length, 1);
    const updated = await ok(
      sip("UpdateSIPDispatchRule", { sipDispatchRuleId: rule.sipDispatchRuleId, update: { metadata: "changed" } }, { state }),
    );
    assert.equal(updated.metadata, "changed");
    assert.equal((await sip("DeleteSIPDispatchRule", { sipDispatchRuleId: rule.sipDispatchRuleId }, { state })).status, 200);
    await refused(
      sip("DeleteSIPDispatchRule", { sipDispatchRuleId: rule.sipDispatchRuleId }, { state }),
      404,
      "not_found",
      "requested sip dispatch rule does not exist",
    );
    await refused(
      sip("UpdateSIPDispatchRule", { sipDispatchRuleId: rule.sipDispatchRuleId, update: { name: "x" } }, { state }),
      404,
      "not_found",
      "requested sip dispatch rule does not exist",
    );
  });

  test("the world's trunks and rules are in its inspection, and a reset forgets them", async () => {
    const state = newKey();
    await ok(sip("CreateSIPInboundTrunk", { trunk: { name: "seen", numbers: ["+15550300"] } }, { state }));
    await ok(sip("CreateSIPDispatchRule", { dispatchRule: { name: "seen", rule: { dispatchRuleDirect: { roomName: "r" } } } }, { state }));
    const world = (await get(lk.url(0), `/_test/state/${state}`)).json();
    assert.deepEqual(
      world.sip.inboundTrunks.map((t: { name: string }) => t.name),
      ["seen"],
    );
    assert.deepEqual(
      world.sip.dispatchRules.map((r: { name: string }) => r.name),
      ["seen"],
    );
    assert.equal((await get(lk.url(0), `/_test/state/${state}`, { method: "DELETE" })).status, 200);
    assert.deepEqual(await inboundNames(state), []);
  });
});

describe("SIP calls in a world", () => {
  async function outboundTrunk(state: string): Promise<string> {
    const trunk = await ok(
      sip("CreateSIPOutboundTrunk", { trunk: { name: "calls", address: "sip.example.com", numbers: ["+15550400"] } }, { state }),
    );
    return trunk.sipTrunkId;
  }

  test("CreateSIPParticipant puts a SIP participant in its room, made for it, and sends the room's webhooks", async (t) => {
    const receiver = await ownReceiver(t);
    const state = newKey();
    const trunk = await outboundTrunk(state);
    const webhooks = { url: receiver.url, apiKey: "devkey" };
    const placed = await ok(
      sip(
        "CreateSIPParticipant",
        { sipTrunkId: trunk, sipCallTo: "+15559000", roomName: "call-room", participantName: "Caller", participantAttributes: { a: "1" } },
        { state, webhooks },
      ),
    );
    assert.equal(placed.participantIdentity, "sip_+15559000");
    assert.equal(placed.roomName, "call-room");
    assert.match(placed.participantId, /^PA_/);
    assert.match(placed.sipCallId, /^SCL_/);
    const listed = await ok(room("ListParticipants", { room: "call-room" }, { state }));
    assert.equal(listed.participants.length, 1);
    const participant = listed.participants[0];
    assert.equal(participant.kind, "SIP");
    assert.equal(participant.name, "Caller");
    assert.equal(participant.sid, placed.participantId);
    assert.deepEqual(participant.attributes, {
      a: "1",
      "sip.callID": placed.sipCallId,
      "sip.trunkID": trunk,
      "sip.phoneNumber": "+15559000",
      "sip.hostname": "sip.example.com",
      "sip.trunkPhoneNumber": "+15550400",
      "sip.callStatus": "active",
    });
    const deliveries = await receiver.waitFor(2);
    assert.deepEqual(
      deliveries.map((d) => [d.event!["event"], d.event!["participant"]?.["identity"] ?? null]),
      [
        ["room_started", null],
        ["participant_joined", "sip_+15559000"],
      ],
    );
    const world = (await get(lk.url(0), `/_test/state/${state}`)).json();
    assert.deepEqual(
      world.sip.calls.map((c: { callId: string }) => c.callId),
      [placed.sipCallId],
    );
  });

  test("a failing sipStatus still fails CreateSIPParticipant in a world, and the call changes nothing", async () => {
    const state = newKey();
    const trunk = await outboundTrunk(state);
    const reply = await sip(
      "CreateSIPParticipant",
      { sipTrunkId: trunk, sipCallTo: "+15559001", roomName: "busy-room" },
      { state, sipStatus: { code: 486 } },
    );
    assert.equal(reply.status, 429, reply.text);
    assert.equal(reply.json().meta.sip_status_code, "486");
    assert.deepEqual((await ok(room("ListRooms", {}, { state }))).rooms ?? [], []);
  });

  test("a missing trunk is a 404, and the room is not made", async () => {
    const state = newKey();
    await refused(
      sip("CreateSIPParticipant", { sipTrunkId: "ST_missing12345", sipCallTo: "+1", roomName: "nowhere" }, { state }),
      404,
      "not_found",
      "requested sip trunk does not exist",
    );
    assert.deepEqual((await ok(room("ListRooms", {}, { state }))).rooms ?? [], []);
  });

  test("a full room refuses the call, and an identity already there is replaced as a second join replaces it", async () => {
    const state = newKey();
    const trunk = await outboundTrunk(state);
    await ok(room("CreateRoom", { name: "small", maxParticipants: 1 }, { state }));
    const first = await ok(
      sip("CreateSIPParticipant", { sipTrunkId: trunk, sipCallTo: "+1", roomName: "small", participantIdentity: "p" }, { state }),
    );
    const again = await ok(
      sip("CreateSIPParticipant", { sipTrunkId: trunk, sipCallTo: "+1", roomName: "small", participantIdentity: "p" }, { state }),
    );
    assert.notEqual(again.participantId, first.participantId);
    await refused(
      sip("CreateSIPParticipant", { sipTrunkId: trunk, sipCallTo: "+2", roomName: "small", participantIdentity: "q" }, { state }),
      429,
      "resource_exhausted",
      "mock: room small is full (max_participants 1)",
    );
    const listed = await ok(room("ListParticipants", { room: "small" }, { state }));
    assert.deepEqual(
      listed.participants.map((p: { sid: string }) => p.sid),
      [again.participantId],
    );
  });

  test("TransferSIPParticipant ends a placed call: the participant leaves its room", async () => {
    const state = newKey();
    const trunk = await outboundTrunk(state);
    await ok(
      sip(
        "CreateSIPParticipant",
        { sipTrunkId: trunk, sipCallTo: "+15559002", roomName: "transfer", participantIdentity: "caller" },
        { state },
      ),
    );
    await refused(
      sip("TransferSIPParticipant", { roomName: "transfer", participantIdentity: "caller", transferTo: "http://x" }, { state, delayMs: 0 }),
      400,
      "invalid_argument",
      "transfer_to must be a valid SIP(s) or TEL URI (sip:, sips: or tel:)",
    );
    const transferred = await ok(
      sip(
        "TransferSIPParticipant",
        { roomName: "transfer", participantIdentity: "caller", transferTo: "tel:+15550000" },
        { state, delayMs: 0 },
      ),
    );
    assert.equal(transferred.status, "STS_TRANSFER_SUCCESSFUL");
    assert.match(transferred.transferId, /^STR_/);
    const listed = await ok(room("ListParticipants", { room: "transfer" }, { state }));
    assert.deepEqual(listed.participants ?? [], []);
    await refused(
      sip(
        "TransferSIPParticipant",
        { roomName: "transfer", participantIdentity: "caller", transferTo: "tel:+15550000" },
        { state, delayMs: 0 },
      ),
      404,
      "not_found",
      "twirp error unknown: participant does not exist",
    );
  });

  test("a SIP participant the server removes ends its call", async () => {
    const state = newKey();
    const trunk = await outboundTrunk(state);
    await ok(
      sip(
        "CreateSIPParticipant",
        { sipTrunkId: trunk, sipCallTo: "+15559004", roomName: "removed", participantIdentity: "caller" },
        { state },
      ),
    );
    assert.equal((await get(lk.url(0), `/_test/state/${state}`)).json().sip.calls.length, 1);
    await ok(room("RemoveParticipant", { room: "removed", identity: "caller" }, { state }));
    assert.deepEqual((await get(lk.url(0), `/_test/state/${state}`)).json().sip.calls, []);
  });

  test("a failing sipStatus fails TransferSIPParticipant, and the participant stays", async () => {
    const state = newKey();
    const trunk = await outboundTrunk(state);
    await ok(
      sip(
        "CreateSIPParticipant",
        { sipTrunkId: trunk, sipCallTo: "+15559003", roomName: "kept", participantIdentity: "caller" },
        { state },
      ),
    );
    const reply = await sip(
      "TransferSIPParticipant",
      { roomName: "kept", participantIdentity: "caller", transferTo: "tel:+1" },
      { state, delayMs: 0, sipStatus: { code: 603 } },
    );
    assert.equal(reply.status, 403, reply.text);
    const listed = await ok(room("ListParticipants", { room: "kept" }, { state }));
    assert.equal(listed.participants.length, 1);
  });
});
