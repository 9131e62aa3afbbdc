// A world store on its own for tests of a service's limits: no log, no webhook delivery, the
// default limits but those a test lowers.
import type { Logger } from "../../src/shared/log.js";
import { defaultWorldLimits, type WorldLimits } from "../../src/state/world-limits.js";
import { createStateStore, type StateStore } from "../../src/state/world-store.js";
import type { WebhookNotifier } from "../../src/webhooks/webhook-notifier.js";

export function quietStore(limits: Partial<WorldLimits>): StateStore {
  const log: Logger = { requestsEnabled: false, request() {}, info() {}, error() {} };
  const notifier = { notify: async () => [] } as unknown as WebhookNotifier;
  return createStateStore({
    serverWide: undefined,
    notifier,
    defaultWebhooks: undefined,
    log,
    limits: { ...defaultWorldLimits, ...limits },
  });
}

/** A call's origin, as a listener would name it. */
export const testCause = { region: "region-0" };
