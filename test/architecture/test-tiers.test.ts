// Every test file runs in exactly one tier (test/tiers.ts), so `npm test`, which runs every tier,
// runs every file once, and a new file or folder lands in a tier on purpose.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { filesOf, globToRegExp, ruleFor, testFiles, tierNames, tierRules } from "../tiers.js";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const files = testFiles();

/** What in a test file says it needs more than Node: a program, a browser, another SDK, the original. */
const toolchainMarkers: readonly [RegExp, string][] = [
  [/chromium-page\.js"/, "Chromium"],
  [/pinned-webhook-package\.js"/, "Go (the pinned protocol's sources)"],
  [/\bbuildPinnedProtocol\(/, "Go (the pinned protocol's sources)"],
  [/\bstartReceiver\(|\bsdks\b/, "the Go and Python SDKs' receivers"],
  [/start-oracle\.js"/, "the original Go test server"],
  [/\b(?:spawn|spawnSync|execFile|execFileSync)\("(?:go|python3?|podman|wrk|chromium)"/, "a program besides Node"],
];

describe("test tiers", () => {
  test("finds the test files it places (it would pass vacuously otherwise)", () => {
    assert.ok(files.length > 50, `only ${files.length} test files found`);
    assert.ok(files.includes("test/architecture/test-tiers.test.ts"));
  });

  test("every test file is placed in a tier by a rule of test/tiers.ts", () => {
    assert.deepEqual(
      files.filter((file) => ruleFor(file) === undefined),
      [],
      "add a rule for these files' folder (or the files) to test/tiers.ts",
    );
  });

  test("every file is in exactly one tier, and the tiers together hold every file", () => {
    const placed = tierNames.flatMap((tier) => filesOf(tier, files));
    assert.equal(new Set(placed).size, placed.length);
    assert.deepEqual([...placed].sort(), files);
  });

  test("every rule places at least one file (a rule for nothing is stale)", () => {
    const stale = tierRules.filter((rule) => !files.some((file) => ruleFor(file) === rule));
    assert.deepEqual(
      stale.map((rule) => rule.pattern),
      [],
    );
  });

  test("a file-level rule says why its file leaves its folder's tier", () => {
    for (const rule of tierRules) {
      if (!rule.pattern.endsWith("/**")) assert.ok(rule.why !== undefined && rule.why !== "", `${rule.pattern} says why`);
    }
  });

  test("a unit-tier file needs nothing but Node: no browser, other SDK, Go, Python or the original", () => {
    const offenders = filesOf("unit", files).flatMap((file) => {
      const text = readFileSync(`${repoRoot}${file}`, "utf8");
      return toolchainMarkers.filter(([marker]) => marker.test(text)).map(([, what]) => `${file} needs ${what}`);
    });
    assert.deepEqual(offenders, []);
  });

  test("the markers find what the toolchain tiers need (they would pass vacuously otherwise)", () => {
    const marked = filesOf("conformance", files).filter((file) =>
      toolchainMarkers.some(([marker]) => marker.test(readFileSync(`${repoRoot}${file}`, "utf8"))),
    );
    for (const file of [
      "test/signal/livekit-client-browser.test.ts",
      "test/webhooks/sdk-receivers.test.ts",
      "test/webhooks/go-protojson.test.ts",
    ]) {
      assert.ok(marked.includes(file), `${file} is recognised as needing a toolchain`);
    }
  });

  test("patterns match within a segment with * and across segments with **", () => {
    assert.ok(globToRegExp("test/signal/livekit-client-*.test.ts").test("test/signal/livekit-client-browser.test.ts"));
    assert.ok(!globToRegExp("test/signal/livekit-client-*.test.ts").test("test/signal/sub/livekit-client-x.test.ts"));
    assert.ok(globToRegExp("test/conformance/**").test("test/conformance/kotlin/suite.test.ts"));
    assert.ok(!globToRegExp("test/conformance/**").test("test/conformance-x/suite.test.ts"));
  });
});
