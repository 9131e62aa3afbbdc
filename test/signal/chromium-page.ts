// A headless Chromium page with the published livekit-client loaded, for tests of the real client
// against the signal mock: the browser's own WebSocket and fetch, not ours. Skipped unless Chromium
// (Debian package `chromium`) and the npm packages `playwright-core` and `livekit-client` are
// installed (under CI=true a failure instead); nothing is downloaded.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";
import { assertPresent, skipWhenMissing } from "../support/prerequisite.js";

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

// Only what these tests use of playwright-core, which is optional and so not imported by name.
export interface Page {
  addScriptTag(options: { path: string } | { content: string }): Promise<unknown>;
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

/** The `skip` option for a suite that needs the page: false, or why it is skipped. */
export const browserSkip: string | false = skipWhenMissing(typeof found === "string" ? found : undefined);

/** Registers hooks that open one page (with `LivekitClient` global) for the suite; use it in its tests. */
export function useChromiumPage(): { readonly page: Page } {
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let profile: string | undefined;
  before(async () => {
    if (typeof found === "string") return assertPresent(found);
    profile = mkdtempSync(join(tmpdir(), "lk-chromium-"));
    context = await found.chromium.launchPersistentContext(profile, { executablePath: chromiumPath, headless: true, args: chromiumFlags });
    page = await context.newPage();
    await page.addScriptTag({ path: found.bundle });
    // Functions sent to the page are compiled by tsx, whose esbuild wraps named inner functions in
    // a `__name` helper that exists only in Node.
    await page.addScriptTag({ content: "globalThis.__name = (target) => target;" });
  });
  after(async () => {
    await context?.close();
    if (profile !== undefined) rmSync(profile, { recursive: true, force: true });
  });
  return {
    get page() {
      if (page === undefined) throw new Error("the page is not open");
      return page;
    },
  };
}
