// The published Node server SDK's SipClient and AgentDispatchClient against the stateful mode, as
// an application's test suite uses them: no control header, devkey / secret, one server-wide
// world. Every test runs against ours (--stateful) and against the real LiveKit server with the
// same expectations, but for what a SIP worker does: the real server has none (it answers 503),
// ours simulates one.
import assert from "node:assert/strict";
import { randomInt } from "node:crypto";
import { after, before, describe, test } from "node:test";
import { AgentDispatchClient, RoomServiceClient, SIPInboundTrunkInfo, SIPOutboundTrunkInfo, SipClient } from "livekit-server-sdk";
import { testApiKey, testSecret } from "../support/tokens.js";
import { eventually, rejection, roomName, statefulTargets } from "./stateful-targets.js";

/** A phone number no other test or run uses: the world outlives a test. */
const phoneNumber = (): string => `+1555${randomInt(10_000_000).toString().padStart(7, "0")}`;
/** An id-shaped trunk id that names no trunk, so that a test's dispatch rules meet no others. */
const ownTrunkId = (): string =>
  `ST_${randomInt(36 ** 8)
    .toString(36)
    .padStart(12, "0")}`;

const noWorker = { status: 503, code: "unavailable", message: "twirp error unknown: no response from servers" };

for (const target of statefulTargets) {
  describe(`SipClient and AgentDispatchClient in stateful mode against ${target.name}`, { timeout: 180_000 }, () => {
    let server: { url: string; close(): Promise<unknown> };
    let sip: SipClient;
    let rooms: RoomServiceClient;
    let dispatch: AgentDispatchClient;
    before(async () => {
      server = await target.start();
      sip = new SipClient(server.url, testApiKey, testSecret);
      rooms = new RoomServiceClient(server.url, testApiKey, testSecret);
      dispatch = new AgentDispatchClient(server.url, testApiKey, testSecret);
    });
    after(() => server.close());

    test("inbound trunks: create, list, update, delete, list, and a second trunk on the same number", async () => {
      const [number, other] = [phoneNumber(), phoneNumber()];
      const created = await sip.createSipInboundTrunk("inbound", [number], { metadata: "one" });
      assert.match(created.sipTrunkId, /^ST_/);
      assert.deepEqual([created.name, created.numbers, created.metadata], ["inbound", [number], "one"]);
      assert.deepEqual(
        (await sip.listSipInboundTrunk({ numbers: [number] })).map((t) => t.sipTrunkId),
        [created.sipTrunkId],
      );
      assert.deepEqual(await rejection(sip.createSipInboundTrunk("again", [number])), {
        status: 400,
        code: "invalid_argument",
        message: `Conflicting inbound SIP Trunks: "<new>" and "${created.sipTrunkId}", using the same number(s) ["${number}"] without AllowedNumbers set`,
      });
      const renamed = await sip.updateSipInboundTrunkFields(created.sipTrunkId, { name: "renamed", metadata: "two" });
      assert.deepEqual(
        [renamed.sipTrunkId, renamed.name, renamed.metadata, renamed.numbers],
        [created.sipTrunkId, "renamed", "two", [number]],
      );
      const replaced = await sip.updateSipInboundTrunk(created.sipTrunkId, new SIPInboundTrunkInfo({ name: "replaced", numbers: [other] }));
      assert.deepEqual([replaced.sipTrunkId, replaced.name, replaced.numbers], [created.sipTrunkId, "replaced", [other]]);
      assert.deepEqual(
        (await sip.listSipInboundTrunk({ trunkIds: [created.sipTrunkId] })).map((t) => t.name),
        ["replaced"],
      );
      await sip.deleteSipTrunk(created.sipTrunkId);
      assert.deepEqual(await sip.listSipInboundTrunk({ trunkIds: [created.sipTrunkId] }), []);
      assert.deepEqual(await rejection(sip.updateSipInboundTrunkFields(created.sipTrunkId, { name: "gone" })), {
        status: 404,
        code: "not_found",
        message: "requested sip trunk does not exist",
      });
    });

    test("outbound trunks: create, list, update, delete, list, and each error", async () => {
      const number = phoneNumber();
      const created = await sip.createSipOutboundTrunk("outbound", "sip.example.com", [number]);
      assert.deepEqual([created.name, created.address, created.numbers], ["outbound", "sip.example.com", [number]]);
      assert.deepEqual(
        (await sip.listSipOutboundTrunk({ numbers: [number] })).map((t) => t.sipTrunkId),
        [created.sipTrunkId],
      );
      const updated = await sip.updateSipOutboundTrunkFields(created.sipTrunkId, { name: "renamed", destinationCountry: "FR" });
      assert.deepEqual([updated.name, updated.destinationCountry, updated.address], ["renamed", "FR", "sip.example.com"]);
      const replaced = await sip.updateSipOutboundTrunk(
        created.sipTrunkId,
        new SIPOutboundTrunkInfo({ name: "replaced", address: "other.example.com", numbers: [number] }),
      );
      assert.deepEqual([replaced.name, replaced.address], ["replaced", "other.example.com"]);
      assert.ok((await sip.listSipTrunk()).some((t) => t.sipTrunkId === created.sipTrunkId && t.outboundAddress === "other.example.com"));
      await sip.deleteSipTrunk(created.sipTrunkId);
      assert.deepEqual(await sip.listSipOutboundTrunk({ trunkIds: [created.sipTrunkId] }), []);
      assert.deepEqual(await rejection(sip.createSipOutboundTrunk("uri", "sip:user@example.com", [number])), {
        status: 400,
        code: "invalid_argument",
        message: "trunk address should be a hostname or IP, not SIP URI",
      });
      assert.deepEqual(await rejection(sip.createSipOutboundTrunk("none", "sip.example.com", [])), {
        status: 400,
        code: "invalid_argument",
        message: "no trunk numbers specified",
      });
    });

    test("dispatch rules: create, list, update, delete, list, and a repeated PIN", async () => {
      const trunkIds = [ownTrunkId()];
      const created = await sip.createSipDispatchRule(
        { type: "direct", roomName: roomName("sip"), pin: "1234" },
        { trunkIds, name: "first" },
      );
      assert.match(created.sipDispatchRuleId, /^SDR_/);
      assert.deepEqual(
        (await sip.listSipDispatchRule({ trunkIds })).map((r) => r.sipDispatchRuleId),
        [created.sipDispatchRuleId],
      );
      assert.deepEqual(
        await rejection(sip.createSipDispatchRule({ type: "direct", roomName: "other", pin: "1234" }, { trunkIds, name: "second" })),
        {
          status: 400,
          code: "invalid_argument",
          message: `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "${created.sipDispatchRuleId}" "first"`,
        },
      );
      const other = await sip.createSipDispatchRule(
        { type: "individual", roomPrefix: "call-", pin: "5678" },
        { trunkIds, name: "other pin" },
      );
      const updated = await sip.updateSipDispatchRuleFields(created.sipDispatchRuleId, { name: "renamed", metadata: "m" });
      assert.deepEqual([updated.name, updated.metadata, updated.trunkIds], ["renamed", "m", trunkIds]);
      await sip.deleteSipDispatchRule(created.sipDispatchRuleId);
      assert.deepEqual(await rejection(sip.deleteSipDispatchRule(created.sipDispatchRuleId)), {
        status: 404,
        code: "not_found",
        message: "requested sip dispatch rule does not exist",
      });
      assert.deepEqual(
        (await sip.listSipDispatchRule({ trunkIds })).map((r) => r.sipDispatchRuleId),
        [other.sipDispatchRuleId],
      );
      await sip.deleteSipDispatchRule(other.sipDispatchRuleId);
    });

    test("a SIP participant: created in its room (by the simulated worker), transferred away; each error", async () => {
      const trunk = await sip.createSipOutboundTrunk("calls", "sip.example.com", [phoneNumber()]);
      const room = roomName("call");
      const call = sip.createSipParticipant(trunk.sipTrunkId, "+15550009999", room, {
        participantIdentity: "caller",
        participantName: "Caller",
      });
      if (target.real) {
        assert.deepEqual(await rejection(call), noWorker);
      } else {
        const placed = await call;
        assert.deepEqual([placed.participantIdentity, placed.roomName], ["caller", room]);
        assert.match(placed.sipCallId, /^SCL_/);
        const [participant] = await rooms.listParticipants(room);
        assert.deepEqual(
          [participant?.sid, participant?.kind, participant?.name, participant?.attributes["sip.callID"]],
          [placed.participantId, 3, "Caller", placed.sipCallId],
          "a SIP participant (kind 3, SIP) with its call id",
        );
        await sip.transferSipParticipant(room, "caller", "tel:+15550001111");
        assert.deepEqual(await rooms.listParticipants(room), []);
        await rooms.deleteRoom(room);
      }
      assert.deepEqual(await rejection(sip.createSipParticipant("ST_missing12345", "+15550009999", room)), {
        status: 404,
        code: "not_found",
        message: "requested sip trunk does not exist",
      });
      assert.deepEqual(await rejection(sip.createSipParticipant(trunk.sipTrunkId, "user@example.com", room)), {
        status: 400,
        code: "invalid_argument",
        message: "SipCallTo should be a phone number or SIP user, not a full SIP URI",
      });
      assert.deepEqual(await rejection(sip.transferSipParticipant(room, "nobody", "tel:+15550001111")), {
        status: 404,
        code: "not_found",
        message: "twirp error unknown: participant does not exist",
      });
      await sip.deleteSipTrunk(trunk.sipTrunkId);
    });

    test("agent dispatches: create (which makes the room), list, get, delete, list, and each error", async () => {
      const room = roomName("dispatch");
      const created = await dispatch.createDispatch(room, "helper", { metadata: "job" });
      assert.match(created.id, /^AD_/);
      assert.deepEqual([created.room, created.agentName, created.metadata], [room, "helper", "job"]);
      assert.deepEqual(
        (await rooms.listRooms([room])).map((r) => r.name),
        [room],
      );
      const listed = await dispatch.listDispatch(room);
      assert.deepEqual(listed.map((d) => d.agentName).sort(), ["", "helper"], "a new room dispatches the unnamed agent too");
      assert.equal((await dispatch.getDispatch(created.id, room))?.agentName, "helper");
      assert.equal(await dispatch.getDispatch("AD_unknown12345", room), undefined);
      await dispatch.deleteDispatch(created.id, room);
      assert.deepEqual(await rejection(dispatch.deleteDispatch(created.id, room)), {
        status: 404,
        code: "not_found",
        message: "twirp error unknown: dispatch ID not found",
      });
      assert.deepEqual(
        (await dispatch.listDispatch(room)).map((d) => d.agentName),
        [""],
      );
      await rooms.deleteRoom(room);
      assert.deepEqual(
        await eventually(
          () => rooms.listRooms([room]),
          (left) => left.length === 0,
        ),
        [],
      );
      assert.deepEqual(await rejection(dispatch.listDispatch(room)), noWorker);
    });
  });
}
