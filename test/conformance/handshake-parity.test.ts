// The signal WebSocket handshake against the ORIGINAL Go test server: every unusual handshake of
// test/signal/handshake-cases.ts gets the same status and the same extension and subprotocol
// answer from both, so "accept what gorilla accepts" is checked against gorilla itself.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { acceptedHandshakes, refusedHandshakes } from "../signal/handshake-cases.js";
import { mockToken } from "../signal/mock-token.js";
import { rawHandshake, type HandshakeAnswer } from "../signal/raw-websocket.js";
import { startOracle, type RunningOracle } from "./parity/start-oracle.js";

function summary(answer: HandshakeAnswer): Record<string, unknown> {
  return {
    status: answer.status,
    extensions: answer.headers.get("sec-websocket-extensions"),
    protocol: answer.headers.get("sec-websocket-protocol"),
  };
}

describe("signal handshakes: ours and the original answer alike", { timeout: 600_000 }, () => {
  let oracle: RunningOracle | undefined;
  let ours: RunningServer | undefined;

  before(async () => {
    [oracle, ours] = await Promise.all([startOracle(1), startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent" })]);
  });
  after(async () => {
    await Promise.all([oracle?.close(), ours?.close()]);
  });

  for (const c of [...acceptedHandshakes, ...refusedHandshakes]) {
    test(c.name, async () => {
      const query = `/rtc?access_token=${await mockToken()}`;
      const [original, mine] = await Promise.all([
        rawHandshake(oracle!.url() + query, c.lines()),
        rawHandshake(ours!.url() + query, c.lines()),
      ]);
      assert.deepEqual(summary(mine), summary(original));
      assert.equal(original.status, c.status, "the case's stated status is the original's");
      assert.equal(original.headers.has("sec-websocket-extensions"), c.compressed, "the case's stated compression is the original's");
    });
  }
});
