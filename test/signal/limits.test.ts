// The largest message a client may send (1 MiB after decompression; the original has no limit),
// and compression that holds no zlib stream per connection while every message still arrives
// compressed and intact.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";
import { maxMessageBytes } from "../../src/signal/handshake/handle-upgrade.js";
import { idleDeflateStreams, perMessageDeflateOf, releaseZlibBetweenMessages } from "../../src/signal/handshake/lazy-deflate.js";
import { useServer } from "../support/server.js";
import { mockToken } from "./mock-token.js";
import { connect } from "./signal-client.js";

const server = useServer();

describe("the message size limit", () => {
  test("a message above 1 MiB gets close 1009 and TCP closed, and the journal says so", async () => {
    const client = await connect(server.url(), "/rtc", { token: await mockToken({ journal: "limit-1009" }), perMessageDeflate: false });
    await client.next();
    client.ws.send(Buffer.alloc(maxMessageBytes + 1));
    const closed = await client.closed;
    assert.equal(closed.code, 1009);
    const { entries } = (await (await fetch(`${server.url()}/_test/journal/limit-1009`)).json()) as { entries: Record<string, unknown>[] };
    const end = entries.at(-1)!;
    assert.deepEqual([end["event"], end["by"], end["code"]], ["closed", "server", 1009]);
  });

  test("a message of exactly 1 MiB is read", async () => {
    const client = await connect(server.url(), "/rtc", { token: await mockToken(), perMessageDeflate: false });
    await client.next();
    client.ws.send(Buffer.alloc(maxMessageBytes, 0xff));
    client.send({ case: "ping", value: 1n });
    assert.equal((await client.next()).message.message.case, "pong");
    client.ws.close();
  });

  test("a compressed message that inflates beyond 1 MiB gets close 1009", async () => {
    const client = await connect(server.url(), "/rtc", { token: await mockToken() });
    await client.next();
    assert.match(client.ws.extensions, /permessage-deflate/);
    client.ws.send(Buffer.alloc(4 * maxMessageBytes), { compress: true });
    assert.equal((await client.closed).code, 1009);
  });
});

describe("compression without a zlib stream per connection", () => {
  test("many compressed connections at once each get their own answers, intact and in order", async () => {
    const token = await mockToken();
    const clients = await Promise.all(Array.from({ length: 40 }, () => connect(server.url(), "/rtc", { token })));
    await Promise.all(
      clients.map(async (client, c) => {
        assert.equal((await client.next()).message.message.case, "join");
        for (let i = 0; i < 20; i++)
          client.send({ case: "updateMetadata", value: { requestId: c * 1000 + i, metadata: "x".repeat(i * 50) } });
        for (let i = 0; i < 20; i++) {
          const reply = (await client.next()).message.message;
          assert.equal(reply.case === "requestResponse" && reply.value.requestId, c * 1000 + i);
        }
        client.ws.close();
      }),
    );
    assert.ok(idleDeflateStreams() <= 16, `${idleDeflateStreams()} idle deflate streams`);
  });

  test("a connection holds no zlib stream between messages, either way", async () => {
    const wss = new WebSocketServer({
      port: 0,
      host: "127.0.0.1",
      perMessageDeflate: { serverNoContextTakeover: true, clientNoContextTakeover: true, threshold: 0 },
    });
    await new Promise((resolve) => wss.once("listening", resolve));
    const accepted = new Promise<WebSocket>((resolve) =>
      wss.once("connection", (ws) => {
        assert.equal(releaseZlibBetweenMessages(ws), true);
        ws.on("message", (data) => ws.send(data as Buffer));
        resolve(ws);
      }),
    );
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: { threshold: 0 } });
    await new Promise((resolve) => client.once("open", resolve));
    const serverSide = await accepted;
    for (const text of ["one", "two", "three".repeat(1000)]) {
      client.send(text);
      const echo = await new Promise<Buffer>((resolve) => client.once("message", (d) => resolve(d as Buffer)));
      assert.equal(echo.toString(), text);
      const deflate = perMessageDeflateOf(serverSide)!;
      assert.deepEqual([deflate._deflate, deflate._inflate], [null, null]);
    }
    client.close();
    await new Promise((resolve) => wss.close(resolve));
  });

  test("without a compression offer there is nothing to release", async () => {
    const wss = new WebSocketServer({ port: 0, host: "127.0.0.1", perMessageDeflate: true });
    await new Promise((resolve) => wss.once("listening", resolve));
    const released = new Promise<boolean>((resolve) => wss.once("connection", (ws) => resolve(releaseZlibBetweenMessages(ws))));
    const client = new WebSocket(`ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, { perMessageDeflate: false });
    await new Promise((resolve) => client.once("open", resolve));
    assert.equal(await released, false);
    client.close();
    await new Promise((resolve) => wss.close(resolve));
  });
});
