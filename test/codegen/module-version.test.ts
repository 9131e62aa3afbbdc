// Version order across the registries the project pins from.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { compareVersions, isRelease, newestRelease, releasesAfter } from "../../codegen/module-version.js";

describe("module versions", () => {
  test("numeric parts compare as numbers, not text", () => {
    assert.ok(compareVersions("v1.54.10", "v1.54.9") > 0);
    assert.ok(compareVersions("2.9.0", "2.19.2") < 0);
    assert.equal(compareVersions("v1.2.0", "1.2"), 0);
  });

  test("a pre-release or Go pseudo-version sorts before its release and is not a release", () => {
    assert.ok(compareVersions("v1.51.1-0.20260910121219-271d9cde3897", "v1.51.1") < 0);
    assert.ok(compareVersions("1.3.0rc1", "1.3.0") < 0);
    assert.equal(isRelease("v1.51.1-0.20260910121219-271d9cde3897"), false);
    assert.equal(isRelease("1.3.0rc1"), false);
    assert.equal(isRelease("v8.1.3+incompatible"), true);
  });

  test("the newest release skips pre-releases, whatever the listing order", () => {
    assert.equal(newestRelease(["v1.54.1", "v1.55.0-rc.1", "v1.9.0", "v1.54.0"]), "v1.54.1");
    assert.equal(newestRelease(["v1.0.0-rc.1"]), undefined);
  });

  test("the releases after a pin, oldest first", () => {
    assert.deepEqual(releasesAfter(["v1.55.0", "v1.54.0", "v1.54.1", "v1.56.0-rc.1", "v1.53.2"], "v1.54.0"), ["v1.54.1", "v1.55.0"]);
    assert.deepEqual(releasesAfter(["v1.54.0"], "v1.54.0"), []);
  });
});
