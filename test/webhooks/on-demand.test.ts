// Events sent on demand: a sample per name, the caller's fields laid over it strictly, and the
// settings of POST /_test/webhooks.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { instant } from "../../src/webhooks/event-shapes.js";
import { parseOnDemandRequest } from "../../src/webhooks/on-demand-request.js";
import { onDemandEvent, sampleEvent, WebhookFieldsError } from "../../src/webhooks/sample-events.js";
import { UnknownWebhookEventError, webhookEventNames } from "../../src/webhooks/webhook-events.js";

describe("on-demand events", () => {
  test("each event name has a sample whose event is that name and whose resource is set", () => {
    for (const name of webhookEventNames) {
      const event = onDemandEvent(name, {});
      assert.equal(event.event, name);
      assert.equal(event.id, "", "the notifier gives it an id");
      const resource = name.startsWith("egress")
        ? event.egressInfo?.egressId
        : name.startsWith("ingress")
          ? event.ingressInfo?.ingressId
          : name.startsWith("agent_job")
            ? event.job?.id
            : name.startsWith("track")
              ? event.track?.sid
              : name.startsWith("participant")
                ? event.participant?.identity
                : event.room?.name;
      assert.ok(resource, `${name} carries its resource`);
    }
  });

  test("fields are laid over the sample: messages merge field by field, other values replace", () => {
    const event = onDemandEvent("participant_joined", {
      room: { name: "my-room" },
      participant: { identity: "bob", attributes: { role: "host" } },
      id: "EV_fixed",
      created_at: "42",
    });
    assert.equal(event.room?.name, "my-room");
    assert.equal(event.room?.sid, "RM_MOCK", "the sample's sid stays");
    assert.equal(event.participant?.identity, "bob");
    assert.equal(event.participant?.sid, "PA_MOCK");
    assert.deepEqual(event.participant?.attributes, { role: "host" });
    assert.equal(event.id, "EV_fixed");
    assert.equal(event.createdAt, 42n);
  });

  test("an unknown field is refused naming the closest, and `event` cannot be set as a field", () => {
    assert.throws(
      () => onDemandEvent("room_started", { rooom: {} }),
      (err: unknown) =>
        err instanceof WebhookFieldsError && /unknown WebhookEvent field "rooom" \(did you mean "room"\?\)/.test(err.message),
    );
    assert.throws(() => onDemandEvent("room_started", { event: "x" }), WebhookFieldsError);
    assert.throws(() => onDemandEvent("room_started", { room: { nam: "x" } }), /key "nam" is unknown/);
    assert.throws(() => onDemandEvent("room_started", { room: "x" }), WebhookFieldsError);
  });

  test("sample times are those of the instant given", () => {
    const at = instant(new Date(1_700_000_000_000));
    assert.equal(sampleEvent("room_started", at).room?.creationTime, 1_700_000_000n);
  });
});

describe("POST /_test/webhooks bodies", () => {
  test("url and event are required; the API key defaults to devkey and fields go to the event", () => {
    const request = parseOnDemandRequest({ url: "http://127.0.0.1:1/x", event: "track_published", track: { sid: "TR_1" } });
    assert.deepEqual(request.config, { url: "http://127.0.0.1:1/x", apiKey: "devkey" });
    assert.equal(request.event.track?.sid, "TR_1");
    assert.deepEqual(parseOnDemandRequest({ url: "u", event: "room_started", apiKey: "k", apiSecret: "s" }).config, {
      url: "u",
      apiKey: "k",
      apiSecret: "s",
    });
    assert.throws(() => parseOnDemandRequest({ event: "room_started" }), /"url" is required/);
    assert.throws(() => parseOnDemandRequest({ url: "u" }), /"event" is required/);
    assert.throws(() => parseOnDemandRequest({ url: "u", event: "room_strated" }), UnknownWebhookEventError);
    assert.throws(() => parseOnDemandRequest({ url: "u", event: "room_started", apiKey: 1 }), /apiKey must be a string/);
    assert.throws(() => parseOnDemandRequest([]), /must be a JSON object/);
  });
});
