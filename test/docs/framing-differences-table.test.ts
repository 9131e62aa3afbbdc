// The people's tables of HTTP framing differences (docs/differences.md) and the ones the tests
// enforce (framing-differences.ts against the original, llhttp-differences.ts against node:http)
// list the same differences, so neither can drift from the other.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { framingDifferences } from "../conformance/framing-differences.js";
import { llhttpDifferences } from "../fuzz/llhttp-differences.js";

const page = readFileSync(new URL("../../docs/differences.md", import.meta.url), "utf8");
const section = (heading: string): string => {
  const start = page.indexOf(`### ${heading}`);
  assert.notEqual(start, -1, `docs/differences.md has no "### ${heading}"`);
  const end = page.indexOf("\n#", start + 4);
  return end === -1 ? page.slice(start) : page.slice(start, end);
};
/** The ids in the first column of a section's table. */
const ids = (text: string): string[] => [...text.matchAll(/^\| `([a-z0-9-]+)` \|/gm)].map((m) => m[1]!);

describe("the HTTP framing differences in docs/differences.md", () => {
  test("list every difference from the original that the framing differential enforces, and no other", () => {
    assert.deepEqual(ids(section("From the original")).sort(), framingDifferences.map((d) => d.id).sort());
  });

  test("list every difference from llhttp that the framing property allows, and no other", () => {
    assert.deepEqual(ids(section("From llhttp")).sort(), llhttpDifferences.map((d) => d.id).sort());
  });
});
