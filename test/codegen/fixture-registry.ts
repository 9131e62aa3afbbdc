// Turns .proto folders into descriptors for the generator's tests, with the repo's own buf:
// the small fixture module next to this file, the two versions of the bump fixtures, and the
// pinned LiveKit protocol.
import type { GrantTable } from "../../codegen/grant-table.js";
import type { LatencyTable } from "../../codegen/latency-table.js";
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { DescFile, FileRegistry } from "@bufbuild/protobuf";
import { buildProtocol, buildRegistry, type BuildOptions, type BuiltProtocol } from "../../codegen/scripts/build-protocol.js";
import { readProtocolPin, repoRoot } from "../../codegen/scripts/protocol-pin.js";

/** The fixture module (package `fixture`, with a `fixture.sub` sub-package). */
export const fixtureDir = fileURLToPath(new URL("./fixtures/", import.meta.url));

const buf = join(repoRoot, "node_modules", ".bin", "buf");

/** The fixture module's descriptors. */
export function buildFixture(options: BuildOptions = {}): FileRegistry {
  return buildRegistry(fixtureDir, options);
}

/** Every file of a registry, as the plugin would be handed them. */
export function filesOf(registry: FileRegistry): DescFile[] {
  return [...registry.files];
}

/**
 * The protocol version pinned in package.json, fetched and built afresh (the Go module cache makes
 * this cheap after the first time), so a test sees exactly the pin whatever state the git-ignored
 * proto/livekit-protocol folder is in.
 */
export function buildPinnedProtocol(): BuiltProtocol {
  return buildProtocol(readProtocolPin());
}

/**
 * Lays out a throwaway project shaped like the repo (generated/ with protobuf-es output for the
 * fixture, generated/mock with `mockSources`, src/twirp/method-stub.ts and the grant types, node_modules) so what the
 * generator emitted can be type-checked with the repo's compiler options and imported.
 * Returns its folder; the caller removes it.
 */
export function writeFixtureProject(mockSources: readonly { path: string; content: string }[]): string {
  const project = mkdtempSync(join(tmpdir(), "lk-fixture-project-"));
  const generated = join(project, "generated");
  const template = {
    version: "v2",
    plugins: [{ local: "protoc-gen-es", out: generated, opt: ["target=ts", "import_extension=js"] }],
  };
  try {
    execFileSync(buf, ["generate", fixtureDir, "--template", JSON.stringify(template)], {
      cwd: repoRoot,
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
      env: { ...process.env, PATH: `${join(repoRoot, "node_modules", ".bin")}:${process.env["PATH"] ?? ""}` },
    });
  } catch (err) {
    rmSync(project, { recursive: true, force: true });
    throw new Error(`buf generate ${fixtureDir} failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
  }
  for (const { path, content } of mockSources) {
    const target = join(generated, "mock", path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  // The stub contract and the grant types it refers to.
  for (const file of ["twirp/method-stub.ts", "auth/method-grant.ts"]) {
    mkdirSync(dirname(join(project, "src", file)), { recursive: true });
    copyFileSync(join(repoRoot, "src", file), join(project, "src", file));
  }
  symlinkSync(join(repoRoot, "node_modules"), join(project, "node_modules"), "dir");
  writeFileSync(join(project, "package.json"), JSON.stringify({ type: "module", private: true }));
  writeFileSync(
    join(project, "tsconfig.json"),
    JSON.stringify({ extends: join(repoRoot, "tsconfig.json"), include: ["src", "generated"] }),
  );
  return project;
}

/** Type-checks a project from writeFixtureProject with the repo's TypeScript; returns tsc's output. */
export function typeCheck(project: string): { ok: boolean; output: string } {
  try {
    execFileSync(join(repoRoot, "node_modules", ".bin", "tsc"), ["-p", join(project, "tsconfig.json")], {
      cwd: project,
      stdio: ["ignore", "pipe", "pipe"],
      encoding: "utf8",
    });
    return { ok: true, output: "" };
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    return { ok: false, output: `${stdout ?? ""}${stderr ?? String(err)}` };
  }
}

// The decision tables every fixture test generates with (the fixture package's own grants).
export const fixtureGrantTable: GrantTable = {
  "fixture.Foo": {
    Foo: { enforced: true, required: ["video.roomAdmin"], roomScope: "room" },
    ListBars: { enforced: false, reason: "fixture: nothing to guard" },
  },
  "fixture.Dialer": {
    Dial: { enforced: true, required: ["sip.call", "video.roomAdmin"], roomScope: "room-and-destination" },
    Hangup: { enforced: true, required: ["sip.call"], roomScope: "none" },
  },
  "fixture.Uploader": {
    Ping: { enforced: true, required: ["video.roomList"], roomScope: "none" },
  },
  "fixture.Nested": {
    Poke: { enforced: true, required: ["video.roomCreate"], roomScope: "none" },
  },
};

export const fixtureLatencyTable: LatencyTable = {
  "fixture.Dialer/Dial": { ms: 4_321, whenTrue: "wait_until_answered" },
  "fixture.Dialer/Hangup": { ms: 250 },
};

/** One side of the bump fixtures (test/codegen/bump-fixtures): its descriptors and its Go files. */
export interface BumpFixture {
  readonly registry: FileRegistry;
  readonly go: (path: string) => string | undefined;
}

export function buildBumpFixture(side: "before" | "after"): BumpFixture {
  const root = fileURLToPath(new URL(`./bump-fixtures/${side}/`, import.meta.url));
  return {
    registry: buildRegistry(join(root, "proto")),
    go: (path) => (existsSync(join(root, "go", path)) ? readFileSync(join(root, "go", path), "utf8") : undefined),
  };
}
