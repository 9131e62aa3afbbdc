// The signature as protocol's notifier makes it: an access token of the API key, signed HS256
// with the secret, valid 5 minutes, its `sha256` claim the base64 SHA-256 of the exact body.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { describe, test } from "node:test";
import { decodeProtectedHeader, jwtVerify } from "jose";
import { instant, toWebhookEvent } from "../../src/webhooks/event-shapes.js";
import { sampleEvent } from "../../src/webhooks/sample-events.js";
import { signWebhook } from "../../src/webhooks/sign-webhook.js";

const key = { apiKey: "APIkey1", apiSecret: "the-secret" };
const at = new Date(1_700_000_000_000);

describe("signing a webhook", () => {
  test("the token is HS256 with the API key as issuer, and its sha256 claim is the body's base64 SHA-256", async () => {
    const event = toWebhookEvent(sampleEvent("room_started", instant(at)));
    event.id = "EV_test";
    const { body, token } = await signWebhook(event, key, new Date());
    assert.deepEqual(decodeProtectedHeader(token), { alg: "HS256", typ: "JWT" });
    const { payload } = await jwtVerify(token, new TextEncoder().encode(key.apiSecret), { issuer: key.apiKey });
    assert.equal(payload["sha256"], createHash("sha256").update(body).digest("base64"));
    assert.equal(JSON.parse(body.toString()).id, "EV_test");
  });

  test("the claims are Go's, in Go's order: iss, exp 5 minutes after nbf and iat, sha256; nothing else", async () => {
    const { token } = await signWebhook(toWebhookEvent(sampleEvent("room_started")), key, at);
    const payload = Buffer.from(token.split(".")[1]!, "base64url").toString();
    const seconds = at.getTime() / 1000;
    assert.match(
      payload,
      new RegExp(`^\\{"iss":"APIkey1","exp":${seconds + 300},"nbf":${seconds},"iat":${seconds},"sha256":"[A-Za-z0-9+/]+=*"\\}$`),
    );
  });

  test("another secret does not verify the token", async () => {
    const { token } = await signWebhook(toWebhookEvent(sampleEvent("room_started")), key);
    await assert.rejects(jwtVerify(token, new TextEncoder().encode("other")), /signature verification failed/);
  });
});
