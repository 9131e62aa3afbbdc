// The published Node server SDK's EgressClient and IngressClient against the stateful mode, as a
// test suite of an application would use them: no control header, devkey / secret, one
// server-wide world. Each test runs against ours (--stateful) and the real LiveKit server with the
// same expectations, except what needs an egress or ingress worker: the real server has none (it
// answers 503 after waiting for one), ours simulates one, so those tests are ours alone.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  EgressClient,
  EgressStatus,
  EncodedFileOutput,
  IngressClient,
  IngressInput,
  RoomServiceClient,
  StreamOutput,
  StreamProtocol,
} from "livekit-server-sdk";
import { testApiKey, testSecret } from "../support/tokens.js";
import { eventually, rejection, roomName as fresh, statefulTargets } from "./stateful-targets.js";

/** The TwirpError a call ends with, as the real server words it. */
const error = (status: number, code: string, message: string) => ({ status, code, message });

const noWorker = "the real LiveKit server has no egress or ingress worker";

for (const target of statefulTargets) {
  describe(`EgressClient and IngressClient in stateful mode against ${target.name}`, { timeout: 180_000 }, () => {
    let server: { url: string; close(): Promise<unknown> };
    let rooms: RoomServiceClient;
    let egress: EgressClient;
    let ingress: IngressClient;
    before(async () => {
      server = await target.start();
      rooms = new RoomServiceClient(server.url, testApiKey, testSecret);
      egress = new EgressClient(server.url, testApiKey, testSecret);
      ingress = new IngressClient(server.url, testApiKey, testSecret);
    });
    after(() => server.close());

    /** The egress, once it has `status` (the worker's steps take a moment). */
    async function egressReaches(egressId: string, status: EgressStatus) {
      const [info] = await eventually(
        () => egress.listEgress({ egressId }),
        ([listed]) => listed?.status === status,
      );
      return info!;
    }

    test("egress: start, list, update the layout and the streams, stop, list", { skip: target.real && noWorker }, async () => {
      const room = fresh("egress");
      await rooms.createRoom({ name: room });
      const stream = new StreamOutput({ protocol: StreamProtocol.RTMP, urls: ["rtmp://live.example.com/app/first-key"] });
      const started = await egress.startRoomCompositeEgress(
        room,
        { file: new EncodedFileOutput({ filepath: "node/{room_name}.mp4" }), stream },
        { layout: "grid" },
      );
      assert.match(started.egressId, /^EG_/);
      assert.equal(started.status, EgressStatus.EGRESS_STARTING);
      assert.equal(started.fileResults[0]!.filename, `node/${room}.mp4`);
      assert.deepEqual(
        (await egress.listEgress({ roomName: room })).map((info) => info.egressId),
        [started.egressId],
      );

      assert.equal((await egressReaches(started.egressId, EgressStatus.EGRESS_ACTIVE)).status, EgressStatus.EGRESS_ACTIVE);
      await egress.updateLayout(started.egressId, "speaker");
      assert.equal((await rooms.getParticipant(room, started.egressId)).metadata, '{"layout":"speaker"}');
      const updated = await egress.updateStream(
        started.egressId,
        ["rtmp://live.example.com/app/second-key"],
        ["rtmp://live.example.com/app/first-key"],
      );
      assert.deepEqual(
        updated.streamResults.map((s) => s.url),
        ["rtmp://live.example.com/app/{fir...key}", "rtmp://live.example.com/app/{sec...key}"],
      );

      assert.equal((await egress.stopEgress(started.egressId)).status, EgressStatus.EGRESS_ENDING);
      const complete = await egressReaches(started.egressId, EgressStatus.EGRESS_COMPLETE);
      assert.equal(complete.status, EgressStatus.EGRESS_COMPLETE);
      assert.equal(complete.fileResults[0]!.location, `node/${room}.mp4`);
      assert.deepEqual(await egress.listEgress({ roomName: room, active: true }), []);
      await rooms.deleteRoom(room);
    });

    test("egress: a missing egress or room, as the real server answers it", async () => {
      const room = fresh("egress-none");
      assert.deepEqual(await egress.listEgress({ roomName: room }), []);
      assert.deepEqual(
        await rejection(egress.startRoomCompositeEgress(room, { file: new EncodedFileOutput({ filepath: "x.mp4" }) })),
        error(404, "not_found", "twirp error unknown: requested room does not exist"),
      );
      const missing = error(404, "not_found", "twirp error unknown: egress does not exist");
      assert.deepEqual(await rejection(egress.listEgress({ egressId: "EG_missing" })), missing);
      assert.deepEqual(await rejection(egress.updateLayout("EG_missing", "grid")), missing);
      assert.deepEqual(await rejection(egress.updateStream("EG_missing", ["rtmp://x/app/k"])), missing);
      assert.deepEqual(await rejection(egress.stopEgress("EG_missing")), missing);
    });

    test("egress: what the worker refuses, and a stop before it is active", { skip: target.real && noWorker }, async () => {
      const web = await egress.startWebEgress("https://example.com/page", { file: new EncodedFileOutput({ filepath: "page.mp4" }) });
      assert.deepEqual(
        await rejection(egress.updateStream(web.egressId, ["rtmp://x/app/k"])),
        error(400, "invalid_argument", "twirp error unknown: UpdateStream called on non-streaming egress"),
      );
      assert.equal((await egress.stopEgress(web.egressId)).status, EgressStatus.EGRESS_ABORTED);
      assert.deepEqual(
        await rejection(egress.stopEgress(web.egressId)),
        error(412, "failed_precondition", "egress with status EGRESS_ABORTED cannot be stopped"),
      );
    });

    test("ingress: create, list, update, delete, list", async () => {
      const room = fresh("ingress");
      const moved = fresh("ingress-moved");
      const created = await ingress.createIngress(IngressInput.RTMP_INPUT, {
        name: "node-cam",
        roomName: room,
        participantIdentity: "cam",
      });
      assert.match(created.ingressId, /^IN_/);
      assert.match(created.streamKey, /^[0-9A-Za-z]{12}$/);
      // IngressState.Status ENDPOINT_INACTIVE (the SDK does not export the enum).
      assert.equal(created.state?.status, 0);
      assert.deepEqual(
        (await ingress.listIngress({ roomName: room })).map((i) => i.ingressId),
        [created.ingressId],
      );

      const updated = await ingress.updateIngress(created.ingressId, { name: "node-cam-2", roomName: moved });
      assert.deepEqual([updated.name, updated.streamKey], ["node-cam-2", created.streamKey]);
      assert.deepEqual(await ingress.listIngress({ roomName: room }), []);
      assert.deepEqual(
        (await ingress.listIngress({ ingressId: created.ingressId })).map((i) => i.roomName),
        [moved],
      );

      assert.equal((await ingress.deleteIngress(created.ingressId)).ingressId, created.ingressId);
      assert.deepEqual(await ingress.listIngress({ roomName: moved }), []);
    });

    test("ingress: each error, as the real server answers it", async () => {
      const room = fresh("ingress-errors");
      const created = await ingress.createIngress(IngressInput.WHIP_INPUT, { roomName: room, participantIdentity: "web" });
      await ingress.deleteIngress(created.ingressId);
      const missing = error(404, "not_found", "twirp error unknown: ingress does not exist");
      assert.deepEqual(await rejection(ingress.deleteIngress(created.ingressId)), missing);
      assert.deepEqual(await rejection(ingress.updateIngress(created.ingressId, { name: "x" })), missing);
      assert.deepEqual(await rejection(ingress.listIngress({ ingressId: created.ingressId })), missing);
      assert.deepEqual(
        await rejection(ingress.createIngress(IngressInput.URL_INPUT, { roomName: room, participantIdentity: "pull", url: "ftp://x/y" })),
        error(400, "invalid_argument", "twirp error unknown: invalid ingress: invalid url scheme ftp"),
      );
      assert.deepEqual(
        await rejection(
          ingress.createIngress(IngressInput.RTMP_INPUT, { roomName: room, participantIdentity: "cam", enableTranscoding: false }),
        ),
        error(
          400,
          "invalid_argument",
          "twirp error unknown: invalid transcoding bypass configuration: bypassing transcoding impossible with selected input type",
        ),
      );
      assert.deepEqual(await ingress.listIngress({ roomName: room }), []);
    });

    test("ingress: a pulled URL ingress cannot be updated", { skip: target.real && noWorker }, async () => {
      const pulled = await ingress.createIngress(IngressInput.URL_INPUT, {
        roomName: fresh("ingress-pull"),
        participantIdentity: "pull",
        url: "https://example.com/feed.m3u8",
      });
      assert.deepEqual(
        await rejection(ingress.updateIngress(pulled.ingressId, { name: "x" })),
        error(400, "invalid_argument", "twirp error unknown: ingress is not reusable and cannot be modified"),
      );
      await ingress.deleteIngress(pulled.ingressId);
    });
  });
}
