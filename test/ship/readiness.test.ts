// /_test/health answers `ok` only once every listener is bound; before that it says so.
import assert from "node:assert/strict";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import { methodStubs } from "../../generated/mock/index.js";
import { createTokenVerifier } from "../../src/auth/verify-token.js";
import { defaultConfig } from "../../src/config.js";
import { handleRequest } from "../../src/handle-request.js";
import type { SharedState } from "../../src/listener-context.js";
import { createRegion } from "../../src/regions.js";
import { createLogger } from "../../src/request-log.js";
import { createRouteTable } from "../../src/route-table.js";

test("health answers 503 starting until every listener is bound, then ok", async () => {
  const shared: SharedState = {
    config: defaultConfig,
    routes: createRouteTable(methodStubs),
    verifier: createTokenVerifier("secret"),
    log: createLogger("silent", "text"),
    regions: [],
    ready: false,
  };
  const context = { region: createRegion(0, 0, "http://127.0.0.1"), shared };
  const server = createServer((req, res) => void handleRequest(req, res, context));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/_test/health`;
  try {
    const early = await fetch(url);
    assert.equal(early.status, 503);
    assert.equal(await early.text(), "starting");
    shared.ready = true;
    const ready = await fetch(url);
    assert.equal(ready.status, 200);
    assert.equal(await ready.text(), "ok");
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
