// lazy-deflate.ts reaches into ws's private PerMessageDeflate (lib/permessage-deflate.js), so ws is
// pinned to one exact version in package.json, and this file holds that version to every private
// member the patch relies on. A ws upgrade that changes one of them fails here, naming it, rather
// than leaking zlib streams or corrupting frames in production.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { AddressInfo } from "node:net";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { WebSocket, WebSocketServer } from "ws";
import { idleDeflateStreams, perMessageDeflateOf, releaseZlibBetweenMessages } from "../../src/signal/handshake/lazy-deflate.js";

const require = createRequire(import.meta.url);
const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const wsRoot = require.resolve("ws").replace(/index\.js$/, "");
const source = readFileSync(`${wsRoot}lib/permessage-deflate.js`, "utf8");
const PerMessageDeflate = require(`${wsRoot}lib/permessage-deflate.js`) as {
  new (options: object): Record<string, unknown>;
  readonly extensionName: string;
  readonly prototype: Record<string, unknown>;
};

/** The text of one method of PerMessageDeflate, as it appears in ws's source. */
function methodSource(name: string): string {
  const start = source.indexOf(`\n  ${name}(`);
  assert.ok(start !== -1, `ws's PerMessageDeflate has no method ${name}`);
  const end = source.indexOf("\n  }\n", start);
  return source.slice(start, end);
}

describe("the ws private members lazy-deflate.ts relies on", () => {
  test("ws is pinned to one exact version, and that version is installed", () => {
    const pinned = (JSON.parse(readFileSync(`${repoRoot}package.json`, "utf8")) as { dependencies: Record<string, string> }).dependencies[
      "ws"
    ]!;
    assert.match(pinned, /^\d+\.\d+\.\d+$/, `package.json pins ws exactly, not "${pinned}"`);
    const installed = (JSON.parse(readFileSync(`${wsRoot}package.json`, "utf8")) as { version: string }).version;
    assert.equal(installed, pinned);
  });

  test("a WebSocket keeps its negotiated extensions in _extensions, keyed permessage-deflate", () => {
    assert.equal(PerMessageDeflate.extensionName, "permessage-deflate");
    assert.match(readFileSync(`${wsRoot}lib/websocket.js`, "utf8"), /this\._extensions\[PerMessageDeflate\.extensionName\]/);
  });

  test("compress and decompress run _compress and _decompress through this, so an instance's own wins", () => {
    assert.match(methodSource("compress"), /this\._compress\(data, fin, \(err, result\) => \{/);
    assert.match(methodSource("decompress"), /this\._decompress\(data, fin, \(err, result\) => \{/);
    assert.equal(typeof PerMessageDeflate.prototype["_compress"], "function");
    assert.equal(typeof PerMessageDeflate.prototype["_decompress"], "function");
  });

  test("_compress and _decompress make a zlib stream only when _deflate or _inflate is empty", () => {
    assert.match(methodSource("_compress"), /if \(!this\._deflate\) \{/);
    assert.match(methodSource("_decompress"), /if \(!this\._inflate\) \{/);
    const fresh = new PerMessageDeflate({ isServer: true });
    assert.deepEqual([fresh["_deflate"], fresh["_inflate"]], [null, null]);
  });

  test("a deflate stream is not bound to the connection that made it (so it may serve another)", () => {
    assert.doesNotMatch(methodSource("_compress"), /this\._deflate\[kPerMessageDeflate\]/);
    assert.match(
      source,
      /function deflateOnData\(chunk\) \{\n\s+this\[kBuffers\]\.push\(chunk\);\n\s+this\[kTotalLength\] \+= chunk\.length;\n\}/,
    );
  });

  test("the negotiated parameters are in params, under their extension names", () => {
    const offer = new PerMessageDeflate({ isServer: true, serverNoContextTakeover: true, clientNoContextTakeover: true });
    (offer["accept"] as (offers: object[]) => unknown).call(offer, [{}]);
    assert.deepEqual(offer["params"], { server_no_context_takeover: true, client_no_context_takeover: true });
  });

  test("a deflate stream given back by one connection compresses the next connection's message", async () => {
    const wss = new WebSocketServer({
      port: 0,
      host: "127.0.0.1",
      perMessageDeflate: { serverNoContextTakeover: true, clientNoContextTakeover: true, threshold: 0 },
    });
    await new Promise((resolve) => wss.once("listening", resolve));
    wss.on("connection", (ws) => {
      assert.equal(releaseZlibBetweenMessages(ws), true);
      ws.on("message", (data) => ws.send(data as Buffer));
    });
    const echo = async (text: string): Promise<string> => {
      const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: { threshold: 0 } });
      await new Promise((resolve) => client.once("open", resolve));
      client.send(text);
      const answer = await new Promise<Buffer>((resolve) => client.once("message", (d) => resolve(d as Buffer)));
      client.close();
      return answer.toString();
    };
    assert.equal(await echo("first ".repeat(100)), "first ".repeat(100));
    const pooled = idleDeflateStreams();
    assert.ok(pooled >= 1, "the first connection gave its deflate stream back");
    assert.equal(await echo("second ".repeat(100)), "second ".repeat(100));
    assert.equal(idleDeflateStreams(), pooled, "the second connection took the same stream and gave it back");
    await new Promise((resolve) => wss.close(resolve));
  });

  test("perMessageDeflateOf finds nothing on a connection without compression", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: true });
    await new Promise((resolve) => wss.once("listening", resolve));
    const accepted = new Promise<WebSocket>((resolve) => wss.once("connection", resolve));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
    await new Promise((resolve) => client.once("open", resolve));
    assert.equal(perMessageDeflateOf(await accepted), undefined);
    client.close();
    await new Promise((resolve) => wss.close(resolve));
  });
});
