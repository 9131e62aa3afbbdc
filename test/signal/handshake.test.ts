// The WebSocket handshake accepts what gorilla/websocket accepts (docs/spec/signal.md#handshake):
// headers ws alone would refuse with 400 upgrade here, compression follows gorilla's reading of the
// offer, and no subprotocol is ever selected. Raw sockets send the exact header lines.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { fromBinary } from "@bufbuild/protobuf";
import { SignalResponseSchema } from "../../generated/livekit_rtc_pb.js";
import { useServer } from "../support/server.js";
import { acceptedHandshakes, refusedHandshakes } from "./handshake-cases.js";
import { mockToken } from "./mock-token.js";
import { framePayload, rawHandshake, rawWebSocket } from "./raw-websocket.js";
import { signalUrl } from "./signal-client.js";

const server = useServer();
const gorillaExtensions = "permessage-deflate; server_no_context_takeover; client_no_context_takeover";

async function url(path = "/rtc"): Promise<string> {
  return signalUrl(server.url(), path, { token: await mockToken() }).replace(/^ws/, "http");
}

describe("handshakes gorilla upgrades although a header is malformed", () => {
  for (const c of acceptedHandshakes) {
    test(`${c.name}: 101, ${c.compressed ? "compressed" : "not compressed"}, no subprotocol`, async () => {
      const ws = await rawWebSocket(await url(), c.lines());
      assert.equal(ws.headers.get("sec-websocket-extensions"), c.compressed ? gorillaExtensions : undefined);
      assert.equal(ws.headers.get("sec-websocket-protocol"), undefined);
      // The join arrives, compressed exactly when the extension was negotiated.
      const deadline = Date.now() + 30_000;
      while (ws.frames.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
      const [join] = ws.frames;
      assert.ok(join !== undefined, "no join arrived");
      assert.equal(join.compressed, c.compressed);
      assert.equal(fromBinary(SignalResponseSchema, framePayload(join)).message.case, "join");
      ws.close();
    });
  }
});

describe("handshakes gorilla refuses", () => {
  for (const c of refusedHandshakes) {
    test(`${c.name}: 400 Bad Request`, async () => {
      const answer = await rawHandshake(await url(), c.lines());
      assert.deepEqual([answer.status, answer.body], [400, "Bad Request\n"]);
    });
  }
});
