// A client that sends FIN right after its request (`nc -N`, `socat`, hand-written socket code) still
// reads: every complete request it sent is answered, however long the answer takes, and then the
// connection closes, as the original does (docs/spec/http.md#half-close).
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { answersIn, rawExchange, rawTwirp } from "../support/raw-http.js";
import { useServer } from "../support/server.js";

const createRoom = "livekit.RoomService/CreateRoom";

describe("a client that half-closes after its request", () => {
  const t = useServer({ ports: [0] });
  const port = (): number => t.server.regions[0]!.port;
  let receiver: Server;
  before(async () => {
    receiver = createServer((req, res) => req.resume().on("end", () => res.end()));
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  });
  after(() => new Promise((resolve) => receiver.close(resolve)));

  test("gets the answer to a 100 KB body, then the connection closes", async () => {
    const metadata = "m".repeat(100_000);
    const body = JSON.stringify({ name: "big", metadata });
    const reply = await rawExchange(port(), rawTwirp(createRoom, { skipAuth: true }, body), 5000, true);
    const [answer, ...more] = answersIn(reply.text);
    assert.equal(answer?.status, 200, reply.text.slice(0, 300));
    const room = JSON.parse(answer.body) as { name: string; metadata: string };
    assert.deepEqual([room.name, room.metadata.length], ["big", metadata.length]);
    assert.deepEqual([more.length, reply.ending], [0, "end"]);
  });

  test("gets an answer held back by delayMs, then the connection closes", async () => {
    const reply = await rawExchange(port(), rawTwirp(createRoom, { skipAuth: true, delayMs: 300 }, '{"name":"late"}'), 5000, true);
    const [answer] = answersIn(reply.text);
    assert.equal(answer?.status, 200, reply.text.slice(0, 300));
    assert.equal((JSON.parse(answer.body) as { name: string }).name, "late");
    assert.ok(reply.ms >= 290, `answered and closed after ${reply.ms} ms`);
    assert.equal(reply.ending, "end");
  });

  test("gets the delivery report of POST /_test/webhooks, then the connection closes", async () => {
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
    const body = JSON.stringify({ url, event: "room_started" });
    const request = `POST /_test/webhooks HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const reply = await rawExchange(port(), request, 5000, true);
    const [answer] = answersIn(reply.text);
    assert.equal(answer?.status, 200, reply.text.slice(0, 300));
    assert.deepEqual((JSON.parse(answer.body) as { sent: boolean }).sent, true);
    assert.equal(reply.ending, "end");
  });

  test("gets every pipelined request answered in order, then the connection closes", async () => {
    const requests =
      rawTwirp(createRoom, { skipAuth: true, delayMs: 100 }, '{"name":"one"}') +
      "GET /settings/regions HTTP/1.1\r\nHost: x\r\n\r\n" +
      rawTwirp(createRoom, { skipAuth: true }, '{"name":"three"}');
    const reply = await rawExchange(port(), requests, 5000, true);
    const found = answersIn(reply.text);
    assert.deepEqual(
      found.map((a) => a.status),
      [200, 200, 200],
    );
    assert.equal((JSON.parse(found[0]!.body) as { name: string }).name, "one");
    assert.match(found[1]!.body, /^\{"regions":/);
    assert.equal((JSON.parse(found[2]!.body) as { name: string }).name, "three");
    assert.equal(reply.ending, "end");
  });

  test("gets 400 for a head cut short, as from Go, and the connection closes", async () => {
    const reply = await rawExchange(port(), "GET /settings/regions HTTP/1.1\r\nHost: x\r\n", 5000, true);
    assert.match(reply.text, /^HTTP\/1\.1 400 [^]*the connection ended before the request head was complete/);
    assert.equal(reply.ending, "end");
  });

  test("gets nothing when it sent nothing, and the connection closes", async () => {
    const reply = await rawExchange(port(), "", 5000, true);
    assert.deepEqual([reply.text, reply.ending], ["", "end"]);
  });
});
