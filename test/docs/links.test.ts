// Every relative link in the README, CONTRIBUTING.md and docs/ leads somewhere: to a file or
// folder that exists and, with a #fragment into a Markdown page, to a heading or an explicit
// `<a id>` anchor of that page. Pages move between docs/ and the README; links must follow.
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, test } from "node:test";
import { docFiles, repo } from "./doc-blocks.js";

const pages = [...docFiles(), "CONTRIBUTING.md"].filter((page) => existsSync(join(repo, page)));

/** The page's text outside code blocks. */
function prose(page: string): string {
  return readFileSync(join(repo, page), "utf8").replace(/^(`{3,}|~{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, "");
}

/** The anchors GitHub makes for a page's headings, and its explicit `<a id>` anchors. */
function anchors(page: string): Set<string> {
  const found = new Set<string>();
  const seen = new Map<string, number>();
  for (const match of prose(page).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const slug = match[1]!
      .toLowerCase()
      .replace(/<[^>]+>/g, "")
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/\s/g, "-");
    const count = seen.get(slug) ?? 0;
    found.add(count === 0 ? slug : `${slug}-${count}`);
    seen.set(slug, count + 1);
  }
  for (const match of prose(page).matchAll(/<a\s+id="([^"]+)"/g)) found.add(match[1]!);
  return found;
}

describe("relative links in the README, CONTRIBUTING.md and docs/", () => {
  test("are found (the check would pass vacuously otherwise)", () => {
    const links = pages.flatMap((page) => [...prose(page).matchAll(/\]\(([^)\s]+)\)/g)]);
    assert.ok(links.length > 40, `only ${links.length} links`);
  });

  for (const page of pages) {
    test(`${page} links only to files and anchors that exist`, () => {
      const broken: string[] = [];
      for (const match of prose(page).matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = match[1]!;
        if (/^[a-z]+:/i.test(target)) continue;
        const [path, fragment] = target.split("#") as [string, string | undefined];
        const file = path === "" ? page : normalize(join(dirname(page), path));
        if (!existsSync(join(repo, file))) {
          broken.push(`${target}: ${file} does not exist`);
          continue;
        }
        if (fragment !== undefined && file.endsWith(".md") && !anchors(file).has(fragment)) {
          broken.push(`${target}: ${file} has no anchor #${fragment}`);
        }
      }
      assert.deepEqual(broken, []);
    });
  }
});
