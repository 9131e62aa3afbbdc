// What the notifier puts on the wire for one event (protocol webhook/resource_url_notifier.go
// send): the protojson body, and an Authorization token that is an access token of the API key,
// signed with its secret, valid for 5 minutes, whose `sha256` claim is the base64 SHA-256 of the
// body. Receivers check that claim against the bytes they got.
import { createHash } from "node:crypto";
import { SignJWT } from "jose";
import { WebhookEventSchema, type WebhookEvent } from "../../generated/livekit_webhook_pb.js";
import { goProtojson } from "./go-protojson.js";

const validForSeconds = 5 * 60;

export interface SigningKey {
  readonly apiKey: string;
  readonly apiSecret: string;
}

export interface SignedWebhook {
  readonly body: Buffer;
  /** The Authorization header's value: the bare token, no `Bearer `. */
  readonly token: string;
}

export async function signWebhook(event: WebhookEvent, key: SigningKey, now: Date = new Date()): Promise<SignedWebhook> {
  const body = Buffer.from(goProtojson(WebhookEventSchema, event));
  const sha256 = createHash("sha256").update(body).digest("base64");
  const issuedAt = Math.floor(now.getTime() / 1000);
  // Claims in the order Go's encoding/json writes auth's tokenClaims (RegisteredClaims, then the
  // grants); the header as golang-jwt writes it (its map's keys sorted).
  const token = await new SignJWT({ iss: key.apiKey, exp: issuedAt + validForSeconds, nbf: issuedAt, iat: issuedAt, sha256 })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .sign(new TextEncoder().encode(key.apiSecret));
  return { body, token };
}
