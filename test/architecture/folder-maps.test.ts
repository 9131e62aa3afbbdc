// The maps stay true: every source file a folder README (or CONTRIBUTING.md) names exists, and
// every source file of a folder is named in its README, so a file that moves or appears updates
// the map in the same change.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const src = join(repoRoot, "src");
const parts = readdirSync(src).filter((name) => statSync(join(src, name)).isDirectory());

function filesUnder(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) filesUnder(path, out);
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** The `*.ts` names a Markdown text puts in backticks. */
function namedFiles(markdown: string): string[] {
  return [...markdown.matchAll(/`([A-Za-z0-9_./-]+\.ts)`/g)].map((m) => m[1]!);
}

/**
 * Where a named file is: a path is tried from the folder, from src/ and from the repository root;
 * a bare name is any file of that name under the folder.
 */
function resolves(name: string, folder: string): boolean {
  if (name.includes("/")) return [folder, src, repoRoot].some((base) => existsSync(join(base, name)));
  return filesUnder(folder).some((file) => basename(file) === name);
}

describe("folder maps", () => {
  test("every folder of src/ has a README", () => {
    assert.ok(parts.length >= 8, `only ${parts.length} folders found`);
    assert.deepEqual(
      parts.filter((part) => !existsSync(join(src, part, "README.md"))),
      [],
    );
  });

  test("every file a folder README names exists", () => {
    const missing = parts.flatMap((part) =>
      namedFiles(readFileSync(join(src, part, "README.md"), "utf8"))
        .filter((name) => !resolves(name, join(src, part)))
        .map((name) => `src/${part}/README.md names ${name}`),
    );
    assert.deepEqual(missing, []);
  });

  test("every source file of a folder is named in its README", () => {
    const unnamed = parts.flatMap((part) => {
      const named = new Set(namedFiles(readFileSync(join(src, part, "README.md"), "utf8")).map((name) => basename(name)));
      return filesUnder(join(src, part))
        .filter((file) => !named.has(basename(file)))
        .map((file) => `${relative(repoRoot, file)} is not in src/${part}/README.md`);
    });
    assert.deepEqual(unnamed, []);
  });

  test("every source file CONTRIBUTING.md names exists", () => {
    const text = readFileSync(join(repoRoot, "CONTRIBUTING.md"), "utf8");
    const names = namedFiles(text);
    assert.ok(names.length > 10, `only ${names.length} file names found in CONTRIBUTING.md`);
    // A bare name may be any file of the project's code; a path is read from src/ or the root.
    const code = ["src", "codegen", "test", "bench"].map((folder) => join(repoRoot, folder));
    assert.deepEqual(
      names.filter((name) => (name.includes("/") ? !resolves(name, src) : !code.some((folder) => resolves(name, folder)))),
      [],
    );
  });

  test("the check finds what it checks (it would pass vacuously otherwise)", () => {
    assert.ok(namedFiles("a `x/y.ts` and `z.ts`, not `w.js`").length === 2);
    assert.ok(resolves("handshake/admit-signal.ts", join(src, "signal")));
    assert.ok(resolves("admit-signal.ts", join(src, "signal")));
    assert.ok(!resolves("admit-signal.ts", join(src, "twirp")));
    assert.ok(resolves("twirp/faults.ts", join(src, "server")));
  });
});
