// /_test/health answers `ok` only once every listener is bound; before that it says so.
import assert from "node:assert/strict";
import { test } from "node:test";
import { stubModules } from "../../generated/mock/method-table.js";
import { createTokenVerifier } from "../../src/auth/verify-token.js";
import { defaultConfig } from "../../src/server/config.js";
import { createJournal } from "../../src/journal/journal.js";
import { createHttpServer } from "../../src/http/http-server.js";
import { defaultHttpLimits } from "../../src/http/limits.js";
import { handleRequest, refuseRequest } from "../../src/server/handle-request.js";
import type { ListenerContext } from "../../src/server/listener-context.js";
import { createRegion } from "../../src/shared/region.js";
import { createLogger } from "../../src/server/request-log.js";
import { createMethodRoutes } from "../../src/twirp/method-routes.js";
import { createWebhookNotifier } from "../../src/webhooks/webhook-notifier.js";
import { createStateStore } from "../../src/state/world-store.js";

test("health answers 503 starting until every listener is bound, then ok", async () => {
  const log = createLogger("silent", "text");
  const webhooks = createWebhookNotifier({ apiSecret: "secret", allowHosts: [], log });
  const context: ListenerContext = {
    config: defaultConfig,
    routes: createMethodRoutes(stubModules),
    verifier: createTokenVerifier("secret"),
    log,
    journal: createJournal(),
    webhooks,
    state: createStateStore({ serverWide: undefined, notifier: webhooks, defaultWebhooks: undefined, log }),
    region: createRegion(0, 0, "http://127.0.0.1:0"),
    regions: [],
    readiness: { ready: false },
  };
  const server = createHttpServer(defaultHttpLimits, {
    request: (req, res) => void handleRequest(req, res, context),
    refused: (problem, res) => refuseRequest(problem, res, context),
  });
  const url = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}/_test/health`;
  try {
    const early = await fetch(url);
    assert.equal(early.status, 503);
    assert.equal(await early.text(), "starting");
    context.readiness.ready = true;
    const ready = await fetch(url);
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), "ok");
  } finally {
    await server.close();
  }
});
