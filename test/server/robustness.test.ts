// Whatever arrives on a socket, the process keeps serving: garbage bytes, broken request lines,
// clients that vanish halfway through a request.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { describe, it } from "node:test";
import { useServer } from "../support/server.js";
import { get, twirp } from "../support/twirp.js";

/**
 * Writes `bytes`, then collects whatever the server sends until it closes, or until `giveUpMs`
 * pass: bytes that never complete a request head leave the server waiting for more, and there the
 * test accepts an empty answer after 2 s. Everywhere else the server closes, and the generous
 * default only turns a hang into a failure.
 */
function exchange(port: number, bytes: Buffer | string, options: { endAfterWrite?: boolean; giveUpMs?: number } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket: Socket = connect({ host: "127.0.0.1", port });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), options.giveUpMs ?? 30_000);
    socket.on("connect", () => {
      socket.write(bytes);
      if (options.endAfterWrite === true) socket.end();
    });
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      // A reset after the answer is fine: the server may close while we still write.
      if (err.code === "ECONNRESET" || err.code === "EPIPE") return;
      clearTimeout(timer);
      reject(err);
    });
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("latin1"));
    });
  });
}

describe("robustness", () => {
  const t = useServer({ ports: [0, 0] });
  const port = (): number => t.server.regions[0]!.port;
  const stillServing = async (): Promise<void> => {
    assert.equal((await get(t.url(0), "/_test/health")).text, "ok");
    const reply = await twirp(t.url(0), "livekit.RoomService/ListRooms", {});
    assert.deepEqual(reply.json(), { rooms: [{ sid: "MOCK_SID" }] });
  };

  it("survives random bytes on a raw TCP connection and keeps answering", async () => {
    for (let i = 0; i < 5; i++) {
      const answer = await exchange(port(), randomBytes(4096), { giveUpMs: 2000 });
      assert.ok(answer === "" || answer.startsWith("HTTP/1.1 400"), `answer: ${JSON.stringify(answer.slice(0, 40))}`);
    }
    await stillServing();
  });

  it("answers an invalid request line with 400 and keeps answering", async () => {
    const answer = await exchange(port(), "THIS IS NOT HTTP\r\n\r\n");
    assert.match(answer, /^HTTP\/1\.1 400/);
    await stillServing();
  });

  it("survives malformed headers, a bad Content-Length and a broken chunked body", async () => {
    const attacks = [
      "POST /twirp/livekit.RoomService/ListRooms HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n",
      "POST /twirp/livekit.RoomService/ListRooms HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n{}",
      "POST /twirp/livekit.RoomService/ListRooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n",
      `GET /${"a".repeat(20_000)} HTTP/1.1\r\nHost: x\r\nX-Big: ${"b".repeat(100_000)}\r\n\r\n`,
      "\u0000\u0001\u0002\r\n\r\n",
    ];
    for (const attack of attacks) {
      const answer = await exchange(port(), attack, { giveUpMs: 2000 });
      assert.ok(
        answer === "" || /^HTTP\/1\.1 4\d\d/.test(answer),
        `answer to ${JSON.stringify(attack.slice(0, 30))}: ${JSON.stringify(answer.slice(0, 60))}`,
      );
    }
    await stillServing();
  });

  it("survives a client that sends half a request and goes away", async () => {
    const head =
      'POST /twirp/livekit.RoomService/ListRooms HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"na';
    await exchange(port(), head, { endAfterWrite: true });
    const socket = connect({ host: "127.0.0.1", port: port() });
    await new Promise<void>((resolve) => socket.on("connect", () => resolve()));
    socket.write(head);
    socket.destroy();
    await stillServing();
  });

  it("survives a client that connects and closes without a byte", async () => {
    for (let i = 0; i < 10; i++) await exchange(port(), "", { endAfterWrite: true });
    await stillServing();
  });

  it("answers a well-formed raw request, keeping the connection usable for the next one", async () => {
    const body = "{}";
    const request = `POST /twirp/livekit.Nope/Nope HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const answer = await exchange(port(), `${request}${request.replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n")}`);
    assert.equal(answer.match(/HTTP\/1\.1 200 OK/g)?.length, 2, answer);
    assert.match(answer, /X-Lk-Mock-Region: 0/i);
  });

  it("keeps the other regions serving while one is under attack", async () => {
    await Promise.all([exchange(port(), randomBytes(65_536), { giveUpMs: 2000 }), exchange(port(), "GARBAGE\r\n\r\n")]);
    assert.equal((await twirp(t.url(1), "livekit.RoomService/ListRooms", {})).status, 200);
    await stillServing();
  });
});
