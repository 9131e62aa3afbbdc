// The journal recipe of docs/journal.md, run as the page shows it against a server of its own: a
// client that times out, then a read that waits for the call's finished entry.
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, test } from "node:test";
import { useServer } from "../support/server.js";

const page = new URL("../../docs/journal.md", import.meta.url);

async function recipe(name: string): Promise<string> {
  const text = await readFile(page, "utf8");
  const match = new RegExp(`<!-- doc: journal recipe=${name} -->\\s*\`\`\`ts\\n([\\s\\S]*?)\\n\`\`\``).exec(text);
  assert.ok(match !== null, `docs/journal.md has no recipe ${name}`);
  return match[1]!;
}

describe("the recipes of docs/journal.md", () => {
  const t = useServer();

  test("client-timeout: the read that waits finds the call the client gave up on, finished", async () => {
    const code = (await recipe("client-timeout")).replaceAll("http://127.0.0.1:9999", t.url(0));
    const dir = await mkdtemp(join(tmpdir(), "journal-recipe-"));
    try {
      const file = join(dir, "client-timeout.mts");
      await writeFile(file, code);
      await import(pathToFileURL(file).href);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
