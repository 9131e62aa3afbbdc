// handleSignalWithoutUpgrade on its own listener: plain HTTP requests to the WebSocket paths.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { createTokenVerifier } from "../../src/auth/verify-token.js";
import { createHttpServer, type HttpServer } from "../../src/http/http-server.js";
import { defaultHttpLimits } from "../../src/http/limits.js";
import { createJournal } from "../../src/journal/journal.js";
import { createRegion } from "../../src/shared/region.js";
import { createLogger } from "../../src/server/request-log.js";
import { handleSignalWithoutUpgrade } from "../../src/signal/handshake/handle-without-upgrade.js";
import type { SignalContext } from "../../src/signal/signal-context.js";
import { createWebhookNotifier } from "../../src/webhooks/webhook-notifier.js";
import { createStateStore } from "../../src/state/world-store.js";
import { mockToken } from "./mock-token.js";

let server: HttpServer;
let base: string;

before(async () => {
  const log = createLogger("silent", "text");
  const webhooks = createWebhookNotifier({ apiSecret: "secret", allowHosts: [], log });
  const ctx: SignalContext = {
    region: createRegion(0, 0, "http://127.0.0.1:0"),
    verifier: createTokenVerifier("secret"),
    log,
    journal: createJournal(),
    webhooks,
    state: createStateStore({ serverWide: undefined, notifier: webhooks, defaultWebhooks: undefined, log }),
  };
  server = createHttpServer(defaultHttpLimits, {
    request: (req, res) => void handleSignalWithoutUpgrade(req, res, ctx),
    refused: (_problem, res) => res.drop(),
  });
  base = `http://127.0.0.1:${await server.listen(0, "127.0.0.1")}`;
});

after(() => server.close());

async function get(path: string, init: RequestInit = {}) {
  const res = await fetch(base + path, init);
  return {
    status: res.status,
    body: await res.text(),
    nosniff: res.headers.get("x-content-type-options"),
    version: res.headers.get("sec-websocket-version"),
  };
}

describe("a plain HTTP request to a WebSocket path", () => {
  test("without a token answers 401 invalid token, as the original checks the token first", async () => {
    assert.deepEqual(await get("/rtc"), { status: 401, body: "invalid token", nosniff: null, version: null });
  });

  test("with a good token answers gorilla's 400 Bad Request", async () => {
    assert.deepEqual(await get(`/rtc/v1?access_token=${await mockToken()}`), {
      status: 400,
      body: "Bad Request\n",
      nosniff: "nosniff",
      version: "13",
    });
  });

  test("a POST is a 400 too: gorilla looks at the Connection header before the method", async () => {
    assert.deepEqual(await get(`/rtc?access_token=${await mockToken()}`, { method: "POST" }), {
      status: 400,
      body: "Bad Request\n",
      nosniff: "nosniff",
      version: "13",
    });
  });

  test("the validate modes and a bad lk.mock answer as they refuse an upgrade", async () => {
    assert.equal((await get(`/rtc?access_token=${await mockToken({ signal: "validate_500" })}`)).status, 500);
    assert.deepEqual(await get(`/rtc?access_token=${await mockToken({ signal: "room_not_found" })}`), {
      status: 404,
      body: "",
      nosniff: null,
      version: null,
    });
    const bad = await get(`/rtc?access_token=${await mockToken({ signal: "hapy" })}`);
    assert.equal(bad.status, 400);
    assert.match(bad.body, /^invalid lk\.mock attribute: unknown signal mode "hapy"/);
  });
});
