// One log line per request naming why the mock answered what it did; nothing when silent.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createLogger } from "../../src/server/request-log.js";
import { startServer } from "../../src/server/start-server.js";

async function logLinesOf(level: "silent" | "info", format: "text" | "json", requests: (base: string) => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const server = await startServer(
    { ports: [0, 0], bind: "127.0.0.1" },
    createLogger(level, format, (line) => void lines.push(line)),
  );
  try {
    await requests(server.url(0));
  } finally {
    await server.close();
  }
  return lines;
}

const listRooms = (base: string, headers: Record<string, string>): Promise<Response> =>
  fetch(`${base}/twirp/livekit.RoomService/ListRooms`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: "{}",
  });

describe("the request log", () => {
  test("a failed region produces a line naming the region, status, code and failRegions", async () => {
    const lines = await logLinesOf("info", "text", async (base) => {
      await listRooms(base, { "X-Lk-Mock": '{"skipAuth":true,"failRegions":[0]}' });
    });
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /^region-0 livekit\.RoomService\/ListRooms 503 unavailable \d+ms failRegions includes 0\n$/);
  });

  test("a 403 produces a line naming the missing grant", async () => {
    const { signToken } = await import("../support/tokens.js");
    const token = await signToken({ video: { roomAdmin: true } });
    const lines = await logLinesOf("info", "text", async (base) => {
      await listRooms(base, { Authorization: `Bearer ${token}` });
    });
    assert.match(lines[0]!, /403 permission_denied .*token lacks video\.roomList/);
  });

  test("json format writes one parseable object per request", async () => {
    const lines = await logLinesOf("info", "json", async (base) => {
      await listRooms(base, { "X-Lk-Mock": '{"skipAuth":true,"pinnedRegions":["region-1"]}' });
    });
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    assert.equal(entry["region"], "region-0");
    assert.equal(entry["target"], "livekit.RoomService/ListRooms");
    assert.equal(entry["status"], 451);
    assert.equal(entry["why"], "pinned to region-1");
  });

  test("silent produces nothing", async () => {
    const lines = await logLinesOf("silent", "text", async (base) => {
      await listRooms(base, { "X-Lk-Mock": '{"skipAuth":true,"failRegions":[0]}' });
      await listRooms(base, {});
    });
    assert.deepEqual(lines, []);
  });
});
