// Code, tests, the benchmark, the generator and the docs cite the behaviour spec as
// `docs/spec/<file>.md#<anchor>` (docs/README.md): each citation must name a file that exists and an
// anchor it declares, so a rule that moves or is renamed cannot leave its citations pointing nowhere.
// And nothing may cite a document outside the repository: a maintainer must be able to open every
// source a comment or test names.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const self = fileURLToPath(import.meta.url);

/** Where citations live: every source, test, script and document the project writes itself. */
const folders = ["src", "test", "bench", "codegen", "docs", ".ci", ".github"];
const topLevelFiles = ["README.md", "CONTRIBUTING.md", "Dockerfile", "package.json"];
const cited = /\.(ts|mts|js|mjs|go|py|java|kt|sh|md|yml|yaml|json)$|^run$|^Dockerfile$/;

function files(dir: string, out: string[] = []): string[] {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (
      name === "node_modules" ||
      name === "target" ||
      name === "__pycache__" ||
      (name.startsWith(".") && name !== ".ci" && name !== ".github")
    )
      continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) files(path, out);
    else if (cited.test(name)) out.push(path);
  }
  return out;
}

const sources = [
  ...folders.flatMap((folder) => files(join(root, folder))),
  ...topLevelFiles.map((name) => join(root, name)).filter((path) => existsSync(path)),
].filter((path) => path !== self);

const anchorsOf = new Map<string, Set<string>>();
function anchors(spec: string): Set<string> {
  let declared = anchorsOf.get(spec);
  if (declared === undefined) {
    const path = join(root, "docs/spec", spec);
    const text = existsSync(path) ? readFileSync(path, "utf8") : "";
    declared = new Set([...text.matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!));
    anchorsOf.set(spec, declared);
  }
  return declared;
}

const citation = /docs\/spec\/([a-z0-9-]+\.md)#([A-Za-z0-9_-]+)/g;

/** Ways of naming a document outside the repository, each with what it is. */
const outside: readonly [RegExp, string][] = [
  [/\bREFERENCE\b/, "a reference document outside the repository"],
  [/\/work\/shared\b|\.\.\/shared\/[A-Z]/, "a path outside the repository"],
  [/\bissues? #?\d+\b/i, "an issue tracker entry"],
];

describe("citations of the behaviour spec", () => {
  test("finds the citations it checks (it would pass vacuously otherwise)", () => {
    const count = sources.reduce((n, file) => n + [...readFileSync(file, "utf8").matchAll(citation)].length, 0);
    assert.ok(count > 80, `only ${count} citations found`);
    assert.ok(anchors("twirp.md").has("populate"), "the spec's anchors are read");
  });

  test("every docs/spec citation names an existing file and one of its anchors", () => {
    const broken: string[] = [];
    for (const file of sources) {
      for (const [text, spec, anchor] of readFileSync(file, "utf8").matchAll(citation)) {
        if (!anchors(spec!).has(anchor!)) broken.push(`${relative(root, file)}: ${text}`);
      }
    }
    assert.deepEqual(broken, []);
  });

  test("no comment, test or document cites a document outside the repository", () => {
    const found: string[] = [];
    for (const file of sources) {
      const lines = readFileSync(file, "utf8").split("\n");
      lines.forEach((line, i) => {
        for (const [pattern, what] of outside) {
          if (pattern.test(line)) found.push(`${relative(root, file)}:${i + 1} cites ${what}: ${line.trim().slice(0, 120)}`);
        }
      });
    }
    assert.deepEqual(found, []);
  });

  test("every anchor of the spec is declared once per page", () => {
    const repeated: string[] = [];
    for (const page of readdirSync(join(root, "docs/spec")).filter((name) => name.endsWith(".md"))) {
      const ids = [...readFileSync(join(root, "docs/spec", page), "utf8").matchAll(/<a id="([^"]+)"><\/a>/g)].map((m) => m[1]!);
      for (const id of new Set(ids)) if (ids.filter((other) => other === id).length > 1) repeated.push(`${page}#${id}`);
    }
    assert.deepEqual(repeated, []);
  });
});
