// Request headers on the real server: values are UTF-8 wherever they carry JSON or text, and a
// header block as large as the original accepts (1 MiB) is served, while a larger one gets a Twirp
// error naming the limit.
import assert from "node:assert/strict";
import { connect } from "node:net";
import { describe, test } from "node:test";
import { useServer } from "../support/server.js";

/** Sends raw bytes and returns status, headers and body of the one answer (the request asks to close). */
async function raw(port: number, head: string, body = ""): Promise<{ status: number; head: string; body: string }> {
  const socket = connect({ host: "127.0.0.1", port });
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("error", () => {});
  socket.write(Buffer.from(`${head}Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`, "utf8"));
  await new Promise((resolve) => socket.once("close", resolve));
  const text = Buffer.concat(chunks).toString("utf8");
  const split = text.indexOf("\r\n\r\n");
  return { status: Number(text.slice(9, 12)), head: text.slice(0, split), body: text.slice(split + 4) };
}

const listRooms = "POST /twirp/livekit.RoomService/CreateRoom HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n";

describe("request headers", () => {
  const t = useServer();
  const port = (): number => t.server.regions[0]!.port;

  test("a control header's non-ASCII text arrives as sent, as the original reads it", async () => {
    const reply = await raw(port(), `${listRooms}X-Lk-Mock: {"skipAuth":true,"response":{"name":"é 🚀"}}\r\n`, "{}");
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), { name: "é 🚀" });
  });

  test("legacy headers are UTF-8 too", async () => {
    const reply = await raw(port(), `${listRooms}X-Lk-Mock-Skip-Auth: true\r\nX-Lk-Mock-Response: {"metadata":"ü"}\r\n`, "{}");
    assert.deepEqual(JSON.parse(reply.body), { metadata: "ü" });
  });

  test("a non-ASCII failTwirpCode is answered verbatim", async () => {
    const reply = await raw(port(), `${listRooms}X-Lk-Mock: {"skipAuth":true,"failRegions":[0],"failTwirpCode":"ünavailable"}\r\n`, "{}");
    assert.equal(reply.status, 503);
    assert.equal((JSON.parse(reply.body) as { code: string }).code, "ünavailable");
  });

  test("a token with non-ASCII bytes is an ordinary 401", async () => {
    const reply = await raw(port(), `${listRooms}Authorization: Bearer é.é.é\r\n`, "{}");
    assert.equal(reply.status, 401);
    assert.deepEqual(JSON.parse(reply.body), { code: "unauthenticated", msg: "mock: unauthenticated" });
  });

  test("a header block of nearly 1 MiB is served (a large response override)", async () => {
    const metadata = "m".repeat(1024 * 1024 - 2048);
    const reply = await raw(port(), `${listRooms}X-Lk-Mock: {"skipAuth":true,"response":{"metadata":"${metadata}"}}\r\n`, "{}");
    assert.equal(reply.status, 200);
    assert.equal((JSON.parse(reply.body) as { metadata: string }).metadata.length, metadata.length);
  });

  test("a larger header block is a Twirp error naming the limit", async () => {
    const reply = await raw(port(), `${listRooms}X-Big: ${"b".repeat(1100 * 1024)}\r\n`, "{}");
    assert.equal(reply.status, 431);
    assert.match(reply.head, /\r\nContent-Type: application\/json\r\n/);
    assert.deepEqual(JSON.parse(reply.body), {
      code: "malformed",
      msg: "malformed HTTP request: the request line and headers exceed the 1052672-byte limit",
    });
  });
});
