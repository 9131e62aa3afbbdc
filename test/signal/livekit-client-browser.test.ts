// The published livekit-client in headless Chromium against the signal mock: the browser's own
// WebSocket and fetch, not ours. Skipped unless Chromium (Debian package `chromium`) and the npm
// packages `playwright-core` and `livekit-client` are installed; nothing is downloaded.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { useServer } from "../support/server.js";
import { mockToken } from "./mock-token.js";

const chromiumPath = "/usr/bin/chromium";
const chromiumFlags = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// Only what this file uses of playwright-core, which is optional and so not imported by name.
interface Page {
  addScriptTag(options: { path: string }): Promise<unknown>;
  evaluate<R, A>(fn: (arg: A) => Promise<R>, arg: A): Promise<R>;
}
interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Chromium {
  launchPersistentContext(dir: string, options: { executablePath: string; headless: boolean; args: string[] }): Promise<BrowserContext>;
}

async function prerequisites(): Promise<{ chromium: Chromium; bundle: string } | string> {
  if (!existsSync(chromiumPath)) return `${chromiumPath} is missing (apt-get install -y chromium)`;
  try {
    const bundle = createRequire(import.meta.url).resolve("livekit-client");
    const name = "playwright-core";
    const { chromium } = (await import(name)) as { chromium: Chromium };
    return { chromium, bundle };
  } catch {
    return "playwright-core or livekit-client is not installed (npm install -D playwright-core livekit-client)";
  }
}

const found = await prerequisites();
const skip = typeof found === "string" ? `skipped: ${found}` : false;

interface Outcome {
  readonly events: string[];
  readonly error?: { name: string; reason: number; status: number | undefined; message: string };
  readonly roomName: string;
  readonly identity: string;
}

describe("livekit-client in headless Chromium", { skip }, () => {
  const server = useServer();
  let context: BrowserContext | undefined;
  let page: Page;
  let profile: string;

  before(async () => {
    if (typeof found === "string") return;
    profile = mkdtempSync(join(tmpdir(), "lk-chromium-"));
    context = await found.chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumFlags });
    page = await context.newPage();
    await page.addScriptTag({ path: found.bundle });
  });

  after(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });

  async function connect(token: string): Promise<Outcome> {
    return page.evaluate(
      async ({ url, token }) => {
        const lk = (globalThis as unknown as { LivekitClient: Record<string, any> }).LivekitClient;
        const room = new lk["Room"]();
        const events: string[] = [];
        for (const event of ["SignalConnected", "Connected", "Disconnected"]) room.on(lk["RoomEvent"][event], () => events.push(event));
        try {
          await room.connect(url, token, { peerConnectionTimeout: 1_500, websocketTimeout: 5_000 });
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
