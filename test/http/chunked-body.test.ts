// Chunked request bodies (docs/spec/http.md#chunked): framing as strict as both Go's and llhttp's
// readers, memory within a small multiple of the body, and the same answer however TCP cut it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import fc from "fast-check";
import type { ConnectionHandlers } from "../../src/http/connection.js";
import { piecesOf, startPacedServer, type PacedServer } from "./paced-connection.js";

let heapAtBody = 0;
const handlers: ConnectionHandlers = {
  request(req, res) {
    req.body().then(
      (body) => {
        const memory = process.memoryUsage();
        heapAtBody = memory.heapUsed + memory.arrayBuffers;
        res.send(200, {}, `read ${body.length}: ${body.toString("latin1").slice(0, 40)}`);
      },
      (err: Error) => res.send(400, {}, `refused: ${err.message}`),
    );
  },
  refused(problem, res) {
    res.send(problem.status, {}, `refused: ${problem.reason}`);
  },
};

const head = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n";

describe("a chunked request body", () => {
  let server: PacedServer;
  before(async () => {
    server = await startPacedServer({}, handlers);
  });
  after(() => server.close());

  test("of 500,000 one-byte chunks is read in memory within a small multiple of its size", async () => {
    const chunks = 500_000;
    const wire = Buffer.from(head + "1\r\nx\r\n".repeat(chunks) + "0\r\n\r\n", "latin1");
    const memory = process.memoryUsage();
    const before = memory.heapUsed + memory.arrayBuffers;
    const reply = await server.exchange(piecesOf(wire, 64 * 1024));
    assert.match(reply.text, new RegExp(`read ${chunks}: x{40}$`));
    // The wire bytes themselves (3 MB, read in 64 KB packets) may not be collected yet.
    const grown = heapAtBody - before;
    assert.ok(grown < 4 * chunks + wire.length, `memory grew by ${Math.round(grown / 1e6)} MB for a ${chunks / 1e6} MB body`);
  });

  for (const [what, sizeLine] of [
    ["a leading space", " 5"],
    ["a leading tab", "\t5"],
    ["a leading vertical tab", "\x0b5"],
    ["a leading form feed", "\x0c5"],
    ["a leading no-break space", "\xa05"],
    ["a trailing space", "5 "],
    ["a space before its extension", "5 ;a=b"],
    ["a 0x prefix", "0x5"],
    ["seventeen digits", "00000000000000005"],
  ]) {
    test(`refuses a chunk size with ${what}`, async () => {
      const reply = await server.exchange([`${head}${sizeLine}\r\nhello\r\n0\r\n\r\n`]);
      assert.match(reply.text, /^HTTP\/1\.1 400 [^]*refused: the chunked request body is malformed: /);
      assert.equal(reply.closed, true);
    });
  }

  for (const [what, body] of [
    ["a bare LF after a chunk size", "5\nhello\r\n0\r\n\r\n"],
    ["a bare LF after chunk data", "5\r\nhello\n0\r\n\r\n"],
    ["a bare LF after the last chunk", "5\r\nhello\r\n0\n\r\n"],
    ["a bare LF ending the trailers", "5\r\nhello\r\n0\r\n\n"],
    ["a trailer line that is a request line", "5\r\nhello\r\n0\r\nGET /x HTTP/1.1\r\n\r\n"],
    ["a trailer line without a colon", "5\r\nhello\r\n0\r\nnot a field\r\n\r\n"],
    ["a folded trailer line", "5\r\nhello\r\n0\r\nX-T: 1\r\n 2\r\n\r\n"],
    ["a trailer ending in a bare LF", "5\r\nhello\r\n0\r\nX-T: 1\n\r\n"],
    ["a Content-Length trailer", "5\r\nhello\r\n0\r\nContent-Length: 5\r\n\r\n"],
    ["a control byte in an extension", "5;a\x01\r\nhello\r\n0\r\n\r\n"],
    ["an empty extension", "5;\r\nhello\r\n0\r\n\r\n"],
    ["a 5,000-byte chunk extension", `5;${"x".repeat(5000)}\r\nhello\r\n0\r\n\r\n`],
  ]) {
    test(`refuses ${what}`, async () => {
      const reply = await server.exchange([head + body]);
      assert.match(reply.text, /^HTTP\/1\.1 400 [^]*refused: the chunked request body is malformed: /);
      assert.equal(reply.closed, true);
    });
  }

  test("accepts the empty extension names and values Go and llhttp both read", async () => {
    for (const extension of [";=x", ";;a", ";a=", ";n=;m=2", ';a=""']) {
      const reply = await server.exchange([`${head}5${extension}\r\nhello\r\n0\r\n\r\n`], { end: true });
      assert.match(reply.text, /^HTTP\/1\.1 200 [^]*read 5: hello$/, extension);
    }
  });

  test("refuses an extension list that ends with a semicolon, as llhttp does", async () => {
    for (const extension of [";a;", ";a=b;", ";a=;"]) {
      const reply = await server.exchange([`${head}5${extension}\r\nhello\r\n0\r\n\r\n`]);
      assert.match(reply.text, /^HTTP\/1\.1 400 [^]*chunk extension/, extension);
    }
  });

  test("accepts extensions, quoted ones included, and trailer fields", async () => {
    const body = '5;a=b;c="d e"\r\nhello\r\n6;x\r\n world\r\n0;end=1\r\nX-Trailer: yes\r\nX-Other: 1\r\n\r\n';
    const reply = await server.exchange([head + body + "GET /next HTTP/1.1\r\nHost: h\r\n\r\n"]);
    assert.match(reply.text, /^HTTP\/1\.1 200 [^]*read 11: hello world[^]*HTTP\/1\.1 200 [^]*read 0: $/);
  });

  test("with a 5,000-byte chunk extension gets the same answer in one write and in 1,000-byte writes", async () => {
    const wire = `${head}5;${"x".repeat(5000)}\r\nhello\r\n0\r\n\r\n`;
    const whole = await server.exchange([wire]);
    const cut = await server.exchange(piecesOf(wire, 1000));
    assert.equal(strip(cut.text), strip(whole.text));
    assert.equal(cut.closed, whole.closed);
  });
});

/** The answers without their Date headers. */
function strip(text: string): string {
  return text.replace(/\r\nDate: [^\r]*/g, "");
}

describe("the same request bytes cut anywhere", () => {
  let server: PacedServer;
  before(async () => {
    server = await startPacedServer({ headerBytes: 2048, bodyBytes: 4096 }, handlers);
  });
  after(() => server.close());

  const requests = fc.oneof(
    fc.constantFrom(
      `${head}5;${"x".repeat(4092)}\r\nhello\r\n0\r\n\r\n`,
      `${head}5;${"x".repeat(5000)}\r\nhello\r\n0\r\n\r\n`,
      `${head}5;${"x".repeat(4093)}\r\nhello\r\n0\r\n\r\n`,
      `${head}1000\r\n${"y".repeat(4096)}\r\n1\r\nz\r\n0\r\n\r\n`,
      `${head}5\r\nhello\r\n0\r\nX-T: ${"t".repeat(4100)}\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ${"p".repeat(2000)}\r\n\r\n`,
      `GET / HTTP/1.1\r\nHost: h\r\nX-Pad: ${"p".repeat(2020)}\r\n\r\n`,
      `${"\r\n".repeat(1000)}GET / HTTP/1.1\r\nHost: h\r\n\r\n`,
      `${"\r\n".repeat(1010)}GET / HTTP/1.1\r\nHost: h\r\n\r\n`,
      "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhelloGET /two HTTP/1.1\r\nHost: h\r\n\r\n",
    ),
    fc
      .array(fc.tuple(fc.integer({ min: 1, max: 300 }), fc.string({ maxLength: 6, unit: fc.constantFrom("a", ";", "=", '"', " ") })), {
        maxLength: 20,
      })
      .map((chunks) => head + chunks.map(([size, ext]) => `${size.toString(16)}${ext}\r\n${"d".repeat(size)}\r\n`).join("") + "0\r\n\r\n"),
  );

  test("get the same answer", async () => {
    await fc.assert(
      fc.asyncProperty(requests, fc.array(fc.nat(), { maxLength: 6 }), async (request, cuts) => {
        const wire = Buffer.from(request, "latin1");
        const at = [...new Set(cuts.map((c) => c % wire.length))].sort((a, b) => a - b);
        const pieces = [0, ...at].map((from, i) => wire.subarray(from, i < at.length ? at[i] : wire.length)).filter((p) => p.length > 0);
        const whole = await server.exchange([wire], { end: true });
        const cut = await server.exchange(pieces, { end: true });
        assert.equal(strip(cut.text), strip(whole.text));
        assert.equal(cut.closed, whole.closed);
      }),
      { numRuns: 60 },
    );
  });
});
