// What the generator emits for the fixture module, compiled and loaded next to protobuf-es output.
import assert from "node:assert/strict";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import type { DescService } from "@bufbuild/protobuf";
import { generateStubs } from "../../codegen/generate-stubs.js";
import type { MethodStub, SkippedRpc } from "../../src/twirp/method-stub.js";
import { buildFixture, filesOf, fixtureGrantTable, fixtureLatencyTable, typeCheck, writeFixtureProject } from "./fixture-registry.js";

const grantTable = fixtureGrantTable;
const latencyTable = fixtureLatencyTable;

let project: string;

before(() => {
  const sources = generateStubs({
    files: filesOf(buildFixture()),
    protocolVersion: "v0.0.0-fixture.1",
    grantTable,
    latencyTable,
    packageName: "fixture",
  });
  project = writeFixtureProject(sources);
});

after(() => {
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

describe("the modules emitted for the fixture", () => {
  test("type-check under the repo's compiler options against protobuf-es output and src/twirp/method-stub.ts", () => {
    const { ok, output } = typeCheck(project);
    assert.ok(ok, output);
  });

  test("at run time, each stub's method is the protobuf-es descriptor of the RPC its key names", async () => {
    const index = (await import(pathToFileURL(join(project, "generated", "mock", "index.ts")).href)) as {
      methodStubs: readonly MethodStub[];
      skippedRpcs: readonly SkippedRpc[];
      protocolVersion: string;
    };
    const pb = (await import(pathToFileURL(join(project, "generated", "fixture_pb.ts")).href)) as Record<string, DescService>;
    const extra = (await import(pathToFileURL(join(project, "generated", "fixture_extra_pb.ts")).href)) as Record<string, DescService>;
    const nested = (await import(pathToFileURL(join(project, "generated", "nested", "fixture_nested_pb.ts")).href)) as Record<
      string,
      DescService
    >;

    assert.equal(index.protocolVersion, "v0.0.0-fixture.1");
    assert.deepEqual(
      index.methodStubs.map((stub) => stub.key),
      [
        "fixture.Foo/Foo",
        "fixture.Foo/ListBars",
        "fixture.Dialer/Dial",
        "fixture.Dialer/Hangup",
        "fixture.Uploader/Ping",
        "fixture.Nested/Poke",
      ],
    );
    const expectedMethod: Record<string, unknown> = {
      "fixture.Foo/Foo": pb["Foo"]!.method["foo"],
      "fixture.Foo/ListBars": pb["Foo"]!.method["listBars"],
      "fixture.Dialer/Dial": pb["Dialer"]!.method["dial"],
      "fixture.Dialer/Hangup": pb["Dialer"]!.method["hangup"],
      "fixture.Uploader/Ping": extra["Uploader"]!.method["ping"],
      "fixture.Nested/Poke": nested["Nested"]!.method["poke"],
    };
    for (const stub of index.methodStubs) {
      assert.ok(stub.method !== undefined && stub.method === expectedMethod[stub.key], stub.key);
      const [service, method] = stub.key.split("/") as [string, string];
      assert.deepEqual(stub.grant, grantTable[service]![method]);
      assert.deepEqual(stub.naturalLatency, latencyTable[stub.key]);
    }
    assert.deepEqual(
      index.skippedRpcs.map((rpc) => rpc.key),
      ["fixture.Foo/WatchBars", "fixture.Uploader/Upload"],
    );
  });

  test("a stub referencing a method the service lacks fails the type-check (the check has teeth)", () => {
    const module = join(project, "generated", "mock", "fixture_mock.ts");
    const original = readFileSync(module, "utf8");
    try {
      writeFileSync(module, original.replace("Foo.method.listBars", "Foo.method.listBarz"));
      const { ok, output } = typeCheck(project);
      assert.equal(ok, false);
      assert.match(output, /listBarz/);
    } finally {
      writeFileSync(module, original);
    }
  });
});
