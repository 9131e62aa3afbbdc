// The generator run in-process on the fixture module (test/codegen/fixtures), with tables of its own.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { DescFile } from "@bufbuild/protobuf";
import type { GeneratedSource } from "../../codegen/emit-stubs.js";
import { generateStubs } from "../../codegen/generate-stubs.js";
import { GeneratorError } from "../../codegen/generator-error.js";
import type { GrantTable } from "../../codegen/grant-table.js";
import type { LatencyTable } from "../../codegen/latency-table.js";
import { buildFixture, filesOf, fixtureGrantTable, fixtureLatencyTable } from "./fixture-registry.js";

const protocolVersion = "v0.0.0-fixture.1";

const grantTable = fixtureGrantTable;
const latencyTable = fixtureLatencyTable;

let files: DescFile[];

before(() => {
  files = filesOf(buildFixture());
});

function generate(overrides: { grantTable?: GrantTable; latencyTable?: LatencyTable } = {}): GeneratedSource[] {
  return generateStubs({
    files,
    protocolVersion,
    grantTable: overrides.grantTable ?? grantTable,
    latencyTable: overrides.latencyTable ?? latencyTable,
    packageName: "fixture",
  });
}

function source(sources: readonly GeneratedSource[], path: string): string {
  const found = sources.find((s) => s.path === path);
  assert.ok(found, `no ${path} among ${sources.map((s) => s.path).join(", ")}`);
  return found.content;
}

/** Runs the generator expecting a GeneratorError, and returns its problems. */
function problemsOf(run: () => unknown): readonly string[] {
  let caught: unknown;
  try {
    run();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof GeneratorError, `expected a GeneratorError, got ${String(caught)}`);
  for (const problem of caught.problems) assert.ok(caught.message.includes(problem), "the message lists every problem");
  return caught.problems;
}

describe("generateStubs on the fixture module", () => {
  test("it emits one module per .proto file of the package that declares services, a method table and an index", () => {
    const paths = generate().map((s) => s.path);
    assert.deepEqual(paths.sort(), [
      "fixture_extra_mock.ts",
      "fixture_mock.ts",
      "index.ts",
      "method-table.ts",
      "nested/fixture_nested_mock.ts",
    ]);
  });

  test("a file in a sub-folder gets its module in the same sub-folder, with imports that climb out of it", () => {
    const sources = generate();
    const module = source(sources, "nested/fixture_nested_mock.ts");
    assert.match(module, /^import type \{ MethodStub \} from "\.\.\/\.\.\/\.\.\/src\/twirp\/method-stub\.js";$/m);
    assert.match(module, /^import \{ Nested \} from "\.\.\/\.\.\/nested\/fixture_nested_pb\.js";$/m);
    assert.ok(module.includes("method: Nested.method.poke,"));
    assert.match(source(sources, "index.ts"), /^import \{ stubs as nestedFixtureNested \} from "\.\/nested\/fixture_nested_mock\.js";$/m);
  });

  test("several services of one file share its module and each unary RPC gets its route key", () => {
    const module = source(generate(), "fixture_mock.ts");
    for (const key of ["fixture.Foo/Foo", "fixture.Foo/ListBars", "fixture.Dialer/Dial", "fixture.Dialer/Hangup"]) {
      assert.ok(module.includes(`key: "${key}",`), `missing route key ${key}`);
    }
    assert.match(module, /^import \{ Foo, Dialer \} from "\.\.\/fixture_pb\.js";$/m);
    assert.match(module, /^import type \{ MethodStub \} from "\.\.\/\.\.\/src\/twirp\/method-stub\.js";$/m);
  });

  test("services and RPCs of a sub-package are not part of the API", () => {
    for (const { content } of generate()) {
      assert.ok(!content.includes("Hidden"), "fixture.sub.Hidden leaked into the output");
      assert.ok(!content.includes("Secret"), "fixture.sub.Hidden/Secret leaked into the output");
    }
  });

  test("each stub references its method descriptor on the protobuf-es service object", () => {
    const module = source(generate(), "fixture_mock.ts");
    assert.ok(module.includes("method: Foo.method.listBars,"));
    assert.ok(module.includes("method: Dialer.method.dial,"));
    assert.ok(module.includes("method: Dialer.method.hangup,"));
    assert.ok(source(generate(), "fixture_extra_mock.ts").includes("method: Uploader.method.ping,"));
  });

  test("a method named like its service is referenced as Service.method.<lowerCamelName>", () => {
    const module = source(generate(), "fixture_mock.ts");
    assert.ok(module.includes(`key: "fixture.Foo/Foo",`));
    assert.ok(module.includes("method: Foo.method.foo,"));
  });

  test("each stub carries its grant from the table as a literal", () => {
    const module = source(generate(), "fixture_mock.ts");
    assert.ok(module.includes(`grant: { enforced: true, required: ["video.roomAdmin"], roomScope: "room" },`));
    assert.ok(module.includes(`grant: { enforced: false, reason: "fixture: nothing to guard" },`));
    assert.ok(module.includes(`grant: { enforced: true, required: ["sip.call", "video.roomAdmin"], roomScope: "room-and-destination" },`));
    assert.ok(
      source(generate(), "fixture_extra_mock.ts").includes(`grant: { enforced: true, required: ["video.roomList"], roomScope: "none" },`),
    );
  });

  test("a stub has a naturalLatency exactly when the latency table names its RPC", () => {
    const module = source(generate(), "fixture_mock.ts");
    assert.ok(module.includes(`naturalLatency: { ms: 4321, whenTrue: "wait_until_answered" },`));
    assert.ok(module.includes(`naturalLatency: { ms: 250 },`));
    assert.equal(module.match(/naturalLatency:/g)?.length, 2);
    assert.ok(!source(generate(), "fixture_extra_mock.ts").includes("naturalLatency"));
  });

  test("a streaming RPC gets no stub, a note comment in its module and an entry in skippedRpcs", () => {
    const sources = generate();
    const module = source(sources, "fixture_mock.ts");
    const extra = source(sources, "fixture_extra_mock.ts");
    const index = source(sources, "method-table.ts");
    assert.ok(!module.includes(`key: "fixture.Foo/WatchBars"`));
    assert.ok(!module.includes("watchBars"));
    assert.match(module, /^\/\/ Skipped fixture\.Foo\/WatchBars: a server_streaming RPC has no Twirp binding\.$/m);
    assert.match(extra, /^\/\/ Skipped fixture\.Uploader\/Upload: a client_streaming RPC has no Twirp binding\.$/m);
    assert.ok(index.includes(`key: "fixture.Foo/WatchBars",`));
    assert.ok(index.includes(`key: "fixture.Uploader/Upload",`));
    assert.ok(index.includes(`reason: "server_streaming RPCs have no Twirp binding",`));
    assert.ok(index.includes(`reason: "client_streaming RPCs have no Twirp binding",`));
  });

  test("the index spreads every module's stubs into methodStubs and exports the protocol version", () => {
    const index = source(generate(), "index.ts");
    assert.match(index, /^import \{ stubs as fixture \} from "\.\/fixture_mock\.js";$/m);
    assert.match(index, /^import \{ stubs as fixtureExtra \} from "\.\/fixture_extra_mock\.js";$/m);
    assert.match(
      index,
      /export const methodStubs: readonly MethodStub\[\] = \[\s*\.\.\.fixture,\s*\.\.\.fixtureExtra,\s*\.\.\.nestedFixtureNested,\s*\];/,
    );
    assert.match(index, /^export \{ protocolVersion, skippedRpcs \} from "\.\/method-table\.js";$/m);
  });

  test("the method table names every unary route key with a loader of its module, and imports no descriptor", () => {
    const table = source(generate(), "method-table.ts");
    assert.ok(table.includes(`export const protocolVersion = "${protocolVersion}";`));
    assert.doesNotMatch(table, /_pb\.js/, "the table must not build descriptors at import");
    assert.doesNotMatch(table, /^import (?!type)/m, "the table imports types only");
    for (const [module, keys] of [
      ["fixture_mock", ["fixture.Foo/Foo", "fixture.Foo/ListBars", "fixture.Dialer/Dial", "fixture.Dialer/Hangup"]],
      ["nested/fixture_nested_mock", ["fixture.Nested/Poke"]],
    ] as const) {
      const entry = new RegExp(
        `keys: \\[([^\\]]*)\\],\\s*load: \\(\\) => import\\("\\./${module}\\.js"\\)\\.then\\(\\(m\\) => m\\.stubs\\)`,
      ).exec(table);
      assert.ok(entry !== null, `no loader for ${module}`);
      assert.deepEqual(
        [...entry[1]!.matchAll(/"([^"]+)"/g)].map((m) => m[1]),
        keys,
      );
    }
  });

  test("every emitted file starts with a header naming the protocol version, not a tool version", () => {
    const header = `// @generated by protoc-gen-livekit-mock from github.com/livekit/protocol ${protocolVersion}. DO NOT EDIT.`;
    for (const { path, content } of generate()) {
      assert.equal(content.split("\n")[0], header, path);
      assert.ok(!/\bv?\d+\.\d+\.\d+\b/.test(content.replaceAll(protocolVersion, "")), `${path} names some other version`);
    }
  });

  test("no comment text of the .proto files reaches the output, even when the descriptors carry it", () => {
    const withComments = filesOf(buildFixture({ keepSourceInfo: true }));
    const fixture = withComments.find((f) => f.proto.name === "fixture.proto");
    const comments = fixture?.proto.sourceCodeInfo?.location.map((l) => l.leadingComments) ?? [];
    assert.ok(
      comments.some((c) => c.includes("SENTINEL-COMMENT-q7Zx")),
      "the fixture's comment should be in the descriptors",
    );
    for (const input of [files, withComments]) {
      const sources = generateStubs({ files: input, protocolVersion, grantTable, latencyTable, packageName: "fixture" });
      for (const { path, content } of sources) {
        assert.ok(!content.includes("SENTINEL-COMMENT-q7Zx"), `${path} contains .proto comment text`);
        assert.ok(!content.includes("must never copy"), `${path} contains .proto comment text`);
      }
    }
  });

  test("the output is the same on every run", () => {
    assert.deepEqual(generate(), generate());
  });
});

describe("generateStubs checks its tables against the descriptors", () => {
  test("a unary RPC without a grant entry fails with a GeneratorError naming its method key", () => {
    const { ListBars: _dropped, ...foo } = grantTable["fixture.Foo"]!;
    const problems = problemsOf(() => generate({ grantTable: { ...grantTable, "fixture.Foo": foo } }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /^fixture\.Foo\/ListBars has no grant entry/);
  });

  test("every RPC without a grant entry is named in the same error", () => {
    const { "fixture.Dialer": _dialer, ...rest } = grantTable;
    const problems = problemsOf(() => generate({ grantTable: rest }));
    assert.deepEqual(
      problems.map((p) => p.split(" ")[0]),
      ["fixture.Dialer/Dial", "fixture.Dialer/Hangup"],
    );
  });

  test("a grant entry naming no RPC of the package is stale and fails, naming the entry", () => {
    const stale: GrantTable = {
      ...grantTable,
      "fixture.Foo": { ...grantTable["fixture.Foo"]!, Removed: { enforced: false, reason: "gone upstream" } },
      "fixture.Gone": { Anything: { enforced: false, reason: "service gone upstream" } },
    };
    const problems = problemsOf(() => generate({ grantTable: stale }));
    assert.equal(problems.length, 2);
    assert.ok(problems.some((p) => p.startsWith("grant entry fixture.Foo/Removed names no unary RPC")));
    assert.ok(problems.some((p) => p.startsWith("grant entry fixture.Gone/Anything names no unary RPC")));
  });

  test("a grant entry for a streaming RPC is stale, since streaming RPCs are not served", () => {
    const stale: GrantTable = {
      ...grantTable,
      "fixture.Foo": { ...grantTable["fixture.Foo"]!, WatchBars: { enforced: false, reason: "streaming" } },
    };
    const problems = problemsOf(() => generate({ grantTable: stale }));
    assert.deepEqual(problems.length, 1);
    assert.match(problems[0]!, /^grant entry fixture\.Foo\/WatchBars names no unary RPC/);
  });

  test("a grant entry for an RPC of a sub-package is stale", () => {
    const stale: GrantTable = { ...grantTable, "fixture.sub.Hidden": { Secret: { enforced: false, reason: "other API" } } };
    const problems = problemsOf(() => generate({ grantTable: stale }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /fixture\.sub\.Hidden\/Secret/);
  });

  test("a latency entry naming no unary RPC fails, naming the entry", () => {
    const problems = problemsOf(() =>
      generate({ latencyTable: { ...latencyTable, "fixture.Dialer/Redial": { ms: 10 }, "fixture.Foo/WatchBars": { ms: 10 } } }),
    );
    assert.equal(problems.length, 2);
    assert.ok(problems.some((p) => p.startsWith("latency entry fixture.Dialer/Redial names no unary RPC")));
    assert.ok(problems.some((p) => p.startsWith("latency entry fixture.Foo/WatchBars names no unary RPC")));
  });

  test("a latency entry whose whenTrue is not a bool field of the request fails, naming the entry and field", () => {
    const problems = problemsOf(() =>
      generate({
        latencyTable: {
          "fixture.Dialer/Dial": { ms: 10, whenTrue: "room" },
          "fixture.Foo/Foo": { ms: 10, whenTrue: "no_such_field" },
        },
      }),
    );
    assert.equal(problems.length, 2);
    assert.ok(problems.includes("latency entry fixture.Dialer/Dial depends on room, which is not a bool field of fixture.DialRequest"));
    assert.ok(problems.includes("latency entry fixture.Foo/Foo depends on no_such_field, which is not a bool field of fixture.FooRequest"));
  });

  test("whenTrue names the proto field name, not its JSON or TypeScript name", () => {
    const problems = problemsOf(() => generate({ latencyTable: { "fixture.Dialer/Dial": { ms: 10, whenTrue: "waitUntilAnswered" } } }));
    assert.equal(problems.length, 1);
    assert.match(problems[0]!, /fixture\.Dialer\/Dial depends on waitUntilAnswered/);
  });

  test("grant and latency problems are reported together in one error", () => {
    const { "fixture.Uploader": _uploader, ...rest } = grantTable;
    const problems = problemsOf(() => generate({ grantTable: rest, latencyTable: { ...latencyTable, "fixture.Nope/Nope": { ms: 1 } } }));
    assert.equal(problems.length, 2);
    assert.match(problems.join("\n"), /fixture\.Uploader\/Ping has no grant entry/);
    assert.match(problems.join("\n"), /latency entry fixture\.Nope\/Nope/);
  });
});
