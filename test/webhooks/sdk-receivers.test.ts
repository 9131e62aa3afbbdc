// Every event, as the notifier sends it, is accepted by a handler built on each SDK's own
// verification (Node, Go, Python), which decodes the same event; a wrong secret, a wrong key or a
// body that is not the signed one is refused by each, so the signature is checked, not ignored.
// The Go and Python receivers also run the end-to-end cases the Node one runs in the unit tier:
// events after API calls, from a signal connection, from POST /_test/webhooks and from trigger.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { WebhookEventSchema } from "../../generated/livekit_webhook_pb.js";
import type { Logger } from "../../src/shared/log.js";
import { goProtojson } from "../../src/webhooks/go-protojson.js";
import { postWebhook } from "../../src/webhooks/post-webhook.js";
import { sampleEvent } from "../../src/webhooks/sample-events.js";
import { signWebhook } from "../../src/webhooks/sign-webhook.js";
import { toWebhookEvent } from "../../src/webhooks/event-shapes.js";
import { createWebhookNotifier } from "../../src/webhooks/webhook-notifier.js";
import { webhookEventNames } from "../../src/webhooks/webhook-events.js";
import { useServer } from "../support/server.js";
import { sdks, startReceiver, verifiedEvents, type Receiver } from "./receivers.js";
import { builtBin, rpcTableCase, signalJoinLeaveCase, testRouteCase, triggerCase } from "./wire-cases.js";

const silent: Logger = { requestsEnabled: false, request: () => {}, info: () => {}, error: () => {} };
const notifier = createWebhookNotifier({ apiSecret: "secret", allowHosts: [], log: silent });
const receivers: Receiver[] = [];
after(async () => {
  notifier.close();
  await Promise.all(receivers.map((r) => r.close()));
});

async function receiver(sdk: (typeof sdks)[number], apiKey = "devkey", apiSecret = "secret"): Promise<Receiver> {
  const started = await startReceiver(sdk, apiKey, apiSecret);
  receivers.push(started);
  return started;
}

for (const sdk of sdks) {
  describe(`the ${sdk} SDK's webhook receiver`, () => {
    test("accepts every event and decodes the event that was sent", async () => {
      const r = await receiver(sdk);
      const sent = await notifier.notify(
        notifier.destination({ url: r.url, apiKey: "devkey" }),
        webhookEventNames.map((name) => sampleEvent(name)),
        { region: "region-0" },
      );
      assert.deepEqual(
        sent.map((d) => d.status),
        webhookEventNames.map(() => 200),
      );
      const events = verifiedEvents(r, await r.waitFor(webhookEventNames.length, 20_000));
      const byId = new Map(events.map((e) => [e["id"] as string, e]));
      for (const delivery of sent) {
        const decoded = byId.get(delivery.id);
        assert.ok(decoded, `${delivery.event} ${delivery.id} was decoded`);
        assert.equal(decoded["event"], delivery.event);
      }
      const joined = events.find((e) => e["event"] === "participant_joined")!;
      assert.equal(joined["participant"]["identity"], "mock-participant");
      assert.equal(joined["room"]["name"], "mock-room");
      const egress = events.find((e) => e["event"] === "egress_ended")!;
      assert.equal(egress["egressInfo"]["egressId"], "EG_MOCK");
      assert.equal(egress["egressInfo"]["status"], "EGRESS_COMPLETE");
    });

    test("refuses events signed with another secret", async () => {
      const r = await receiver(sdk, "devkey", "not-the-secret");
      const sent = await notifier.notify(
        notifier.destination({ url: r.url, apiKey: "devkey" }),
        [sampleEvent("room_started"), sampleEvent("egress_started")],
        {
          region: "region-0",
        },
      );
      assert.deepEqual(
        sent.map((d) => d.status),
        [401, 401],
      );
      for (const delivery of await r.waitFor(2)) assert.equal(delivery.verified, false);
    });

    test("refuses events signed for an API key it does not know", async () => {
      const r = await receiver(sdk, "devkey", "secret");
      await notifier.notify(notifier.destination({ url: r.url, apiKey: "otherkey" }), [sampleEvent("room_started")], {
        region: "region-0",
      });
      const [delivery] = await r.waitFor(1);
      assert.equal(delivery!.verified, false);
    });

    test("refuses a body other than the one signed", async () => {
      const r = await receiver(sdk);
      const event = toWebhookEvent({ ...sampleEvent("room_started"), id: "EV_tampered" });
      const signed = await signWebhook(event, { apiKey: "devkey", apiSecret: "secret" });
      event.room!.name = "another-room";
      const result = await postWebhook(new URL(r.url), { ...signed, body: Buffer.from(goProtojson(WebhookEventSchema, event)) });
      assert.equal(result.status, 401);
      const [delivery] = await r.waitFor(1);
      assert.equal(delivery!.verified, false);
    });
  });
}

describe("the end-to-end webhook cases, with the Go and Python SDKs' receivers", () => {
  const server = useServer();
  before(() => assert.ok(existsSync(builtBin), `${builtBin} is missing: run npm run build first`));
  for (const sdk of ["go", "python"] as const) {
    test(`every RPC of the event table emits its events, each verified by the ${sdk} SDK's receiver`, async () => {
      await rpcTableCase(server.url(0), await receiver(sdk));
    });
    test(`a signal connection's join and leave reach the ${sdk} SDK's receiver`, async () => {
      await signalJoinLeaveCase(server.url(0), await receiver(sdk));
    });
    test(`POST /_test/webhooks reaches the ${sdk} SDK's receiver`, async () => {
      await testRouteCase(server.url(2), await receiver(sdk));
    });
    test(`the trigger command's events are accepted by the ${sdk} SDK's receiver`, async () => {
      await triggerCase(await receiver(sdk));
    });
  }
});
