// Fairness between connections (docs/spec/http.md#fairness): a connection that always has more to
// read must not keep the server from another connection's request. The server runs in this
// process, so the clients' writes are made while its event loop is not reading: both connections'
// bytes are in the kernel when it next looks, the flood's first (the kernel reports sockets in the
// order their data came). What the handlers saw, in order, then shows whether the server let the
// second connection in before it was done with the first.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { createHttpServer, type HttpServer } from "../../src/http/http-server.js";
import { defaultHttpLimits } from "../../src/http/limits.js";
import { until } from "../support/eventually.js";

interface Client {
  readonly socket: Socket;
  /** Status lines received so far: the answers, since no answer body here holds one. */
  answers(): number;
}

const statusLine = /HTTP\/1\.1 \d{3} /g;

async function open(port: number): Promise<Client> {
  const socket = connect({ host: "127.0.0.1", port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  let text = "";
  socket.setEncoding("latin1");
  socket.on("data", (chunk: string) => (text += chunk));
  return { socket, answers: () => text.match(statusLine)?.length ?? 0 };
}

function get(path: string): string {
  return `GET ${path} HTTP/1.1\r\nHost: h\r\n\r\n`;
}

describe("fairness between connections", () => {
  /** The paths of the requests answered, in the order they were answered. */
  const seen: string[] = [];
  let server: HttpServer;
  let port: number;
  let flood: Client;
  let other: Client;

  before(async () => {
    server = createHttpServer(defaultHttpLimits, {
      request(req, res) {
        const answer = (): void => {
          seen.push(req.path);
          res.send(200, {}, "ok");
        };
        // Paths under /later are answered once the body is read, as the mock's routes answer: in a
        // promise callback, after the code that gave the handler the request has returned.
        if (req.path.startsWith("/later")) void req.body().then(answer);
        else answer();
      },
      refused(problem, res) {
        res.send(problem.status, {}, problem.reason);
      },
    });
    port = await server.listen(0, "127.0.0.1");
  });
  after(() => server.close());

  /**
   * Opens both connections, has each answered once (so the server holds both), then writes
   * `floodBytes` on one and a `GET /other` on the other at once, and waits until every answer is
   * in. Returns the paths answered from that moment, in order.
   */
  async function race(floodBytes: string | Buffer, floodAnswers: number): Promise<string[]> {
    flood = await open(port);
    other = await open(port);
    flood.socket.write(get("/warm-up"));
    other.socket.write(get("/warm-up"));
    await until(() => flood.answers() === 1 && other.answers() === 1, "both connections answered once");
    seen.length = 0;
    flood.socket.write(floodBytes);
    other.socket.write(get("/other"));
    // Both writes went to the kernel before this process read anything, or the race was not set up.
    assert.equal(flood.socket.writableLength + other.socket.writableLength, 0, "the kernel took both writes at once");
    await until(() => flood.answers() === 1 + floodAnswers && other.answers() === 2, "every answer");
    flood.socket.destroy();
    other.socket.destroy();
    return [...seen];
  }

  for (const [how, prefix] of [
    ["answered at once", "/now"],
    ["answered in a promise callback", "/later"],
  ] as const) {
    test(`a connection that pipelines a thousand requests ${how} lets another connection's request in after at most ${defaultHttpLimits.requestsPerTurn} of them`, async () => {
      const requests = Array.from({ length: 1000 }, (_, i) => get(`${prefix}/${i}`)).join("");
      const order = await race(requests, 1000);
      const before = order.indexOf("/other");
      assert.ok(
        before <= defaultHttpLimits.requestsPerTurn,
        `${before} of the pipelined requests were answered before the other connection's`,
      );
      // The flood itself is still answered, all of it and in order.
      const floodOrder = order.filter((path) => path !== "/other");
      assert.deepEqual(
        floodOrder,
        Array.from({ length: 1000 }, (_, i) => `${prefix}/${i}`),
      );
    });
  }

  test(`a client that pipelines a hundred requests and half-closes gets every answer, over several turns, before the connection ends`, async () => {
    const client = await open(port);
    const ended = new Promise<void>((resolve) => client.socket.once("end", resolve));
    seen.length = 0;
    client.socket.end(Array.from({ length: 100 }, (_, i) => get(`/later/half/${i}`)).join(""));
    await ended;
    client.socket.destroy();
    assert.equal(client.answers(), 100);
    assert.deepEqual(
      seen,
      Array.from({ length: 100 }, (_, i) => `/later/half/${i}`),
    );
  });

  // The kernel takes about 190 KB at once for a connection that has not been read from yet (its
  // receive window); more would come in later turns anyway. A head or body of 130 KB is more than
  // two reads of Node's, all of it there when the server first reads.
  test("a connection sending a 130 KB head lets another connection's request in before its head is read", async () => {
    const lines = Array.from({ length: 2200 }, (_, i) => `X-Pad-${i % 1000}: ${"a".repeat(48)}\r\n`).join("");
    const order = await race(`GET /big-head HTTP/1.1\r\nHost: h\r\n${lines}\r\n`, 1);
    assert.deepEqual(order, ["/other", "/big-head"]);
  });

  test("a connection sending a 130 KB body lets another connection's request in before its body is read", async () => {
    const body = Buffer.alloc(130 * 1000, "a");
    const head = `POST /later/big-body HTTP/1.1\r\nHost: h\r\nContent-Length: ${body.length}\r\n\r\n`;
    const order = await race(Buffer.concat([Buffer.from(head), body]), 1);
    assert.deepEqual(order, ["/other", "/later/big-body"]);
  });
});
