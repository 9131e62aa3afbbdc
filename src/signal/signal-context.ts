// What the signal endpoints need from the listener that received the request.
import type { TokenVerifier } from "../auth/verify-token.js";
import type { Journal } from "../journal/journal.js";
import type { Logger } from "../shared/log.js";
import type { Region } from "../shared/region.js";
import type { StateStore } from "../state/world-store.js";
import type { WebhookNotifier } from "../webhooks/webhook-notifier.js";

export interface SignalContext {
  readonly region: Region;
  readonly verifier: TokenVerifier;
  readonly log: Logger;
  /** The server's request journal; `lk.mock`'s `journal` key records into it. */
  readonly journal: Journal;
  readonly webhooks: WebhookNotifier;
  /** The worlds of the stateful mode: a join in one makes the participant one of its room's. */
  readonly state: StateStore;
}
