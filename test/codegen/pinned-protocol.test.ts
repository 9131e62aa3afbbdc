// The committed generated/ and the hand-written tables against the descriptors of the protocol
// version pinned in package.json (fetched and built afresh, never taken from generated/ itself).
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, test } from "node:test";
import type { DescMethod } from "@bufbuild/protobuf";
import { checkGrantTable, checkLatencyTable } from "../../codegen/check-tables.js";
import { collectRpcs, type CollectedRpc } from "../../codegen/collect-rpcs.js";
import { mirroredGoSources } from "../../codegen/go-surface-diff.js";
import { grantTable } from "../../codegen/grant-table.js";
import { latencyTable } from "../../codegen/latency-table.js";
import { compareSipMappings } from "../../codegen/sip-mapping.js";
import { protocolModule } from "../../codegen/scripts/fetch-protocol.js";
import { goModulesFollowingPin, pinQuotes, repoRoot, requiredVersion } from "../../codegen/scripts/protocol-pin.js";
import { twirpCodeOfSipStatus } from "../../src/twirp/sip-status.js";
import { methodStubs, protocolVersion, skippedRpcs } from "../../generated/mock/index.js";
import type { BuiltProtocol } from "../../codegen/scripts/build-protocol.js";
import { buildPinnedProtocol, filesOf } from "./fixture-registry.js";

let pinned: BuiltProtocol;
/** Every RPC of a service in package `livekit`, walked straight from the descriptors. */
let unary: Map<string, DescMethod>;
let streaming: Map<string, DescMethod>;

before(() => {
  pinned = buildPinnedProtocol();
  unary = new Map();
  streaming = new Map();
  for (const file of pinned.registry.files) {
    if (file.proto.package !== "livekit") continue;
    for (const service of file.services) {
      for (const method of service.methods) {
        const key = `${service.typeName}/${method.name}`;
        (method.methodKind === "unary" ? unary : streaming).set(key, method);
      }
    }
  }
});

describe("generated/ against the pinned protocol", () => {
  test("generated/mock was built from the protocol version pinned in package.json", () => {
    assert.equal(protocolVersion, pinned.version);
  });

  test("the pinned protocol declares unary RPCs in package livekit (sanity check of the descriptor walk)", () => {
    assert.ok(unary.size > 0);
  });

  test("methodStubs has exactly one stub per unary RPC of the livekit services, no more and no fewer", () => {
    const keys = methodStubs.map((stub) => stub.key);
    assert.equal(new Set(keys).size, keys.length, "a route key appears twice in methodStubs");
    assert.deepEqual([...keys].sort(), [...unary.keys()].sort());
  });

  test("each stub's method descriptor is the RPC its key names, with the descriptors' input and output types", () => {
    for (const stub of methodStubs) {
      const expected = unary.get(stub.key);
      assert.ok(expected, `${stub.key} is not a unary RPC of the pinned protocol`);
      assert.equal(`${stub.method.parent.typeName}/${stub.method.name}`, stub.key);
      assert.equal(stub.method.methodKind, "unary", stub.key);
      assert.equal(stub.method.input.typeName, expected.input.typeName, `${stub.key} input`);
      assert.equal(stub.method.output.typeName, expected.output.typeName, `${stub.key} output`);
    }
  });

  test("skippedRpcs lists exactly the streaming RPCs of the livekit services", () => {
    assert.deepEqual(skippedRpcs.map((rpc) => rpc.key).sort(), [...streaming.keys()].sort());
  });
});

describe("the hand-written tables against the pinned protocol", () => {
  let rpcs: CollectedRpc[];
  before(() => {
    rpcs = collectRpcs(filesOf(pinned.registry), "livekit").flatMap((file) => [...file.rpcs]);
  });

  test("the grant table decides every unary livekit RPC and names no other", () => {
    assert.deepEqual(checkGrantTable(rpcs, grantTable), []);
  });

  test("the latency table names only unary livekit RPCs and only bool request fields", () => {
    assert.deepEqual(checkLatencyTable(rpcs, latencyTable), []);
  });
});

describe("what follows the pin besides generated/", () => {
  test("every Go module that builds on the protocol itself requires exactly the pinned version", () => {
    for (const dir of goModulesFollowingPin) assert.equal(requiredVersion(dir, protocolModule), pinned.version, `${dir}/go.mod`);
  });

  test("prose that quotes the pin names the pinned version", () => {
    for (const { file, pattern } of pinQuotes) {
      const match = pattern.exec(readFileSync(join(repoRoot, file), "utf8"));
      // A rewritten page that no longer quotes it is bump's warning to give, not a failure here.
      if (match !== null) assert.equal(match[2], pinned.version, file);
    }
  });

  test("every Go file the report compares as mirrored exists in the pinned protocol", () => {
    const missing = mirroredGoSources.filter(({ path }) => !existsSync(join(pinned.moduleDir, path))).map((s) => s.path);
    assert.deepEqual(missing, []);
  });

  test("the pinned version's change report is committed, and the changelog links it", () => {
    assert.ok(existsSync(join(repoRoot, "docs", "protocol", `${pinned.version}.md`)), `docs/protocol/${pinned.version}.md`);
    assert.match(readFileSync(join(repoRoot, "docs", "changelog.md"), "utf8"), new RegExp(`\\]\\(protocol/${pinned.version}\\.md\\)`));
  });

  test("the mock maps SIP statuses as the pinned protocol does, but 480 and 486, which follow the SDK suites", () => {
    const go = (path: string): string => readFileSync(join(pinned.moduleDir, path), "utf8");
    const sources = { sipGo: go("livekit/sip.go"), xtwirpGo: go("utils/xtwirp/errors.go") };
    const codes = pinned.registry.getEnum("livekit.SIPStatusCode")!;
    const comparison = compareSipMappings({
      before: sources,
      after: sources,
      beforeCodes: codes,
      afterCodes: codes,
      ours: twirpCodeOfSipStatus,
    });
    assert.deepEqual(
      comparison.oursDiffers.map((r) => `${r.code} ${r.after} → ${r.ours}`),
      ["480 failed_precondition → resource_exhausted", "486 failed_precondition → resource_exhausted"],
    );
  });
});
