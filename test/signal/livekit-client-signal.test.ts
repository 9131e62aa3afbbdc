// The published livekit-client in headless Chromium at the SignalClient level (the layer its own
// e2e suite tests), driven by lk.mock scripts, replies and join shaping, and checked through the
// signal journal: each scripted message fires the client's handler with the scripted content, a
// leave with RECONNECT makes the engine reconnect, a reply rule refuses a metadata update, a short
// ping timeout fires as configured, and the journal shows what the client sent.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JsonObject } from "@bufbuild/protobuf";
import { useServer } from "../support/server.js";
import { browserSkip, useChromiumPage } from "./chromium-page.js";
import { mockToken } from "./mock-token.js";
import { calmTokenPlaceholder, recipe } from "./readme-recipe.js";

// The page side is plain JavaScript run by the browser: only what these tests use of livekit-client.
type Lk = Record<string, any>;

let keys = 0;
const newKey = (): string => `browser-${process.pid}-${++keys}`;

describe("livekit-client's SignalClient against scripted signal connections", { skip: browserSkip }, () => {
  const server = useServer();
  const browser = useChromiumPage();
  const wsUrl = (): string => server.url().replace(/^http/, "ws");

  async function journal(key: string): Promise<JsonObject[]> {
    return ((await (await fetch(`${server.url()}/_test/journal/${key}`)).json()) as { entries: JsonObject[] }).entries;
  }

  test("a scripted RoomUpdate, ParticipantUpdate, SpeakersChanged and RefreshToken each fire their handler with the scripted content", async () => {
    const token = await mockToken({
      script: [
        { afterMs: 50, send: { roomUpdate: { room: { sid: "RM_MOCK", name: "my-room", metadata: "round 2", numParticipants: 2 } } } },
        {
          afterMs: 100,
          send: { update: { participants: [{ sid: "PA_BOB", identity: "bob", name: "Bob", state: "ACTIVE", metadata: "hi" }] } },
        },
        { afterMs: 150, send: { speakersChanged: { speakers: [{ sid: "PA_BOB", level: 0.75, active: true }] } } },
        { afterMs: 200, send: { refreshToken: "refreshed-jwt" } },
      ],
    });
    const seen = await browser.page.evaluate(
      async ({ url, token }) => {
        const lk = (globalThis as unknown as { LivekitClient: Lk }).LivekitClient;
        const client = new new lk["Room"]().engine.client.constructor();
        const seen: Record<string, unknown> = {};
        const all = new Promise<void>((resolve) => {
          const done = (): void => {
            if (Object.keys(seen).length === 4) resolve();
          };
          client.onRoomUpdate = (room: any) => ((seen["room"] = room.toJson()), done());
          client.onParticipantUpdate = (participants: any[]) => ((seen["participants"] = participants.map((p) => p.toJson())), done());
          client.onSpeakersChanged = (speakers: any[]) => ((seen["speakers"] = speakers.map((s) => s.toJson())), done());
          client.onTokenRefresh = (refreshed: string) => ((seen["token"] = refreshed), done());
        });
        await client.join(url, token, { autoSubscribe: true, maxRetries: 0, e2eeEnabled: false, websocketTimeout: 5_000 });
        await Promise.race([all, new Promise((resolve) => setTimeout(resolve, 3_000))]);
        await client.close();
        return seen;
      },
      { url: wsUrl(), token },
    );
    assert.deepEqual(seen["room"], { sid: "RM_MOCK", name: "my-room", metadata: "round 2", numParticipants: 2 });
    assert.deepEqual(seen["participants"], [{ sid: "PA_BOB", identity: "bob", name: "Bob", state: "ACTIVE", metadata: "hi" }]);
    assert.deepEqual(seen["speakers"], [{ sid: "PA_BOB", level: 0.75, active: true }]);
    assert.equal(seen["token"], "refreshed-jwt");
  });

  test("a scripted leave with RECONNECT makes the engine reconnect, with the token the server refreshed (a recipe of docs/signal.md)", async () => {
    // The recipe of docs/signal.md: the reconnect uses the refreshed token, whose lk.mock has no leave.
    const key = "leave-reconnect";
    const token = await mockToken(recipe("leave-with-reconnect", { [calmTokenPlaceholder]: await mockToken({ journal: key }) }));
    const outcome = await browser.page.evaluate(
      async ({ url, token }) => {
        const lk = (globalThis as unknown as { LivekitClient: Lk }).LivekitClient;
        const engine = new lk["Room"]().engine;
        const events: string[] = [];
        for (const name of ["Restarting", "SignalRestarted", "TokenRefreshed"]) engine.on(lk["EngineEvent"][name], () => events.push(name));
        const restarted = new Promise<void>((resolve) => engine.once(lk["EngineEvent"]["SignalRestarted"], () => resolve()));
        await engine.join(url, token, { autoSubscribe: true, maxRetries: 0, e2eeEnabled: false, websocketTimeout: 5_000 });
        await Promise.race([restarted, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        await engine.close();
        return { events };
      },
      { url: wsUrl(), token },
    );
    assert.ok(outcome.events.includes("Restarting") && outcome.events.includes("SignalRestarted"), JSON.stringify(outcome.events));
    const entries = await journal(key);
    const connections = [...new Set(entries.map((e) => e["connection"]))];
    assert.ok(connections.length >= 2, `${connections.length} connections in the journal`);
    const [first, second] = connections.map((c) => entries.filter((e) => e["connection"] === c));
    // On the first connection the client said goodbye before reconnecting; the second joined afresh.
    assert.ok(first!.some((e) => e["event"] === "request" && "leave" in (e["request"] as JsonObject)));
    assert.deepEqual(
      second!.filter((e) => e["event"] === "connected" || e["event"] === "joined").map((e) => [e["event"], e["reconnect"] ?? e["sent"]]),
      [
        ["connected", false],
        ["joined", "join"],
      ],
    );
  });

  test("a reply rule makes a metadata update, sent with sendUpdateLocalMetadata, fail with the scripted reason (a recipe of docs/signal.md)", async () => {
    const token = await mockToken({
      replies: { updateMetadata: { requestResponse: { reason: "NOT_ALLOWED", message: "metadata is locked" } } },
    });
    const outcome = await browser.page.evaluate(
      async ({ url, token }) => {
        const lk = (globalThis as unknown as { LivekitClient: Lk }).LivekitClient;
        // The client's own path: LocalParticipant.setMetadata sends with the signal client's
        // sendUpdateLocalMetadata and settles on the RequestResponse carrying that request's id.
        const room = new lk["Room"]();
        await room.engine.join(url, token, { autoSubscribe: true, maxRetries: 0, e2eeEnabled: false, websocketTimeout: 5_000 });
        try {
          await room.localParticipant.setMetadata("new metadata");
          return { rejected: false };
        } catch (e) {
          const err = e as { name: string; message: string; reason: unknown };
          return { rejected: true, name: err.name, message: err.message, reason: err.reason };
        } finally {
          await room.engine.close();
        }
      },
      { url: wsUrl(), token },
    );
    assert.deepEqual(outcome, { rejected: true, name: "SignalRequestError", message: "metadata is locked", reason: 2 /* NOT_ALLOWED */ });
  });

  test("no_pong with a short pingTimeout: the client gives up after the configured time, pinging at the configured interval", async () => {
    const key = newKey();
    const token = await mockToken({ signal: "no_pong", pingInterval: 1, pingTimeout: 2, journal: key });
    const outcome = await browser.page.evaluate(
      async ({ url, token }) => {
        const lk = (globalThis as unknown as { LivekitClient: Lk }).LivekitClient;
        const client = new new lk["Room"]().engine.client.constructor();
        const closed = new Promise<string>((resolve) => (client.onClose = resolve));
        await client.join(url, token, { autoSubscribe: true, maxRetries: 0, e2eeEnabled: false, websocketTimeout: 5_000 });
        const joinedAt = performance.now();
        const reason = await Promise.race([closed, new Promise<string>((resolve) => setTimeout(() => resolve("no timeout"), 6_000))]);
        const afterMs = performance.now() - joinedAt;
        await client.close();
        return { reason, afterMs };
      },
      { url: wsUrl(), token },
    );
    assert.equal(outcome.reason, "ping timeout");
    assert.ok(
      outcome.afterMs >= 1_950 && outcome.afterMs < 2_800,
      `timed out ${outcome.afterMs.toFixed(0)} ms after the join; configured 2000`,
    );
    // Each ping interval the client sends a ping and a ping_req; the journal shows them a second apart.
    const pings = (await journal(key)).filter((e) => e["event"] === "request" && "ping" in (e["request"] as JsonObject));
    assert.ok(pings.length >= 1, "the client pinged");
    const joined = (await journal(key)).find((e) => e["event"] === "joined")!;
    const first = (pings[0]!["sinceUpgradeMs"] as number) - (joined["sinceUpgradeMs"] as number);
    assert.ok(first >= 950 && first < 1_500, `first ping ${first.toFixed(0)} ms after the join; configured 1000`);
  });

  test("the journal shows the client's leave when it disconnects as a Room does, and its close code on a bare close", async () => {
    const [leaving, closing] = [newKey(), newKey()];
    const tokens = { leaving: await mockToken({ journal: leaving }), closing: await mockToken({ journal: closing }) };
    await browser.page.evaluate(
      async ({ url, tokens }) => {
        const lk = (globalThis as unknown as { LivekitClient: Lk }).LivekitClient;
        const options = { autoSubscribe: true, maxRetries: 0, e2eeEnabled: false, websocketTimeout: 5_000 };
        const first = new new lk["Room"]().engine.client.constructor();
        await first.join(url, tokens.leaving, options);
        // Room.disconnect: a leave, then the close.
        await first.sendLeave();
        await first.close();
        const second = new new lk["Room"]().engine.client.constructor();
        await second.join(url, tokens.closing, options);
        await second.close();
      },
      { url: wsUrl(), tokens },
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const left = await journal(leaving);
    const leave = left.find((e) => e["event"] === "request" && "leave" in (e["request"] as JsonObject));
    assert.deepEqual(leave?.["request"], { leave: { reason: "CLIENT_INITIATED" } });
    assert.deepEqual(
      left.filter((e) => e["event"] === "closed").map((e) => [e["by"], e["code"]]),
      [["server", 1000]],
    );
    const closed = (await journal(closing)).filter((e) => e["event"] === "closed");
    assert.deepEqual(
      closed.map((e) => [e["by"], e["code"], e["reason"]]),
      [["client", 1000, "Close method called on signal client"]],
    );
  });
});
