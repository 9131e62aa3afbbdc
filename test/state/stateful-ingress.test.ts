// Ingress in the stateful mode over HTTP: RTMP and WHIP ingresses stored as the real dev server
// stores them (a stream key, no URL, inactive), listed by room and id, updated, deleted; URL
// ingresses pulled by the simulated worker (publishing into their room); every refusal as the real
// server words it; no webhook but a pull's start and end; the limit of a world.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { CreateIngressRequestSchema, ListIngressRequestSchema, type ListIngressResponse } from "../../generated/livekit_ingress_pb.js";
import { isStateError } from "../../src/state/state-error.js";
import { useServer } from "../support/server.js";
import { quietStore, testCause } from "./quiet-store.js";
import { worldClient } from "./world-client.js";
import type { MockControl } from "../../src/control/control-fields.js";
import { ownReceiver } from "../webhooks/receivers.js";

const lk = useServer();
let keys = 0;
const newKey = (): string => `ingress-${process.pid}-${++keys}`;

const client = worldClient(() => lk.url(0));
const keyOf = (method: string): string =>
  method === "ListParticipants" ? "livekit.RoomService/ListParticipants" : `livekit.Ingress/${method}`;
const ok = (state: string, method: string, body: Record<string, unknown>, control?: MockControl) =>
  client.ok(state, keyOf(method), body, control);
const refused = (state: string, method: string, body: Record<string, unknown>, status: number, msg: string, code = "invalid_argument") =>
  client.refused(state, keyOf(method), body, status, { code, msg: `twirp error unknown: ${msg}` });

async function names(state: string, body: Record<string, unknown> = {}): Promise<string[]> {
  return ((await ok(state, "ListIngress", body)).items ?? []).map((info: any) => info.name);
}

/** The ingress as ListIngress shows it, once `ready` holds (the simulated pull takes a moment). */
async function ingressWhen(state: string, ingressId: string, ready: (info: any) => boolean): Promise<any> {
  return (await client.until(state, keyOf("ListIngress"), { ingressId }, (answer) => ready(answer.items[0]))).items[0];
}

describe("RTMP and WHIP ingresses in a world", () => {
  test("create, list by room and id, update, delete, and deleting twice is ingress does not exist", async () => {
    const state = newKey();
    const rtmp = await ok(state, "CreateIngress", {
      inputType: "RTMP_INPUT",
      name: "cam",
      roomName: "stage",
      participantIdentity: "cam-1",
      url: "rtmp://ignored.example.com/x",
    });
    assert.match(rtmp.ingressId, /^IN_[0-9A-Za-z]{12}$/);
    assert.match(rtmp.streamKey, /^[0-9A-Za-z]{12}$/);
    assert.equal(rtmp.url, undefined, "the dev server has no RTMP base URL");
    assert.equal(rtmp.reusable, true);
    assert.equal(rtmp.enableTranscoding, true);
    assert.equal(rtmp.bypassTranscoding, undefined);
    assert.deepEqual(rtmp.state, {}, "inactive, never started");
    const whip = await ok(state, "CreateIngress", {
      inputType: "WHIP_INPUT",
      name: "browser",
      roomName: "stage",
      participantIdentity: "web",
    });
    assert.equal(whip.inputType, "WHIP_INPUT");
    assert.equal(whip.enableTranscoding, false);
    assert.equal(whip.bypassTranscoding, true);
    await ok(state, "CreateIngress", { inputType: "RTMP_INPUT", name: "roomless", participantIdentity: "p" });

    assert.deepEqual(await names(state), ["cam", "browser", "roomless"]);
    assert.deepEqual(await names(state, { roomName: "stage" }), ["cam", "browser"]);
    assert.deepEqual(await names(state, { roomName: "elsewhere" }), []);
    assert.deepEqual(await names(state, { ingressId: whip.ingressId, roomName: "elsewhere" }), ["browser"]);

    const moved = await ok(state, "UpdateIngress", { ingressId: rtmp.ingressId, roomName: "backstage", name: "cam-2", enabled: false });
    assert.equal(moved.name, "cam-2");
    assert.equal(moved.enabled, false);
    assert.equal(moved.streamKey, rtmp.streamKey);
    assert.equal(moved.participantIdentity, "cam-1", "what the update leaves empty is kept");
    assert.deepEqual(await names(state, { roomName: "stage" }), ["browser"]);
    assert.deepEqual(await names(state, { roomName: "backstage" }), ["cam-2"]);

    const deleted = await ok(state, "DeleteIngress", { ingressId: whip.ingressId });
    assert.equal(deleted.name, "browser");
    assert.deepEqual(deleted.state, {});
    for (const method of ["DeleteIngress", "UpdateIngress", "ListIngress"]) {
      await refused(state, method, { ingressId: whip.ingressId }, 404, "ingress does not exist", "not_found");
    }
    assert.deepEqual(await names(state), ["cam-2", "roomless"]);
  });

  test("every refusal of a create or an update is the real server's, and a refused update changes nothing", async () => {
    const state = newKey();
    const identity = { roomName: "r", participantIdentity: "p" };
    await refused(state, "CreateIngress", { inputType: 7, ...identity }, 400, "invalid ingress type");
    await refused(state, "CreateIngress", { inputType: "RTMP_INPUT", roomName: "r" }, 400, "invalid ingress: no participant identity");
    await refused(
      state,
      "CreateIngress",
      { inputType: "RTMP_INPUT", ...identity, enableTranscoding: false },
      400,
      "invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type",
    );
    await refused(
      state,
      "CreateIngress",
      { inputType: "WHIP_INPUT", ...identity, video: { preset: "H264_720P_30FPS_3_LAYERS" } },
      400,
      "invalid transcoding bypass configuration: video encoding options must be empty if transcoding is disabled",
    );
    const url = (u: Record<string, unknown>) => ({ inputType: "URL_INPUT", ...identity, ...u });
    await refused(state, "CreateIngress", url({}), 400, "invalid ingress: missing URL parameter");
    await refused(state, "CreateIngress", url({ url: "ftp://x/y" }), 400, "invalid ingress: invalid url scheme ftp");
    await refused(state, "CreateIngress", url({ url: "://x/y" }), 400, 'parse "://x/y": missing protocol scheme');
    await refused(state, "CreateIngress", url({ url: "a b:c/d" }), 400, 'parse "a b:c/d": first path segment in URL cannot contain colon');
    await refused(
      state,
      "CreateIngress",
      url({ url: "http://x/\u0001" }),
      400,
      'parse "http://x/\\x01": net/url: invalid control character in URL',
    );
    await refused(state, "CreateIngress", url({ url: "http://x/y", roomName: "" }), 400, "invalid ingress: no room name");
    await refused(
      state,
      "CreateIngress",
      url({ url: "http://x/y", enabled: false }),
      400,
      "invalid ingress: disabled non reusable ingress",
    );
    assert.deepEqual(await names(state), []);

    const cam = await ok(state, "CreateIngress", { inputType: "RTMP_INPUT", name: "cam", ...identity });
    const update = (change: Record<string, unknown>) => ({ ingressId: cam.ingressId, name: "changed", ...change });
    await refused(
      state,
      "UpdateIngress",
      update({ enableTranscoding: false }),
      400,
      "invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type",
    );
    await refused(
      state,
      "UpdateIngress",
      update({ video: { source: "MICROPHONE" } }),
      400,
      "invalid video parameters: invalid track source",
    );
    await refused(
      state,
      "UpdateIngress",
      update({ audio: { options: { audioCodec: "AAC" } } }),
      400,
      "invalid audio parameters: audio codec unsupported",
    );
    await refused(
      state,
      "UpdateIngress",
      update({ video: { options: { layers: [{ quality: "HIGH", width: 1281, height: 720 }] } } }),
      400,
      "invalid ingress: layer width must be even",
    );
    await refused(
      state,
      "UpdateIngress",
      update({ video: { options: { layers: [{ quality: "HIGH", width: 0, height: 720 }] } } }),
      400,
      "invalid video parameters: invalid output media dimensions",
    );
    await refused(
      state,
      "UpdateIngress",
      update({
        video: {
          options: {
            layers: [
              { quality: "LOW", width: 1280, height: 720 },
              { quality: "HIGH", width: 640, height: 360 },
            ],
          },
        },
      }),
      400,
      "invalid video parameters: video layers do not have increasing height with increasing quality",
    );
    assert.deepEqual(await names(state), ["cam"]);
    // bypass_transcoding is not read by an update.
    assert.equal((await ok(state, "UpdateIngress", { ingressId: cam.ingressId, bypassTranscoding: true })).bypassTranscoding, undefined);
  });
});

describe("a URL ingress, pulled by the simulated worker", () => {
  test("it buffers, publishes into its room as its participant (ingress_started), cannot be updated, and ends when deleted", async (t) => {
    const receiver = await ownReceiver(t);
    const state = newKey();
    const webhooks = { url: receiver.url, apiKey: "devkey" };
    // RTMP and WHIP ingresses send nothing: the real server tells analytics only.
    const quiet = await ok(state, "CreateIngress", { inputType: "RTMP_INPUT", name: "quiet", participantIdentity: "q" }, { webhooks });
    await ok(state, "UpdateIngress", { ingressId: quiet.ingressId, name: "still quiet" });
    await ok(state, "DeleteIngress", { ingressId: quiet.ingressId });

    const pulled = await ok(state, "CreateIngress", {
      inputType: "URL_INPUT",
      name: "feed",
      url: "HTTPS://media.example.com/feed.m3u8",
      roomName: "screening",
      participantIdentity: "feed",
      participantName: "Feed",
    });
    assert.equal(pulled.url, "https://media.example.com/feed.m3u8");
    assert.equal(pulled.streamKey, undefined);
    assert.equal(pulled.reusable, undefined);
    assert.equal(pulled.state.status, "ENDPOINT_BUFFERING");
    assert.match(pulled.state.resourceId, /^UR_/);
    const publishing = await ingressWhen(state, pulled.ingressId, (info) => info.state.status === "ENDPOINT_PUBLISHING");
    assert.equal(publishing.state.status, "ENDPOINT_PUBLISHING");
    assert.match(publishing.state.roomId, /^RM_/);
    const [participant] = (await ok(state, "ListParticipants", { room: "screening" })).participants;
    assert.deepEqual([participant.identity, participant.name, participant.kind], ["feed", "Feed", "INGRESS"]);

    await refused(
      state,
      "UpdateIngress",
      { ingressId: pulled.ingressId, name: "x" },
      400,
      "ingress is not reusable and cannot be modified",
    );
    const deleted = await ok(state, "DeleteIngress", { ingressId: pulled.ingressId });
    assert.equal(deleted.state.status, undefined, "answered inactive");
    assert.deepEqual((await ok(state, "ListParticipants", { room: "screening" })).participants ?? [], []);

    const deliveries = await receiver.waitFor(5);
    const events = deliveries.map((d) => d.event!);
    const ingressEvents = events.filter((e) => e["ingressInfo"] !== undefined);
    assert.deepEqual(
      ingressEvents.map((e) => [e["event"], e["ingressInfo"]["name"], e["ingressInfo"]["state"]["status"] ?? "ENDPOINT_INACTIVE"]),
      [
        ["ingress_started", "feed", "ENDPOINT_PUBLISHING"],
        ["ingress_ended", "feed", "ENDPOINT_INACTIVE"],
      ],
    );
    for (const e of ingressEvents) assert.deepEqual(e["room"], { name: "screening" });
    assert.deepEqual(
      events.filter((e) => e["participant"]?.["identity"] === "feed").map((e) => e["event"]),
      ["participant_joined", "participant_left"],
    );
    assert.deepEqual(
      events.filter((e) => e["room"]?.["name"] === "screening" && e["event"].startsWith("room_")).map((e) => e["event"]),
      ["room_started"],
      "the participant's join made the room",
    );
  });
});

describe("the ingress limit of a world", () => {
  test("a create beyond the limit is refused with resource_exhausted and the ingresses it had are kept", async () => {
    const s = quietStore({ ingressPerWorld: 1 });
    const cause = testCause;
    const rtmp = create(CreateIngressRequestSchema, { participantIdentity: "p" });
    await s.answer("k", "livekit.Ingress/CreateIngress", rtmp, cause);
    await assert.rejects(
      s.answer("k", "livekit.Ingress/CreateIngress", rtmp, cause),
      (err) => isStateError(err) && err.code === "resource_exhausted" && /holds 1 ingresses/.test(err.message),
    );
    const listed = (await s.answer("k", "livekit.Ingress/ListIngress", create(ListIngressRequestSchema), cause)) as ListIngressResponse;
    assert.equal(listed.items.length, 1);
    s.close();
  });
});
