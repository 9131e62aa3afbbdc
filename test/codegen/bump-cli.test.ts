// `npm run bump` at its boundary: what it refuses, and that it leaves the repository alone when it
// has nothing to do. (A real bump rewrites generated/ and the pin; it is run by a maintainer, and
// its pure parts are tested on fixtures in change-report.test.ts.)
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { readProtocolPin, repoRoot } from "../../codegen/scripts/protocol-pin.js";

function bump(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", "codegen/scripts/bump.ts", ...args], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const packageJson = (): string => readFileSync(join(repoRoot, "package.json"), "utf8");

describe("npm run bump", () => {
  test("a version the Go proxy does not list is refused, naming the newest, and nothing changes", () => {
    const before = packageJson();
    const run = bump("v0.0.1");
    assert.equal(run.status, 1);
    assert.match(run.stderr, /^bump: v0\.0\.1 is not a published version of github\.com\/livekit\/protocol \(newest: v\d+\.\d+\.\d+\)\n$/);
    assert.equal(packageJson(), before);
  });

  test("something that is not a version is refused before any registry is asked", () => {
    const run = bump("1.54");
    assert.equal(run.status, 1);
    assert.equal(run.stderr, 'bump: expected latest or a version like v1.54.1, got "1.54"\n');
    assert.equal(bump("v1.0.0", "v2.0.0").stderr, "bump: expected one version (latest or vX.Y.Z), got v1.0.0 v2.0.0\n");
  });

  test("bumping to the version generated/ is already built from does nothing", () => {
    const before = packageJson();
    const run = bump(readProtocolPin());
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, `bump: generated/ is already built from github.com/livekit/protocol ${readProtocolPin()}; nothing to do\n`);
    assert.equal(packageJson(), before);
  });
});
