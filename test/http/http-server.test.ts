// The HTTP/1.1 layer on its own, with a handler that echoes what it read: framing (Content-Length,
// chunked, pipelining, 100-continue, keep-alive rules), refusals, and deadlines with short limits.
import assert from "node:assert/strict";
import { connect, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { createHttpServer, type HttpServer } from "../../src/http/http-server.js";
import { defaultHttpLimits, type HttpLimits } from "../../src/http/limits.js";

interface Running {
  readonly port: number;
  readonly server: HttpServer;
}

async function start(limits: Partial<HttpLimits> = {}): Promise<Running> {
  const server = createHttpServer(
    { ...defaultHttpLimits, ...limits },
    {
      request(req, res) {
        if (req.path === "/no-read") {
          res.send(200, { "Content-Type": "text/plain" }, "not read");
          return;
        }
        req.body().then(
          (body) =>
            res.send(
              200,
              { "Content-Type": "application/json" },
              JSON.stringify({ method: req.method, url: req.url, mock: req.header("x-lk-mock") ?? null, body: body.toString("utf8") }),
            ),
          (err: Error) => res.send(400, { "Content-Type": "text/plain" }, `refused: ${err.message}`),
        );
      },
      refused(problem, res) {
        res.send(problem.status, { "Content-Type": "text/plain" }, `refused: ${problem.reason}`);
      },
    },
  );
  return { server, port: await server.listen(0, "127.0.0.1") };
}

/**
 * Opens a connection, writes `bytes` (a list is written piece by piece) and collects until the
 * server closes it, or until `answered(text)` holds (then `closed` says whether it closed too). The
 * bound only turns a hang into `closed: false`; every test here ends well before it.
 */
async function exchange(
  port: number,
  bytes: string | Buffer | (string | Buffer)[],
  answered?: (text: string) => boolean,
  ms = 30_000,
): Promise<{ text: string; closed: boolean }> {
  const socket: Socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve) => socket.once("connect", () => resolve()));
  const chunks: Buffer[] = [];
  let closedYet = false;
  const ended = new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once("close", () => {
      closedYet = true;
      clearTimeout(timer);
      resolve(true);
    });
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      if (answered?.(Buffer.concat(chunks).toString("utf8")) === true) {
        clearTimeout(timer);
        // A close that was on its way would have come with the answer.
        setTimeout(() => resolve(closedYet), 100);
      }
    });
  });
  socket.on("error", () => {});
  for (const piece of Array.isArray(bytes) ? bytes : [bytes]) {
    socket.write(piece);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const closed = await ended;
  socket.destroy();
  return { text: Buffer.concat(chunks).toString("utf8"), closed };
}

function bodies(text: string): string[] {
  return [...text.matchAll(/\r\n\r\n(\{[^\r]*?\})(?=HTTP\/1\.1|$)/g)].map((m) => m[1]!);
}

describe("the HTTP/1.1 layer", () => {
  let running: Running;
  before(async () => {
    running = await start();
  });
  after(() => running.server.close());

  test("reads a Content-Length body and answers with Date and Content-Length in one response", async () => {
    const { text } = await exchange(running.port, "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello");
    assert.match(text, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(text, /\r\nDate: \w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT\r\n/);
    assert.match(text, /\r\nConnection: close\r\n/);
    const json = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as { url: string; body: string };
    assert.deepEqual([json.url, json.body], ["/a?x=1", "hello"]);
    assert.equal(Number(/Content-Length: (\d+)/.exec(text)![1]), Buffer.byteLength(text.slice(text.indexOf("\r\n\r\n") + 4)));
  });

  test("decodes a chunked body with extensions and trailers, even when it arrives in pieces", async () => {
    const { text } = await exchange(running.port, [
      "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
      "3;ext=1\r\nhel\r\n",
      "2\r\nlo\r\n0\r\nTrailer: x\r\n\r\n",
    ]);
    assert.equal(JSON.parse(bodies(text)[0]!).body, "hello");
  });

  test("answers pipelined requests in order on one connection", async () => {
    const one = "POST /1 HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\na";
    const two = "POST /2 HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nConnection: close\r\n\r\nb";
    const { text, closed } = await exchange(running.port, one + two);
    assert.deepEqual(
      bodies(text).map((b) => (JSON.parse(b) as { url: string }).url),
      ["/1", "/2"],
    );
    assert.equal(closed, true);
  });

  test("sends 100 Continue before reading a body the client holds back", async () => {
    const { text } = await exchange(running.port, [
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n",
      "ok",
    ]);
    assert.match(text, /^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  });

  test("skips a small body the handler did not read and serves the next request", async () => {
    const { text } = await exchange(
      running.port,
      "POST /no-read HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n0123456789POST /after HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert.equal(text.match(/HTTP\/1\.1 200 OK/g)?.length, 2, text);
    assert.match(text, /"url":"\/after"/);
  });

  test("keeps an HTTP/1.0 connection only when asked to", async () => {
    const plain = await exchange(running.port, "GET /x HTTP/1.0\r\n\r\n");
    assert.equal(plain.closed, true);
    assert.match(plain.text, /\r\nConnection: close\r\n/);
    const kept = await exchange(running.port, "GET /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", (text) => text.endsWith('"body":""}'));
    assert.equal(kept.closed, false);
    assert.match(kept.text, /\r\nConnection: keep-alive\r\n/);
  });

  test("reads header values as UTF-8", async () => {
    const { text } = await exchange(
      running.port,
      Buffer.from('GET / HTTP/1.1\r\nHost: h\r\nX-Lk-Mock: {"name":"é"}\r\nConnection: close\r\n\r\n', "utf8"),
    );
    assert.equal(JSON.parse(bodies(text)[0]!).mock, '{"name":"é"}');
  });

  test("joins a folded header line to the field before with one space, as Go does", async () => {
    const { text } = await exchange(running.port, 'GET / HTTP/1.1\r\nHost: h\r\nX-Lk-Mock: {"a":\r\n \t 1}\r\nConnection: close\r\n\r\n');
    assert.equal(JSON.parse(bodies(text)[0]!).mock, '{"a": 1}');
  });

  test("refuses what it cannot read with a reason, then closes", async () => {
    const cases: [string, RegExp][] = [
      ["NOT HTTP\r\n\r\n", /^HTTP\/1\.1 400 Bad Request[\s\S]*malformed request line/],
      ["GET / HTTP/1.1\r\n\r\n", /^HTTP\/1\.1 400 [\s\S]*missing required Host header/],
      ["GET / HTTP/2.0\r\nHost: h\r\n\r\n", /^HTTP\/1\.1 505 HTTP Version Not Supported/],
      ["GET / HTTP/1.1\r\nHost: h\r\nBad Header: x\r\n\r\n", /^HTTP\/1\.1 400 [\s\S]*invalid header name/],
      ["GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", /^HTTP\/1\.1 400 [\s\S]*conflicting Content-Length/],
      [
        "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip\r\n\r\n",
        /^HTTP\/1\.1 501 Not Implemented[\s\S]*unsupported Transfer-Encoding/,
      ],
      ["GET / HTTP/1.1\r\nHost: h\r\nExpect: magic\r\n\r\n", /^HTTP\/1\.1 417 Expectation Failed/],
      ["GET / HTTP/1.1\r\n folded\r\nHost: h\r\n\r\n", /^HTTP\/1\.1 400 [\s\S]*a header line begins with a space/],
    ];
    for (const [request, expected] of cases) {
      const { text, closed } = await exchange(running.port, request);
      assert.match(text, expected, JSON.stringify(request));
      assert.equal(closed, true, JSON.stringify(request));
    }
  });

  test("a broken chunked body is refused to the handler and ends the connection", async () => {
    const { text, closed } = await exchange(running.port, "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n");
    assert.match(text, /refused: the chunked request body is malformed: invalid byte 0x7a in a chunk size/);
    assert.equal(closed, true);
  });
});

describe("the HTTP/1.1 layer's limits", () => {
  let running: Running;
  before(async () => {
    running = await start({ headerBytes: 1024, bodyBytes: 16, idleMs: 300, headersMs: 300, bodyMs: 300 });
  });
  after(() => running.server.close());

  test("headers over the limit are refused with 431 naming it", async () => {
    const { text, closed } = await exchange(running.port, `GET / HTTP/1.1\r\nHost: h\r\nX-Big: ${"b".repeat(2000)}\r\n\r\n`);
    assert.match(text, /^HTTP\/1\.1 431 Request Header Fields Too Large[\s\S]*exceed the 1024-byte limit/);
    assert.equal(closed, true);
  });

  test("a body over the limit is refused to the handler without being read, and a large one ends the connection", async () => {
    const { text, closed } = await exchange(running.port, "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 300000\r\n\r\n");
    assert.match(text, /refused: the request body exceeds the 16-byte limit/);
    assert.match(text, /Connection: close/);
    assert.equal(closed, true);
  });

  test("a connection that never sends a byte is closed after the idle time", async () => {
    // Closed at all is the point: without the 300 ms limit nothing would close it for a minute.
    const { text, closed } = await exchange(running.port, []);
    assert.equal(closed, true);
    assert.equal(text, "");
  });

  test("a head that never completes is closed after the header time", async () => {
    const { closed } = await exchange(running.port, "GET / HTTP/1.1\r\nHost: h\r\n");
    assert.equal(closed, true);
  });

  test("a body the handler did not read, and the client never sends, does not hold the connection forever", async () => {
    const { text, closed } = await exchange(running.port, "POST /no-read HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\n");
    assert.match(text, /^HTTP\/1\.1 200 OK/);
    assert.equal(closed, true);
  });

  test("a client that keeps sending after an answer that closed its connection is cut off after the idle time", async () => {
    const socket = connect({ host: "127.0.0.1", port: running.port, allowHalfOpen: true });
    socket.on("data", () => {});
    const ended = new Promise((resolve) => socket.once("end", resolve));
    // A write to a socket the server has closed is answered with a reset: that is how it shows.
    const cutOff = new Promise((resolve) => {
      socket.once("error", resolve);
      socket.once("close", resolve);
    });
    socket.write("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
    await ended;
    const timer = setInterval(() => socket.write("more"), 50);
    const outcome = await Promise.race([cutOff.then(() => "cut off"), new Promise((resolve) => setTimeout(resolve, 20_000, "still open"))]);
    clearInterval(timer);
    socket.destroy();
    assert.equal(outcome, "cut off");
  });

  test("a connection kept alive after an answer is closed once idle", async () => {
    const { text, closed } = await exchange(running.port, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
    assert.match(text, /^HTTP\/1\.1 200 OK/);
    assert.equal(closed, true);
  });
});
