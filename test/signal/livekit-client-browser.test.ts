// The published livekit-client in headless Chromium against the signal mock, at the Room level:
// connect, and the failures a client must classify (chromium-page.ts says when it is skipped).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { useServer } from "../support/server.js";
import { browserSkip, useChromiumPage } from "./chromium-page.js";
import { mockToken } from "./mock-token.js";

interface Outcome {
  readonly events: string[];
  readonly error?: { name: string; reason: number; status: number | undefined; message: string };
  readonly roomName: string;
  readonly identity: string;
}

describe("livekit-client in headless Chromium", { skip: browserSkip }, () => {
  const server = useServer();
  const browser = useChromiumPage();

  async function connect(token: string): Promise<Outcome> {
    return browser.page.evaluate(
      async ({ url, token }) => {
        const lk = (globalThis as unknown as { LivekitClient: Record<string, any> }).LivekitClient;
        const room = new lk["Room"]();
        const events: string[] = [];
        for (const event of ["SignalConnected", "Connected", "Disconnected"]) room.on(lk["RoomEvent"][event], () => events.push(event));
        try {
          await room.connect(url, token, { peerConnectionTimeout: 1_500, websocketTimeout: 15_000 });
          return { events, roomName: room.name, identity: room.localParticipant.identity };
        } catch (e) {
          const err = e as { name: string; reason: number; status?: number; message: string };
          return {
            events,
            error: { name: err.name, reason: err.reason, status: err.status, message: err.message },
            roomName: room.name,
            identity: room.localParticipant.identity,
          };
        } finally {
          await room.disconnect();
        }
      },
      { url: server.url().replace(/^http/, "ws"), token },
    );
  }

  test("happy: the client receives the join, then fails at WebRTC because no answer ever comes", async () => {
    const outcome = await connect(await mockToken({ signal: "happy" }));
    assert.ok(outcome.events.includes("SignalConnected"), JSON.stringify(outcome));
    assert.equal(outcome.roomName, "my-room");
    assert.equal(outcome.identity, "alice");
    assert.equal(outcome.error?.name, "ConnectionError", JSON.stringify(outcome));
    assert.equal(outcome.error?.reason, 2 /* ConnectionErrorReason.InternalError */);
    assert.match(outcome.error?.message ?? "", /could not establish pc connection/);
    assert.ok(!outcome.events.includes("Connected"));
  });

  test("room_not_found: the client reports ConnectionError NotAllowed with the validate body", async () => {
    const outcome = await connect(await mockToken({ signal: "room_not_found" }));
    assert.equal(outcome.error?.name, "ConnectionError", JSON.stringify(outcome));
    assert.equal(outcome.error?.reason, 0 /* ConnectionErrorReason.NotAllowed */);
    assert.equal(outcome.error?.status, 404);
    assert.match(outcome.error?.message ?? "", /requested room does not exist/);
    assert.ok(!outcome.events.includes("SignalConnected"));
  });

  test("a bad token: the client reports ConnectionError NotAllowed with status 401", async () => {
    const outcome = await connect(await mockToken({ signal: "happy" }, { secret: "wrong" }));
    assert.equal(outcome.error?.name, "ConnectionError", JSON.stringify(outcome));
    assert.equal(outcome.error?.reason, 0);
    assert.equal(outcome.error?.status, 401);
  });
});
