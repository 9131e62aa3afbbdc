// What `npm run check:protocol` says, without a network: its lines for a pin that is behind, one
// that is the newest, and a registry that did not answer; and the pins it reads from the suite's
// build files.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { describeProtocol, describeSdk } from "../../codegen/describe-versions.js";
import { goPins, mavenPins, npmPins, requirementPins } from "../../codegen/scripts/conformance-pins.js";
import { requiredVersion } from "../../codegen/scripts/protocol-pin.js";

describe("check:protocol's lines", () => {
  test("the protocol: releases after the pin are named, oldest first, with the command to bump", () => {
    assert.equal(
      describeProtocol("m", "v1.54.0", ["v1.53.0", "v1.54.0", "v1.55.0-rc.1", "v1.54.1", "v1.55.0"]),
      "m (Go module proxy): pinned v1.54.0 (package.json config.livekitProtocol); released since: v1.54.1, v1.55.0 — run `npm run bump -- latest`",
    );
    assert.equal(
      describeProtocol("m", "v1.55.0", ["v1.54.0", "v1.55.0"]),
      "m (Go module proxy): pinned v1.55.0 (package.json config.livekitProtocol), the newest release",
    );
  });

  test("a registry that does not answer is named with its error, not treated as up to date", () => {
    assert.equal(
      describeProtocol("m", "v1.0.0", new Error("go: proxy unreachable")),
      "m (Go module proxy): pinned v1.0.0 (package.json config.livekitProtocol); newer versions unknown: go: proxy unreachable",
    );
    assert.equal(
      describeSdk("p", "npm", [{ version: "1.0.0", where: "f" }], new Error("E404")),
      "p (npm): pinned 1.0.0 (f); newest unknown: E404",
    );
  });

  test("an SDK behind in any of its pins gets the newest named, with what the newest needs", () => {
    const pins = [
      { version: "v2.19.0", where: "a/go.mod" },
      { version: "v2.20.0", where: "b/go.mod" },
    ];
    assert.equal(
      describeSdk("sdk", "Go module proxy", pins, { version: "v2.20.0", notes: ["needs a fork"] }),
      "sdk (Go module proxy): pinned v2.19.0 (a/go.mod), v2.20.0 (b/go.mod); newest v2.20.0; needs a fork",
    );
    assert.equal(
      describeSdk("sdk", "npm", [pins[1]!], { version: "v2.20.0", notes: [] }),
      "sdk (npm): pinned v2.20.0 (b/go.mod); the newest (v2.20.0)",
    );
    assert.equal(
      describeSdk("k", "Maven Central", [], { version: "0.13.0", notes: [] }),
      "k (Maven Central): not in the suite yet; newest 0.13.0",
    );
  });
});

describe("the suite's pins", () => {
  test("Go, npm and pip pins are read from the files that set them", () => {
    assert.deepEqual(goPins("github.com/livekit/server-sdk-go/v2", ["test/conformance/go"]), [
      { version: requiredVersion("test/conformance/go", "github.com/livekit/server-sdk-go/v2"), where: "test/conformance/go/go.mod" },
    ]);
    assert.match(npmPins("livekit-server-sdk")[0]!.version, /^\d+\.\d+\.\d+$/);
    assert.deepEqual(npmPins("not-a-dependency"), []);
    assert.match(requirementPins("livekit-api", "test/conformance/python/requirements.txt")[0]!.version, /^\d+\.\d+\.\d+$/);
  });

  test("a Maven pin is found as a Gradle coordinate or a pom dependency, and build output is skipped", () => {
    const root = mkdtempSync(join(tmpdir(), "lk-kotlin-pins-"));
    try {
      assert.deepEqual(mavenPins("io.livekit", "livekit-server", join(root, "absent")), []);
      writeFileSync(join(root, "build.gradle.kts"), 'dependencies { testImplementation("io.livekit:livekit-server:0.13.0") }\n');
      mkdirSync(join(root, "sub"));
      writeFileSync(
        join(root, "sub", "pom.xml"),
        "<dependency><groupId>io.livekit</groupId><artifactId>livekit-server</artifactId>\n  <version>0.12.1</version></dependency>\n",
      );
      mkdirSync(join(root, "build"));
      writeFileSync(join(root, "build", "stale.gradle"), '"io.livekit:livekit-server:0.1.0"\n');
      assert.deepEqual(
        mavenPins("io.livekit", "livekit-server", root)
          .map((p) => p.version)
          .sort(),
        ["0.12.1", "0.13.0"],
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
