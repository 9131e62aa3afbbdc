// Where a call's or a connection's events go and how they are signed: the `webhooks` object of
// the X-Lk-Mock header and of the `lk.mock` token attribute. Both are parsed strictly; the header's
// copy of these fields lives in control/control-fields.ts (test/webhooks/webhooks-config.test.ts
// keeps the two the same).
import { closestName } from "../shared/closest-name.js";

export interface WebhooksConfig {
  readonly url: string;
  /** The `iss` of the signature: the key the receiver looks its secret up by. */
  readonly apiKey: string;
  /** Signs instead of the server's --api-secret (to test a receiver's refusal, for one). */
  readonly apiSecret?: string;
}

export const webhooksConfigFields = { url: true, apiKey: true, apiSecret: false } as const;

export class WebhooksConfigError extends Error {
  override name = "WebhooksConfigError";
}

/** Keys match in any case, as Go's encoding/json matches them (like the rest of lk.mock). */
export function parseWebhooksConfig(value: unknown): WebhooksConfig {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new WebhooksConfigError(`webhooks must be an object like {"url":"http://127.0.0.1:3000/webhook","apiKey":"devkey"}`);
  }
  const names = Object.keys(webhooksConfigFields) as (keyof typeof webhooksConfigFields)[];
  const config: Partial<Record<keyof WebhooksConfig, string>> = {};
  for (const [key, item] of Object.entries(value)) {
    const name = names.find((n) => n.toLowerCase() === key.toLowerCase());
    if (name === undefined) {
      const suggestion = closestName(key, names);
      throw new WebhooksConfigError(
        `webhooks has unknown field ${JSON.stringify(key)}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}; fields are ${names.join(", ")}`,
      );
    }
    if (config[name] !== undefined) throw new WebhooksConfigError(`webhooks sets field ${name} twice`);
    if (typeof item !== "string") throw new WebhooksConfigError(`webhooks.${name} must be a string, got ${JSON.stringify(item)}`);
    config[name] = item;
  }
  for (const name of names) {
    if (webhooksConfigFields[name] && config[name] === undefined) throw new WebhooksConfigError(`webhooks needs field "${name}"`);
  }
  return { url: config.url!, apiKey: config.apiKey!, ...(config.apiSecret === undefined ? {} : { apiSecret: config.apiSecret }) };
}
