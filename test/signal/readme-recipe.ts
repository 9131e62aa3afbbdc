// The `lk.mock` values of the recipes in docs/signal.md, read from the page itself so that tests
// run exactly what it shows.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const page = readFileSync(new URL("../../docs/signal.md", import.meta.url), "utf8");

export const recipeNames = [
  "token-refresh",
  "participant-joining",
  "leave-with-reconnect",
  "refused-metadata",
  "what-the-client-sent",
] as const;

/** The JSON block after `<!-- doc: lk-mock recipe=name -->`, with each placeholder string replaced. */
export function recipe(name: (typeof recipeNames)[number], placeholders: Record<string, string> = {}): Record<string, unknown> {
  const match = new RegExp(`<!-- doc: lk-mock recipe=${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\\n\`\`\``).exec(page);
  assert.ok(match !== null, `docs/signal.md has no recipe ${name}`);
  let text = JSON.stringify(JSON.parse(match[1]!));
  for (const [from, to] of Object.entries(placeholders)) text = text.replaceAll(JSON.stringify(from), JSON.stringify(to));
  return JSON.parse(text) as Record<string, unknown>;
}

/** The placeholder the leave-with-reconnect recipe puts where the refreshed token goes. */
export const calmTokenPlaceholder = '<a token with lk.mock {"journal":"leave-reconnect"}>';
