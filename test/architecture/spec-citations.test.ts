// Code and tests cite the behaviour spec as `docs/spec/<file>.md#<anchor>` (docs/README.md): each
// citation must name a file that exists and an anchor it declares, so a rule that moves or is
// renamed cannot leave its citations pointing nowhere.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";

const root = new URL("../../", import.meta.url).pathname;

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (/\.(ts|go|py)$/.test(name)) out.push(path);
  }
  return out;
}

describe("citations of the behaviour spec", () => {
  test("every docs/spec citation in src/ and test/ names an existing file and one of its anchors", () => {
    const broken: string[] = [];
    const anchors = new Map<string, Set<string>>();
    for (const file of [...files(join(root, "src")), ...files(join(root, "test"))]) {
      for (const [citation, spec, anchor] of readFileSync(file, "utf8").matchAll(/docs\/spec\/([a-z0-9-]+\.md)#([A-Za-z0-9_-]+)/g)) {
        let declared = anchors.get(spec!);
        if (declared === undefined) {
          const path = join(root, "docs/spec", spec!);
          const text = existsSync(path) ? readFileSync(path, "utf8") : "";
          declared = new Set([...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!));
          anchors.set(spec!, declared);
        }
        if (!declared.has(anchor!)) broken.push(`${file.slice(root.length)}: ${citation}`);
      }
    }
    assert.deepEqual(broken, []);
  });
});
