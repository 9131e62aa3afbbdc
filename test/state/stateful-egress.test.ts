// Egress in the stateful mode over HTTP: each start kind recorded as the real server's egress
// worker would report it (starting, active with its participant in the room, ending, complete),
// listed by room, id and activity, its layout and streams updated, stopped; every error as the
// real server words it; the webhooks of its life; the limit of a world.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { ListEgressRequestSchema, RoomCompositeEgressRequestSchema, type ListEgressResponse } from "../../generated/livekit_egress_pb.js";
import { CreateRoomRequestSchema } from "../../generated/livekit_room_pb.js";
import { isStateError } from "../../src/state/state-error.js";
import { useServer } from "../support/server.js";
import { quietStore, testCause } from "./quiet-store.js";
import { worldClient } from "./world-client.js";
import type { MockControl } from "../../src/control/control-fields.js";
import { ownReceiver } from "../webhooks/receivers.js";

const lk = useServer();
let keys = 0;
const newKey = (): string => `egress-${process.pid}-${++keys}`;

const client = worldClient(() => lk.url(0));
const keyOf = (method: string): string =>
  method.endsWith("Egress") || ["UpdateLayout", "UpdateStream"].includes(method)
    ? `livekit.Egress/${method}`
    : `livekit.RoomService/${method}`;
const ok = (state: string, method: string, body: Record<string, unknown>, control?: MockControl) =>
  client.ok(state, keyOf(method), body, control);
const refused = (state: string, method: string, body: Record<string, unknown>, status: number, error: { code: string; msg: string }) =>
  client.refused(state, keyOf(method), body, status, error);

/** The egress as ListEgress shows it, once `ready` holds (the worker's steps take a moment). */
async function egressWhen(state: string, egressId: string, ready: (info: any) => boolean): Promise<any> {
  return (await client.until(state, keyOf("ListEgress"), { egressId }, (answer) => ready(answer.items[0]))).items[0];
}

const status = (info: any): string => info.status ?? "EGRESS_STARTING";
const file = { filepath: "recordings/{room_name}.mp4" };

describe("an egress's life in a world", () => {
  test("a room composite egress starts, is active with its recorder in the room, takes a layout, stops and completes", async () => {
    const state = newKey();
    const room = await ok(state, "CreateRoom", { name: "studio" });
    const started = await ok(state, "StartRoomCompositeEgress", {
      roomName: "studio",
      layout: "grid",
      fileOutputs: [{ filepath: "out/", s3: { accessKey: "AKIA", secret: "hush", bucket: "b" } }],
    });
    assert.match(started.egressId, /^EG_[0-9A-Za-z]{12}$/);
    assert.equal(started.roomId, room.sid);
    assert.equal(started.roomName, "studio");
    assert.equal(status(started), "EGRESS_STARTING");
    assert.equal(started.sourceType, undefined, "a room composite is a web source (the default)");
    assert.deepEqual(started.roomComposite.fileOutputs[0].s3, { accessKey: "{access_key}", secret: "{secret}", bucket: "b" });
    assert.match(started.fileResults[0].filename, /^out\/studio-\d{4}-\d\d-\d\dT\d{6}\.mp4$/);
    assert.deepEqual(started.file, started.fileResults[0], "one file output is also the deprecated result");

    const active = await egressWhen(state, started.egressId, (info) => status(info) === "EGRESS_ACTIVE");
    assert.equal(status(active), "EGRESS_ACTIVE");
    assert.ok(BigInt(active.startedAt) > 0n);
    assert.equal(active.fileResults[0].startedAt, active.startedAt);
    const [recorder] = (await ok(state, "ListParticipants", { room: "studio" })).participants;
    assert.equal(recorder.identity, started.egressId);
    assert.equal(recorder.kind, "EGRESS");
    assert.deepEqual(recorder.permission, { canSubscribe: true, hidden: true, recorder: true });
    const [listedRoom] = (await ok(state, "ListRooms", { names: ["studio"] })).rooms;
    assert.equal(listedRoom.activeRecording, true);
    assert.equal(listedRoom.numParticipants, undefined, "a hidden recorder is not counted");

    const laidOut = await ok(state, "UpdateLayout", { egressId: started.egressId, layout: "speaker<1>" });
    assert.equal(laidOut.roomComposite.layout, "grid", "the answer is the egress as it was recorded");
    const recorderNow = await ok(state, "GetParticipant", { room: "studio", identity: started.egressId });
    assert.equal(recorderNow.metadata, '{"layout":"speaker\\u003c1\\u003e"}');

    const stopping = await ok(state, "StopEgress", { egressId: started.egressId });
    assert.equal(stopping.status, "EGRESS_ENDING");
    assert.equal(stopping.details, "End reason: StopEgress API");
    const complete = await egressWhen(state, started.egressId, (info) => status(info) === "EGRESS_COMPLETE");
    assert.equal(status(complete), "EGRESS_COMPLETE");
    assert.ok(BigInt(complete.endedAt) >= BigInt(complete.startedAt));
    const [result] = complete.fileResults;
    assert.equal(result.location, result.filename);
    assert.equal(BigInt(result.duration), BigInt(result.endedAt) - BigInt(result.startedAt));
    assert.deepEqual((await ok(state, "ListParticipants", { room: "studio" })).participants ?? [], []);
    assert.equal((await ok(state, "ListRooms", { names: ["studio"] })).rooms[0].activeRecording, undefined);

    await refused(state, "StopEgress", { egressId: started.egressId }, 412, {
      code: "failed_precondition",
      msg: "egress with status EGRESS_COMPLETE cannot be stopped",
    });
    await refused(state, "UpdateStream", { egressId: started.egressId, addOutputUrls: ["rtmp://x/app/key"] }, 412, {
      code: "failed_precondition",
      msg: "egress with status EGRESS_COMPLETE cannot be updated",
    });
    await refused(state, "UpdateLayout", { egressId: started.egressId, layout: "grid" }, 404, {
      code: "not_found",
      msg: "twirp error unknown: participant does not exist",
    });
  });

  test("each start kind records its request, room, source type and results", async () => {
    const state = newKey();
    await ok(state, "CreateRoom", { name: "kinds" });
    const web = await ok(state, "StartWebEgress", {
      url: "https://example.com/page",
      streamOutputs: [{ urls: ["rtmp://live.example.com/app/secretkey"] }],
    });
    assert.equal(web.roomId, undefined);
    assert.equal(web.roomName, undefined);
    assert.equal(web.web.streamOutputs[0].urls[0], "rtmp://live.example.com/app/{sec...key}");
    assert.deepEqual(web.streamResults, [{ url: "rtmp://live.example.com/app/{sec...key}" }]);
    assert.deepEqual(web.stream, { info: web.streamResults });

    const participant = await ok(state, "StartParticipantEgress", { roomName: "kinds", identity: "alice", fileOutputs: [{}] });
    assert.equal(participant.sourceType, "EGRESS_SOURCE_TYPE_SDK");
    assert.match(participant.fileResults[0].filename, /^kinds-alice-\d{4}-\d\d-\d\dT\d{6}\.mp4$/);

    const composite = await ok(state, "StartTrackCompositeEgress", {
      roomName: "kinds",
      audioTrackId: "TR_audio",
      segmentOutputs: [{ filenamePrefix: "hls/{room_name}" }],
    });
    assert.equal(composite.sourceType, "EGRESS_SOURCE_TYPE_SDK");
    assert.deepEqual(composite.segmentResults, [{ playlistName: "hls/kinds.m3u8" }]);
    assert.deepEqual(composite.segments, composite.segmentResults[0]);

    const track = await ok(state, "StartTrackEgress", {
      roomName: "kinds",
      trackId: "TR_video",
      websocketUrl: "wss://sink.example.com/ws",
    });
    assert.equal(track.track.trackId, "TR_video");
    assert.deepEqual(track.streamResults, [{ url: "wss://sink.example.com/ws" }]);

    const v2 = await ok(state, "StartEgress", {
      roomName: "kinds",
      template: { layout: "speaker" },
      outputs: [{ file: { filepath: "v2.mp4" } }, { images: { captureInterval: 5 } }],
    });
    assert.equal(v2.egress.template.layout, "speaker");
    assert.equal(v2.fileResults[0].filename, "v2.mp4");
    assert.match(v2.imageResults[0].filenamePrefix, /^kinds-\d{4}/);
    assert.equal(v2.file, undefined, "two kinds of output: no deprecated result");

    const all = (await ok(state, "ListEgress", {})).items.map((info: any) => info.egressId);
    assert.deepEqual(all, [web.egressId, participant.egressId, composite.egressId, track.egressId, v2.egressId]);
    const inRoom = (await ok(state, "ListEgress", { roomName: "kinds" })).items.map((info: any) => info.egressId);
    assert.deepEqual(inRoom, [participant.egressId, composite.egressId, track.egressId, v2.egressId]);
    // Every egress that records a room joins it; the web page does not.
    await egressWhen(state, v2.egressId, (info) => status(info) === "EGRESS_ACTIVE");
    const identities = (await ok(state, "ListParticipants", { room: "kinds" })).participants.map((p: any) => p.identity);
    assert.deepEqual(identities.sort(), [participant.egressId, composite.egressId, track.egressId, v2.egressId].sort());
  });

  test("a stop before the egress is active aborts it; only ended ones leave the active list", async () => {
    const state = newKey();
    await ok(state, "CreateRoom", { name: "quick" });
    const first = await ok(state, "StartRoomCompositeEgress", { roomName: "quick", fileOutputs: [file] });
    const second = await ok(state, "StartRoomCompositeEgress", { roomName: "quick", fileOutputs: [file] });
    const aborted = await ok(state, "StopEgress", { egressId: first.egressId });
    assert.equal(aborted.status, "EGRESS_ABORTED");
    assert.equal(aborted.error, "Stop called before pipeline could start");
    assert.equal(aborted.errorCode, 412);
    assert.ok(BigInt(aborted.endedAt) > 0n);
    const active = (await ok(state, "ListEgress", { roomName: "quick", active: true })).items.map((info: any) => info.egressId);
    assert.deepEqual(active, [second.egressId]);
    // An egress id names that egress alone, whatever the other filters say.
    const byId = (await ok(state, "ListEgress", { egressId: first.egressId, roomName: "other", active: true })).items;
    assert.deepEqual(
      byId.map((info: any) => info.status),
      ["EGRESS_ABORTED"],
    );
  });

  test("stream URLs are added and removed; removing the last stream of a stream-only egress ends it", async () => {
    const state = newKey();
    await ok(state, "CreateRoom", { name: "live" });
    const started = await ok(state, "StartRoomCompositeEgress", {
      roomName: "live",
      streamOutputs: [{ urls: ["rtmp://a.example.com/app/key-one"] }],
    });
    await egressWhen(state, started.egressId, (info) => status(info) === "EGRESS_ACTIVE");
    const both = await ok(state, "UpdateStream", { egressId: started.egressId, addOutputUrls: ["rtmp://b.example.com/app/key-two"] });
    assert.deepEqual(
      both.streamResults.map((s: any) => [s.url, s.status ?? "ACTIVE"]),
      [
        // protocol utils.RedactIdentifier: as many characters each side as a third of the key allows, up to 3.
        ["rtmp://a.example.com/app/{ke...ne}", "ACTIVE"],
        ["rtmp://b.example.com/app/{ke...wo}", "ACTIVE"],
      ],
    );
    await refused(state, "UpdateStream", { egressId: started.egressId, removeOutputUrls: ["rtmp://c.example.com/app/nope"] }, 404, {
      code: "not_found",
      msg: "twirp error unknown: stream rtmp://c.example.com/app/{n...e} not found",
    });
    const one = await ok(state, "UpdateStream", { egressId: started.egressId, removeOutputUrls: ["rtmp://a.example.com/app/key-one"] });
    assert.equal(one.streamResults[0].status, "FINISHED");
    assert.ok(BigInt(one.streamResults[0].duration) >= 0n);
    assert.equal(status(one), "EGRESS_ACTIVE");
    const none = await ok(state, "UpdateStream", { egressId: started.egressId, removeOutputUrls: ["rtmp://b.example.com/app/key-two"] });
    assert.equal(none.status, "EGRESS_ENDING");
    assert.equal(none.details, "End reason: All streams stopped");
    assert.equal(status(await egressWhen(state, started.egressId, (info) => status(info) === "EGRESS_COMPLETE")), "EGRESS_COMPLETE");
  });

  test("a deleted room ends its egress (source closed); a room with only an egress closes at its empty timeout", async () => {
    const state = newKey();
    await ok(state, "CreateRoom", { name: "doomed" });
    const recorded = await ok(state, "StartRoomCompositeEgress", { roomName: "doomed", fileOutputs: [file] });
    await egressWhen(state, recorded.egressId, (info) => status(info) === "EGRESS_ACTIVE");
    await ok(state, "DeleteRoom", { room: "doomed" });
    const ended = await egressWhen(state, recorded.egressId, (info) => status(info) === "EGRESS_COMPLETE");
    assert.equal(ended.details, "End reason: Source closed");

    await ok(state, "CreateRoom", { name: "brief", emptyTimeout: 1 });
    const lonely = await ok(state, "StartRoomCompositeEgress", { roomName: "brief", fileOutputs: [file] });
    const closed = await egressWhen(state, lonely.egressId, (info) => status(info) === "EGRESS_COMPLETE");
    assert.equal(closed.details, "End reason: Source closed");
    assert.deepEqual((await ok(state, "ListRooms", {})).rooms ?? [], []);
  });
});

describe("what egress refuses, as the real server and its worker word it", () => {
  test("a missing room or egress, and a request a worker cannot record, change nothing", async () => {
    const state = newKey();
    const missingRoom = { code: "not_found", msg: "twirp error unknown: requested room does not exist" };
    await refused(state, "StartRoomCompositeEgress", { roomName: "nowhere", fileOutputs: [file] }, 404, missingRoom);
    await refused(state, "StartParticipantEgress", { roomName: "nowhere", identity: "a" }, 404, missingRoom);
    await refused(state, "StartTrackCompositeEgress", { roomName: "nowhere" }, 404, missingRoom);
    await refused(state, "StartTrackEgress", { roomName: "nowhere", trackId: "TR_x" }, 404, missingRoom);
    await refused(state, "StartEgress", { roomName: "nowhere" }, 404, missingRoom);
    const missing = { code: "not_found", msg: "twirp error unknown: egress does not exist" };
    await refused(state, "ListEgress", { egressId: "EG_missing" }, 404, missing);
    await refused(state, "StopEgress", { egressId: "EG_missing" }, 404, missing);
    await refused(state, "UpdateLayout", { egressId: "EG_missing", layout: "grid" }, 404, missing);
    await refused(state, "UpdateStream", { egressId: "EG_missing" }, 404, missing);

    await ok(state, "CreateRoom", { name: "here" });
    const field = (name: string) => ({
      code: "invalid_argument",
      msg: `twirp error unknown: request has missing or invalid field: ${name}`,
    });
    await refused(state, "StartRoomCompositeEgress", { roomName: "" }, 400, field("room_name"));
    await refused(state, "StartRoomCompositeEgress", { roomName: "here" }, 400, field("output"));
    await refused(state, "StartRoomCompositeEgress", { roomName: "here", fileOutputs: [file, file] }, 400, field("multiple file outputs"));
    await refused(state, "StartWebEgress", { fileOutputs: [file] }, 400, field("url"));
    await refused(state, "StartParticipantEgress", { roomName: "here", fileOutputs: [file] }, 400, field("identity"));
    await refused(state, "StartTrackCompositeEgress", { roomName: "here", fileOutputs: [file] }, 400, field("track_id"));
    await refused(state, "StartTrackEgress", { roomName: "here", trackId: "TR_x" }, 400, field("output"));
    await refused(state, "StartEgress", { roomName: "here", outputs: [{ file: {} }] }, 400, field("source"));
    assert.deepEqual(await ok(state, "ListEgress", {}), {});

    const filed = await ok(state, "StartRoomCompositeEgress", { roomName: "here", fileOutputs: [file] });
    await refused(state, "UpdateStream", { egressId: filed.egressId, addOutputUrls: ["rtmp://x/app/k"] }, 400, {
      code: "invalid_argument",
      msg: "twirp error unknown: UpdateStream called on non-streaming egress",
    });
    await refused(state, "UpdateLayout", { egressId: filed.egressId, layout: "grid" }, 404, {
      code: "not_found",
      msg: "twirp error unknown: participant does not exist",
    });
  });
});

describe("the webhooks of an egress", () => {
  test("started, updated (active), updated (ending), ended, with the minimal room; its participant joins and leaves", async (t) => {
    const receiver = await ownReceiver(t);
    const state = newKey();
    const webhooks = { url: receiver.url, apiKey: "devkey" };
    const room = await ok(state, "CreateRoom", { name: "hooked" }, { webhooks });
    const started = await ok(state, "StartRoomCompositeEgress", { roomName: "hooked", fileOutputs: [file] });
    await egressWhen(state, started.egressId, (info) => status(info) === "EGRESS_ACTIVE");
    await ok(state, "StopEgress", { egressId: started.egressId });
    await egressWhen(state, started.egressId, (info) => status(info) === "EGRESS_COMPLETE");
    const deliveries = await receiver.waitFor(7);
    assert.ok(deliveries.every((d) => d.verified));
    const events = deliveries.map((d) => d.event!);
    const egressEvents = events.filter((e) => e["egressInfo"] !== undefined);
    assert.deepEqual(
      egressEvents.map((e) => [e["event"], e["egressInfo"]["status"] ?? "EGRESS_STARTING"]),
      [
        ["egress_started", "EGRESS_STARTING"],
        ["egress_updated", "EGRESS_ACTIVE"],
        ["egress_updated", "EGRESS_ENDING"],
        ["egress_ended", "EGRESS_COMPLETE"],
      ],
    );
    for (const e of egressEvents) assert.deepEqual(e["room"], { sid: room.sid, name: "hooked" });
    const recorder = events.filter((e) => e["participant"]?.["identity"] === started.egressId).map((e) => e["event"]);
    assert.deepEqual(recorder, ["participant_joined", "participant_left"]);
  });
});

describe("the egress limit of a world", () => {
  test("a start beyond the limit is refused with resource_exhausted and the egresses it had are kept", async () => {
    const s = quietStore({ egressPerWorld: 2 });
    const cause = testCause;
    await s.answer("k", "livekit.RoomService/CreateRoom", create(CreateRoomRequestSchema, { name: "r" }), cause);
    const start = create(RoomCompositeEgressRequestSchema, { roomName: "r", fileOutputs: [{ filepath: "x.mp4" }] });
    await s.answer("k", "livekit.Egress/StartRoomCompositeEgress", start, cause);
    await s.answer("k", "livekit.Egress/StartRoomCompositeEgress", start, cause);
    await assert.rejects(
      s.answer("k", "livekit.Egress/StartRoomCompositeEgress", start, cause),
      (err) => isStateError(err) && err.code === "resource_exhausted" && /holds 2 egresses/.test(err.message),
    );
    const listed = (await s.answer("k", "livekit.Egress/ListEgress", create(ListEgressRequestSchema), cause)) as ListEgressResponse;
    assert.equal(listed.items.length, 2);
    s.close();
  });
});
