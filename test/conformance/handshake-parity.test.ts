// The signal WebSocket handshake against the ORIGINAL Go test server: every unusual handshake of
// test/signal/handshake-cases.ts gets the same status and the same extension and subprotocol
// answer from both, so "accept what gorilla accepts" is checked against gorilla itself. A refused
// upgrade is an ordinary answer on a connection that stays open, in both.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { acceptedHandshakes, refusedHandshakes } from "../signal/handshake-cases.js";
import { mockToken } from "../signal/mock-token.js";
import { rawHandshake, type HandshakeAnswer } from "../signal/raw-websocket.js";
import { rawExchange } from "../support/raw-http.js";
import { startOracle, type RunningOracle } from "./parity/start-oracle.js";

function summary(answer: HandshakeAnswer): Record<string, unknown> {
  return {
    status: answer.status,
    extensions: answer.headers.get("sec-websocket-extensions"),
    protocol: answer.headers.get("sec-websocket-protocol"),
  };
}

/** Java's HttpClient asking for HTTP/2 on plain HTTP: an upgrade that is not a WebSocket. */
const h2cOffer =
  "Connection: Upgrade, HTTP2-Settings\r\nHTTP2-Settings: AAEAAEAAAAIAAAAAAAMAAAAAAAQBAAAAAAUAAEAAAAYABgAA\r\nUpgrade: h2c\r\n";
const webSocketOffer =
  "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

const refusedUpgrades: readonly { name: string; query: () => Promise<string>; offer: string }[] = [
  { name: "an h2c upgrade offer without a token", query: async () => "", offer: h2cOffer },
  { name: "an h2c upgrade offer with a valid token", query: async () => `?access_token=${await mockToken()}`, offer: h2cOffer },
  { name: "a WebSocket handshake with a bad token", query: async () => "?access_token=bad", offer: webSocketOffer },
  {
    name: "a WebSocket handshake in mode validate_500",
    query: async () => `?access_token=${await mockToken({ signal: "validate_500" })}`,
    offer: webSocketOffer,
  },
];

/** Each answer of a pipelined exchange: status line, headers by lower-case name (Date's value left out) and body. */
function answers(text: string): { status: string; headers: Record<string, string>; body: string }[] {
  const out = [];
  let rest = text;
  while (rest.length > 0) {
    const end = rest.indexOf("\r\n\r\n");
    if (end === -1) throw new Error(`an incomplete answer: ${JSON.stringify(rest)}`);
    const [status, ...lines] = rest.slice(0, end).split("\r\n");
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      const name = line.slice(0, colon).toLowerCase();
      headers[name] = name === "date" ? "<present>" : line.slice(colon + 1).trim();
    }
    const length = Number(headers["content-length"] ?? 0);
    out.push({ status: status!, headers, body: rest.slice(end + 4, end + 4 + length) });
    rest = rest.slice(end + 4 + length);
  }
  return out;
}

describe("signal handshakes: ours and the original answer alike", { timeout: 120_000 }, () => {
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

  for (const c of refusedUpgrades) {
    test(`${c.name} is refused on a connection that stays open for the next request`, async () => {
      const request = `GET /rtc${await c.query()} HTTP/1.1\r\nHost: x\r\n${c.offer}Content-Length: 0\r\n\r\nGET /_test/health HTTP/1.1\r\nHost: x\r\n\r\n`;
      const [original, mine] = await Promise.all([
        rawExchange(oracle!.ports[0]!, request, 1000),
        rawExchange(ours!.regions[0]!.port, request, 1000),
      ]);
      assert.equal(original.ending, "open");
      assert.equal(mine.ending, "open");
      assert.deepEqual(answers(mine.text), answers(original.text));
      assert.equal(answers(original.text).length, 2, "the health check after the refusal is answered");
    });
  }
});
