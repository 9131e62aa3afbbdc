// The architecture as a rule the code must keep: imports run one way, entry → server → handlers →
// worlds → capabilities → stores → shared, and no two source files import each other, directly or in a ring. The
// README's architecture page describes the same table.
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, test } from "node:test";

const src = new URL("../../src/", import.meta.url).pathname;

/** Rank of each part: a file may import its own folder or a part of a strictly higher rank. */
const ranks: ReadonlyMap<string, number> = new Map([
  ["entry", 0],
  ["server", 1],
  ["twirp", 2],
  ["signal", 2],
  ["state", 3],
  ["control", 4],
  ["auth", 4],
  ["webhooks", 4],
  ["journal", 5],
  ["http", 6],
  ["shared", 6],
]);
const entryPoints = new Set(["cli.ts", "healthcheck.ts", "index.ts"]);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) sourceFiles(path, out);
    else if (name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** "entry" for the top-level entry points, else the folder directly under src/. */
function partOf(file: string): string {
  const rel = relative(src, file);
  return rel.includes("/") ? rel.split("/")[0]! : entryPoints.has(rel) ? "entry" : `(unexpected top-level file ${rel})`;
}

/** Relative imports of a file, resolved to .ts paths (static, dynamic and type-only alike). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const specs = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.[^"]+)"/g)].map((m) => m[1]!);
  return specs.map((spec) => resolve(dirname(file), spec).replace(/\.js$/, ".ts"));
}

const files = sourceFiles(src);
const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => target.startsWith(src))]));

describe("the source tree's architecture", () => {
  test("every file belongs to a part with a rank (a new folder must be placed in the table)", () => {
    const unplaced = files.map((f) => [relative(src, f), partOf(f)] as const).filter(([, part]) => !ranks.has(part));
    assert.deepEqual(unplaced, []);
  });

  test("imports run one way: to the file's own part or to a part of higher rank, never sideways or back", () => {
    const violations: string[] = [];
    for (const [file, targets] of graph) {
      const from = partOf(file);
      for (const target of targets) {
        const to = partOf(target);
        if (to === from && from !== "entry") continue;
        if (to === "entry" || ranks.get(to)! <= ranks.get(from)!) {
          violations.push(`${relative(src, file)} (${from}) imports ${relative(src, target)} (${to})`);
        }
      }
    }
    assert.deepEqual(violations, []);
  });

  test("no import cycles between files", () => {
    // Tarjan's strongly connected components: any component of two or more files is a cycle.
    let next = 0;
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const cycles: string[][] = [];
    const visit = (file: string): void => {
      index.set(file, next);
      low.set(file, next++);
      stack.push(file);
      onStack.add(file);
      for (const target of graph.get(file) ?? []) {
        if (!index.has(target)) {
          visit(target);
          low.set(file, Math.min(low.get(file)!, low.get(target)!));
        } else if (onStack.has(target)) {
          low.set(file, Math.min(low.get(file)!, index.get(target)!));
        }
      }
      if (low.get(file) === index.get(file)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(relative(src, member));
        } while (member !== file);
        if (component.length > 1) cycles.push(component.sort());
      }
    };
    for (const file of graph.keys()) if (!index.has(file)) visit(file);
    assert.deepEqual(cycles, []);
  });

  test("the checker sees the imports it judges (it would pass vacuously otherwise)", () => {
    const edges = [...graph.values()].reduce((n, targets) => n + targets.length, 0);
    assert.ok(edges > 50, `only ${edges} imports found`);
    assert.ok(graph.get(join(src, "server/start-server.ts"))!.includes(join(src, "twirp/method-routes.ts")));
  });

  test("each folder opens with a README whose 'May import' line covers what it imports", () => {
    for (const part of ranks.keys()) {
      if (part === "entry") continue;
      const readme = readFileSync(join(src, part, "README.md"), "utf8");
      const line = /^May import: (.*)$/m.exec(readme);
      assert.ok(line !== null, `src/${part}/README.md names what the folder may import`);
      const declared = new Set([...line[1]!.matchAll(/`([a-z-]+)\/`/g)].map((m) => m[1]!));
      const used = new Set(
        [...graph]
          .filter(([file]) => partOf(file) === part)
          .flatMap(([, targets]) => targets.map(partOf))
          .filter((to) => to !== part),
      );
      assert.deepEqual(
        [...used].filter((to) => !declared.has(to)),
        [],
        `src/${part}/README.md omits parts it imports`,
      );
    }
  });
});
