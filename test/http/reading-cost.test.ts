// What reading a request costs does not depend on how TCP cut it: a head that arrives in small
// packets costs about what the same bytes of body cost (docs/spec/http.md#reading), and bytes
// before a request line count toward the head limit like any other.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { ConnectionHandlers } from "../../src/http/connection.js";
import { assertCostWithin } from "../support/cost-within.js";
import { piecesOf, startPacedServer, type PacedServer } from "./paced-connection.js";

const handlers: ConnectionHandlers = {
  request(req, res) {
    req.body().then(
      (body) => res.send(200, {}, `read ${body.length}`),
      (err: Error) => res.send(400, {}, err.message),
    );
  },
  refused(problem, res) {
    res.send(problem.status, {}, problem.reason);
  },
};

describe("the cost of reading a request", () => {
  let server: PacedServer;
  before(async () => {
    server = await startPacedServer({}, handlers);
  });
  after(() => server.close());

  test("a 1 MB head of short lines in 100-byte packets costs about what a 1 MB body in 100-byte packets costs", async () => {
    let lines = "";
    for (let i = 0; lines.length < 1_000_000; i++) lines += `X-H${i}: value\r\n`;
    const head = `GET / HTTP/1.1\r\nHost: h\r\n${lines}\r\n`;
    const size = head.length;
    const withBody = `POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ${size}\r\n\r\n${"b".repeat(size)}`;
    const headReply = await server.exchange(piecesOf(head, 100), { end: true });
    const bodyReply = await server.exchange(piecesOf(withBody, 100), { end: true });
    assert.match(bodyReply.text, new RegExp(`read ${size}$`));
    assert.match(headReply.text, /^HTTP\/1\.1 200 /);
    // Linear reading costs about the same per packet either way; rescanning every pending line
    // at each packet costs several times more by the end of the head.
    await assertCostWithin(
      () => server.exchange(piecesOf(head, 100), { end: true }),
      () => server.exchange(piecesOf(withBody, 100), { end: true }),
      3,
      "a head in 100-byte packets against the same bytes of body",
    );
  });
});

describe("the head limit", () => {
  let server: PacedServer;
  before(async () => {
    server = await startPacedServer({ headerBytes: 1024 }, handlers);
  });
  after(() => server.close());

  test("counts blank lines before the request line, so endless blank lines are refused at the limit", async () => {
    const reply = await server.exchange(piecesOf("\r\n".repeat(4096), 256), { waitMs: 2000 });
    assert.match(reply.text, /^HTTP\/1\.1 431 [^]*exceed the 1024-byte limit/);
    assert.equal(reply.closed, true);
  });

  test("accepts a few blank lines before a request line when the whole fits the limit", async () => {
    const request = `${"\r\n".repeat(100)}GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n`;
    const reply = await server.exchange(piecesOf(request, 7));
    assert.match(reply.text, /^HTTP\/1\.1 200 [^]*read 0$/);
  });
});
