// The benchmark's `http-layer` rows compare the same handlers on src/http/ and on node:http
// (bench/node-http-server.ts). Those rows mean something only if both answer the benchmarked
// requests alike, so each is sent to both here; so are the upgrade and refusal paths the adapter
// handles on its own.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { WebSocket } from "ws";
import { createNodeHttpServer } from "../../bench/node-http-server.js";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { answersIn, rawExchange } from "../support/raw-http.js";
import { signToken } from "../support/tokens.js";

const config = { ports: [0, 0], bind: "127.0.0.1", logLevel: "silent" as const };
let ours: RunningServer;
let onNode: RunningServer;

before(async () => {
  ours = await startServer(config);
  onNode = await startServer(config, undefined, createNodeHttpServer);
});
after(async () => {
  await Promise.all([ours.close(), onNode.close()]);
});

interface Answer {
  readonly status: number;
  readonly contentType: string | null;
  readonly body: string;
}

async function ask(server: RunningServer, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${server.url(0)}${path}`, init);
  return { status: res.status, contentType: res.headers.get("content-type"), body: await res.text() };
}

async function askBoth(path: string, init: RequestInit = {}): Promise<[Answer, Answer]> {
  return [await ask(ours, path, init), await ask(onNode, path, init)];
}

describe("our handlers mounted on node:http", () => {
  test("answer GET /settings/regions with every region of their own server", async () => {
    const [a, b] = await askBoth("/settings/regions");
    assert.equal(b.status, 200);
    assert.equal(b.contentType, a.contentType);
    const urls = (answer: Answer): string[] => (JSON.parse(answer.body) as { regions: { url: string }[] }).regions.map((r) => r.url);
    assert.deepEqual(urls(a), [ours.url(0), ours.url(1)]);
    assert.deepEqual(urls(b), [onNode.url(0), onNode.url(1)]);
  });

  test("answer CreateRoom with a valid token as our own HTTP layer does", async () => {
    const token = await signToken({ video: { roomCreate: true } });
    const init = {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
      body: JSON.stringify({ name: "bench-room", metadata: "m", emptyTimeout: 30 }),
    };
    const [a, b] = await askBoth("/twirp/livekit.RoomService/CreateRoom", init);
    assert.equal(b.status, 200);
    const room = (answer: Answer): Record<string, unknown> => JSON.parse(answer.body) as Record<string, unknown>;
    assert.deepEqual(Object.keys(room(b)).sort(), Object.keys(room(a)).sort());
    assert.equal(room(b).name, "bench-room");
  });

  test("answer a failing region with the same 503 and body", async () => {
    const init = {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Lk-Mock": JSON.stringify({ skipAuth: true, failRegions: [0] }) },
      body: "{}",
    };
    const [a, b] = await askBoth("/twirp/livekit.RoomService/ListRooms", init);
    assert.equal(b.status, 503);
    assert.deepEqual(b, a);
  });

  test("answer an unknown path with Go's 404 page", async () => {
    const [a, b] = await askBoth("/no/such/path");
    assert.equal(b.status, 404);
    assert.deepEqual(b, a);
  });

  test("refuse a target with a broken percent-escape as our own HTTP layer does", async () => {
    const request = "GET /settings%zzregions HTTP/1.1\r\nHost: x\r\n\r\n";
    const [a, b] = await Promise.all([ours, onNode].map((server) => rawExchange(server.regions[0]!.port, request)));
    const [answerA] = answersIn(a!.text);
    const [answerB] = answersIn(b!.text);
    assert.equal(answerB?.status, 400);
    assert.equal(answerB?.body, answerA?.body);
  });

  test("hand a signal upgrade over to the WebSocket endpoint, which sends its first message", async () => {
    const token = await signToken({ identity: "adapter", video: { roomJoin: true, room: "bench-room" } });
    const ws = new WebSocket(`${onNode.url(0).replace("http:", "ws:")}/rtc?access_token=${token}`);
    try {
      const first = await new Promise<boolean>((resolve, reject) => {
        ws.once("message", (_data, isBinary) => resolve(isBinary));
        ws.once("error", reject);
        ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
      });
      assert.equal(first, true);
    } finally {
      ws.terminate();
    }
  });
});
