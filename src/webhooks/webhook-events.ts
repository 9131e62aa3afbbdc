// The webhook event names, as the pinned protocol's Go `webhook` package declares them
// (webhook/consts.go, in its order); test/webhooks/event-names.test.ts holds this list to it.
import { closestName } from "../shared/closest-name.js";

export const webhookEventNames = [
  "room_started",
  "room_finished",
  "participant_joined",
  "participant_left",
  "participant_connection_aborted",
  "track_published",
  "track_unpublished",
  "egress_started",
  "egress_updated",
  "egress_ended",
  "ingress_started",
  "ingress_ended",
  "agent_job_pending",
  "agent_job_started",
  "agent_job_ended",
] as const;

export type WebhookEventName = (typeof webhookEventNames)[number];

export class UnknownWebhookEventError extends Error {
  override name = "UnknownWebhookEventError";
}

/** `name` as an event name, or an error naming the closest valid one (names are case-sensitive, as in Go). */
export function parseWebhookEventName(name: string): WebhookEventName {
  if ((webhookEventNames as readonly string[]).includes(name)) return name as WebhookEventName;
  const suggestion = closestName(name, webhookEventNames);
  throw new UnknownWebhookEventError(
    `unknown webhook event ${JSON.stringify(name)}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}; events are ${webhookEventNames.join(", ")}`,
  );
}
