// The body of POST /_test/webhooks: `{url, event, apiKey?, apiSecret?, journal?, …fields}`, where
// the fields are WebhookEvent fields (protojson) laid over the event's sample. The API key defaults
// to `devkey` (livekit-server --dev's) and the secret to the server's --api-secret; a journal key
// records each attempt as an API call's `journal` does.
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { WebhookEvent } from "../../generated/livekit_webhook_pb.js";
import { journalKeyProblem } from "../journal/journal.js";
import { instant } from "./event-shapes.js";
import { onDemandEvent, WebhookFieldsError } from "./sample-events.js";

export { WebhookFieldsError };
import { parseWebhookEventName } from "./webhook-events.js";
import type { WebhooksConfig } from "./webhooks-config.js";

export const defaultApiKey = "devkey";

export interface OnDemandRequest {
  readonly config: WebhooksConfig;
  readonly event: WebhookEvent;
  readonly journal?: string;
}

const settings = ["url", "event", "apiKey", "apiSecret", "journal"] as const;

/** Throws WebhookFieldsError or UnknownWebhookEventError naming the problem. */
export function parseOnDemandRequest(json: JsonValue, at: Date = new Date()): OnDemandRequest {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new WebhookFieldsError('the body must be a JSON object like {"url":"http://127.0.0.1:3000/webhook","event":"room_started"}');
  }
  const fields: JsonObject = {};
  const given: Partial<Record<(typeof settings)[number], string>> = {};
  for (const [key, value] of Object.entries(json)) {
    const setting = settings.find((s) => s === key);
    if (setting === undefined) {
      fields[key] = value;
      continue;
    }
    if (typeof value !== "string") throw new WebhookFieldsError(`${setting} must be a string, got ${JSON.stringify(value)}`);
    given[setting] = value;
  }
  if (given.url === undefined) throw new WebhookFieldsError('"url" is required: where to post the event');
  if (given.event === undefined) throw new WebhookFieldsError('"event" is required: the name of the event to send');
  const journalProblem = given.journal === undefined ? undefined : journalKeyProblem(given.journal);
  if (journalProblem !== undefined) throw new WebhookFieldsError(journalProblem);
  const event = onDemandEvent(parseWebhookEventName(given.event), fields, instant(at));
  return {
    config: {
      url: given.url,
      apiKey: given.apiKey ?? defaultApiKey,
      ...(given.apiSecret === undefined ? {} : { apiSecret: given.apiSecret }),
    },
    event,
    ...(given.journal === undefined ? {} : { journal: given.journal }),
  };
}
