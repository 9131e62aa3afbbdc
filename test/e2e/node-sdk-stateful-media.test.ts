// The published Node server SDK's EgressClient and IngressClient against a server started with
// --stateful, as a suite that cannot send headers uses it: start → list → update → stop → list for
// egress, create → list → update → delete → list for ingress, and each error the real server gives.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  EgressClient,
  EgressStatus,
  EncodedFileOutput,
  IngressClient,
  IngressInput,
  RoomServiceClient,
  StreamOutput,
  StreamProtocol,
  TwirpError,
} from "livekit-server-sdk";
import { useServer } from "../support/server.js";
import { testApiKey, testSecret } from "../support/tokens.js";

const lk = useServer({ stateful: "node-sdk-media" });
const rooms = () => new RoomServiceClient(lk.url(), testApiKey, testSecret);
const egress = () => new EgressClient(lk.url(), testApiKey, testSecret);
const ingress = () => new IngressClient(lk.url(), testApiKey, testSecret);

/** Asserts the SDK's TwirpError: status, code and the real server's message. */
function twirpError(status: number, code: string, message: string) {
  return (err: unknown): boolean => {
    assert.ok(err instanceof TwirpError, String(err));
    assert.deepEqual([err.status, err.code, err.message], [status, code, message]);
    return true;
  };
}

/** listEgress of one id until `status` (the simulated worker's steps take a moment). */
async function egressReaches(egressId: string, status: EgressStatus) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [info] = await egress().listEgress({ egressId });
    if (info!.status === status || Date.now() > deadline) return info!;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe("EgressClient against a stateful server", () => {
  test("start, list, update the layout and the streams, stop, list", async () => {
    await rooms().createRoom({ name: "node-egress" });
    const stream = new StreamOutput({ protocol: StreamProtocol.RTMP, urls: ["rtmp://live.example.com/app/first-key"] });
    const started = await egress().startRoomCompositeEgress(
      "node-egress",
      { file: new EncodedFileOutput({ filepath: "node/{room_name}.mp4" }), stream },
      { layout: "grid" },
    );
    assert.match(started.egressId, /^EG_/);
    assert.equal(started.status, EgressStatus.EGRESS_STARTING);
    assert.equal(started.fileResults[0]!.filename, "node/node-egress.mp4");
    assert.deepEqual(
      (await egress().listEgress({ roomName: "node-egress" })).map((info) => info.egressId),
      [started.egressId],
    );

    const active = await egressReaches(started.egressId, EgressStatus.EGRESS_ACTIVE);
    assert.equal(active.status, EgressStatus.EGRESS_ACTIVE);
    await egress().updateLayout(started.egressId, "speaker");
    const recorder = await rooms().getParticipant("node-egress", started.egressId);
    assert.equal(recorder.metadata, '{"layout":"speaker"}');
    const updated = await egress().updateStream(
      started.egressId,
      ["rtmp://live.example.com/app/second-key"],
      ["rtmp://live.example.com/app/first-key"],
    );
    assert.deepEqual(
      updated.streamResults.map((s) => s.url),
      ["rtmp://live.example.com/app/{fir...key}", "rtmp://live.example.com/app/{sec...key}"],
    );

    const stopped = await egress().stopEgress(started.egressId);
    assert.equal(stopped.status, EgressStatus.EGRESS_ENDING);
    const complete = await egressReaches(started.egressId, EgressStatus.EGRESS_COMPLETE);
    assert.equal(complete.status, EgressStatus.EGRESS_COMPLETE);
    assert.equal(complete.fileResults[0]!.location, "node/node-egress.mp4");
    assert.deepEqual(await egress().listEgress({ roomName: "node-egress", active: true }), []);
  });

  test("each error is the real server's", async () => {
    await assert.rejects(
      egress().startRoomCompositeEgress("node-nowhere", { file: new EncodedFileOutput({ filepath: "x.mp4" }) }),
      twirpError(404, "not_found", "twirp error unknown: requested room does not exist"),
    );
    const missing = twirpError(404, "not_found", "twirp error unknown: egress does not exist");
    await assert.rejects(egress().listEgress({ egressId: "EG_missing" }), missing);
    await assert.rejects(egress().updateLayout("EG_missing", "grid"), missing);
    await assert.rejects(egress().updateStream("EG_missing", ["rtmp://x/app/k"]), missing);
    await assert.rejects(egress().stopEgress("EG_missing"), missing);

    await rooms().createRoom({ name: "node-egress-errors" });
    const web = await egress().startWebEgress("https://example.com/page", { file: new EncodedFileOutput({ filepath: "page.mp4" }) });
    await assert.rejects(
      egress().updateStream(web.egressId, ["rtmp://x/app/k"]),
      twirpError(400, "invalid_argument", "twirp error unknown: UpdateStream called on non-streaming egress"),
    );
    const aborted = await egress().stopEgress(web.egressId);
    assert.equal(aborted.status, EgressStatus.EGRESS_ABORTED);
    await assert.rejects(
      egress().stopEgress(web.egressId),
      twirpError(412, "failed_precondition", "egress with status EGRESS_ABORTED cannot be stopped"),
    );
  });
});

describe("IngressClient against a stateful server", () => {
  test("create, list, update, delete, list", async () => {
    const created = await ingress().createIngress(IngressInput.RTMP_INPUT, {
      name: "node-cam",
      roomName: "node-ingress",
      participantIdentity: "cam",
    });
    assert.match(created.ingressId, /^IN_/);
    assert.match(created.streamKey, /^[0-9A-Za-z]{12}$/);
    // IngressState.Status ENDPOINT_INACTIVE (the SDK does not export the enum).
    assert.equal(created.state?.status, 0);
    assert.deepEqual(
      (await ingress().listIngress({ roomName: "node-ingress" })).map((i) => i.name),
      ["node-cam"],
    );

    const updated = await ingress().updateIngress(created.ingressId, { name: "node-cam-2", roomName: "node-ingress-2" });
    assert.equal(updated.name, "node-cam-2");
    assert.deepEqual(await ingress().listIngress({ roomName: "node-ingress" }), []);
    assert.deepEqual(
      (await ingress().listIngress({ ingressId: created.ingressId })).map((i) => i.roomName),
      ["node-ingress-2"],
    );

    const deleted = await ingress().deleteIngress(created.ingressId);
    assert.equal(deleted.ingressId, created.ingressId);
    assert.deepEqual(await ingress().listIngress({ roomName: "node-ingress-2" }), []);
  });

  test("each error is the real server's", async () => {
    const missing = twirpError(404, "not_found", "twirp error unknown: ingress does not exist");
    await assert.rejects(ingress().deleteIngress("IN_missing"), missing);
    await assert.rejects(ingress().updateIngress("IN_missing", { name: "x" }), missing);
    await assert.rejects(ingress().listIngress({ ingressId: "IN_missing" }), missing);
    await assert.rejects(
      ingress().createIngress(IngressInput.URL_INPUT, { roomName: "node-ingress", participantIdentity: "pull", url: "ftp://x/y" }),
      twirpError(400, "invalid_argument", "twirp error unknown: invalid ingress: invalid url scheme ftp"),
    );
    await assert.rejects(
      ingress().createIngress(IngressInput.RTMP_INPUT, { roomName: "node-ingress", participantIdentity: "cam", enableTranscoding: false }),
      twirpError(
        400,
        "invalid_argument",
        "twirp error unknown: invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type",
      ),
    );
    const pulled = await ingress().createIngress(IngressInput.URL_INPUT, {
      roomName: "node-ingress",
      participantIdentity: "pull",
      url: "https://example.com/feed.m3u8",
    });
    await assert.rejects(
      ingress().updateIngress(pulled.ingressId, { name: "x" }),
      twirpError(400, "invalid_argument", "twirp error unknown: ingress is not reusable and cannot be modified"),
    );
    await ingress().deleteIngress(pulled.ingressId);
    await assert.rejects(ingress().deleteIngress(pulled.ingressId), missing);
  });
});
