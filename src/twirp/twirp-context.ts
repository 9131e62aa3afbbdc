// What the Twirp pipeline needs from the listener that received the request.
import type { TokenVerifier } from "../auth/verify-token.js";
import type { Journal } from "../journal/journal.js";
import type { Logger } from "../shared/log.js";
import type { Region } from "../shared/region.js";
import type { StateStore } from "../state/world-store.js";
import type { WebhookNotifier } from "../webhooks/webhook-notifier.js";
import type { MethodRoutes } from "./method-routes.js";

export interface TwirpContext {
  readonly region: Region;
  readonly routes: MethodRoutes;
  readonly verifier: TokenVerifier;
  readonly log: Logger;
  /** The server's request journal (one per server, shared by its listeners). */
  readonly journal: Journal;
  readonly webhooks: WebhookNotifier;
  /** The worlds of the stateful mode. */
  readonly state: StateStore;
}
