// Where a call's or a connection's events go and how they are signed: the `webhooks` object of
// the X-Lk-Mock header (control/control-fields.ts) and of the `lk.mock` token attribute
// (signal/attribute/signal-fields.ts), which each parse strictly with their own tables;
// test/webhooks/webhooks-config.test.ts keeps the two the same as this type.

export interface WebhooksConfig {
  readonly url: string;
  /** The `iss` of the signature: the key the receiver looks its secret up by. */
  readonly apiKey: string;
  /** Signs instead of the server's --api-secret (to test a receiver's refusal, for one). */
  readonly apiSecret?: string;
}

/** The config's fields, and which are required. */
export const webhooksConfigFields: Readonly<Record<keyof WebhooksConfig, boolean>> = { url: true, apiKey: true, apiSecret: false };

/** A config the notifier cannot sign with (an empty key or secret). */
export class WebhooksConfigError extends Error {
  override name = "WebhooksConfigError";
}
