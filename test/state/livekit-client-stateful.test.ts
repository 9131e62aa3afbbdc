// The published livekit-client (headless Chromium, its SignalClient) joining a world: the API
// lists it, what the API changes reaches its handlers, and its removal ends its session with the
// leave it expects.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RoomServiceClient } from "livekit-server-sdk";
import { browserSkip, useChromiumPage } from "../signal/chromium-page.js";
import { useServer } from "../support/server.js";
import { signToken, testApiKey, testSecret } from "../support/tokens.js";

// The page side is plain JavaScript run by the browser.
type Lk = Record<string, any>;

describe("livekit-client's SignalClient in a world", { skip: browserSkip }, () => {
  const server = useServer({ stateful: "browser" });
  const browser = useChromiumPage();

  test("its join is listed by ListParticipants, UpdateParticipant reaches onParticipantUpdate, RemoveParticipant its onLeave and onClose", async () => {
    const rooms = new RoomServiceClient(server.url(), testApiKey, testSecret);
    const token = await signToken({ identity: "page", name: "Page", video: { roomJoin: true, room: "browser-room" } });
    const joined = await browser.page.evaluate(
      async ({ url, token }) => {
        const lk = (globalThis as unknown as { LivekitClient: Lk }).LivekitClient;
        const client = new new lk["Room"]().engine.client.constructor();
        const seen: { updates: unknown[]; leave?: unknown; closed?: string } = { updates: [] };
        (globalThis as unknown as { seen: typeof seen }).seen = seen;
        client.onParticipantUpdate = (participants: any[]) => seen.updates.push(...participants.map((p) => p.toJson()));
        client.onLeave = (leave: any) => (seen.leave = leave.toJson());
        client.onClose = (reason: string) => (seen.closed = reason);
        const join = await client.join(url, token, { autoSubscribe: true, maxRetries: 0, e2eeEnabled: false, websocketTimeout: 5_000 });
        return { room: join.room.name, identity: join.participant.identity, sid: join.participant.sid };
      },
      { url: server.url().replace(/^http/, "ws"), token },
    );
    assert.equal(joined.room, "browser-room");
    const listed = await rooms.listParticipants("browser-room");
    assert.deepEqual(
      listed.map((p) => [p.identity, p.name, p.sid]),
      [["page", "Page", joined.sid]],
    );

    await rooms.updateParticipant("browser-room", "page", { metadata: "from the API" });
    await rooms.removeParticipant("browser-room", "page");
    const seen = await browser.page.evaluate(
      async ({ waitMs }) => {
        const seen = (globalThis as unknown as { seen: { updates: unknown[]; leave?: unknown; closed?: string } }).seen;
        const deadline = Date.now() + waitMs;
        while ((seen.leave === undefined || seen.closed === undefined) && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 20));
        return seen;
      },
      { waitMs: 5_000 },
    );
    assert.deepEqual(
      (seen.updates as { identity: string; metadata?: string }[]).map((p) => [p.identity, p.metadata]),
      [["page", "from the API"]],
    );
    assert.equal((seen.leave as { reason: string }).reason, "PARTICIPANT_REMOVED");
    assert.notEqual(seen.closed, undefined);
    assert.deepEqual(await rooms.listParticipants("browser-room"), []);
  });
});
