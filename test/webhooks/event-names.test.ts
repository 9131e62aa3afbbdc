// The event names are the pinned protocol's own, and a wrong one is refused with the closest.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseWebhookEventName, UnknownWebhookEventError, webhookEventNames } from "../../src/webhooks/webhook-events.js";
import { goWebhookEventNames, goWebhookSource } from "./pinned-webhook-package.js";

describe("webhook event names", () => {
  test("are exactly the Event constants of the pinned protocol's Go webhook package, in its order", () => {
    const go = goWebhookEventNames();
    assert.ok(go.length >= 15, `only ${go.length} constants found`);
    assert.deepEqual([...webhookEventNames], go);
  });

  test("the content type and user agent are the Go package's constants", async () => {
    const consts = goWebhookSource("consts.go");
    const { webhookContentType, webhookUserAgent } = await import("../../src/webhooks/post-webhook.js");
    assert.match(consts, new RegExp(`ContentType\\s*=\\s*"${webhookContentType.replace("+", "\\+")}"`));
    assert.match(consts, new RegExp(`DefaultUserAgent\\s*=\\s*"${webhookUserAgent}"`));
  });

  test("a known name is accepted as is", () => {
    for (const name of webhookEventNames) assert.equal(parseWebhookEventName(name), name);
  });

  test("an unknown name is refused, naming the closest valid one", () => {
    assert.throws(
      () => parseWebhookEventName("room_strated"),
      (err: unknown) =>
        err instanceof UnknownWebhookEventError &&
        err.message.startsWith('unknown webhook event "room_strated" (did you mean "room_started"?)'),
    );
    assert.throws(() => parseWebhookEventName("Room_Started"), /did you mean "room_started"/);
    assert.throws(
      () => parseWebhookEventName("nothing-like-it"),
      (err: unknown) => err instanceof Error && !err.message.includes("did you mean"),
    );
  });
});
