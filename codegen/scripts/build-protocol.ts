// Descriptors of a protocol version, built as `npm run generate` builds them: the version's
// protobufs/ fetched with the Go client and compiled by the repo's buf with proto/buf.yaml (the same
// rpc/ and roomrpc/ exclusions). For the bump's diff and for tests that hold generated/ to the pin.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createFileRegistry, fromBinary, type FileRegistry } from "@bufbuild/protobuf";
import { FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { fetchProtocol } from "./fetch-protocol.js";
import { repoRoot } from "./protocol-pin.js";

const buf = join(repoRoot, "node_modules", ".bin", "buf");

export interface BuildOptions {
  /** Keep .proto comments in the descriptors (the pipeline drops them; some tests want them in). */
  readonly keepSourceInfo?: boolean;
}

/** Builds the buf module (or workspace) at `dir` and loads every file of it, imports included. */
export function buildRegistry(dir: string, options: BuildOptions = {}): FileRegistry {
  const scratch = mkdtempSync(join(tmpdir(), "lk-buf-build-"));
  const image = join(scratch, "image.binpb");
  try {
    const args = ["build", dir, "--as-file-descriptor-set", "-o", image];
    if (options.keepSourceInfo !== true) args.push("--exclude-source-info");
    try {
      execFileSync(buf, args, { cwd: repoRoot, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
    } catch (err) {
      throw new Error(`buf build ${dir} failed: ${(err as { stderr?: string }).stderr ?? String(err)}`);
    }
    return createFileRegistry(fromBinary(FileDescriptorSetSchema, readFileSync(image)));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export interface BuiltProtocol {
  readonly version: string;
  /** The version's Go module folder (read-only, in the module cache): its Go sources. */
  readonly moduleDir: string;
  readonly registry: FileRegistry;
}

export function buildProtocol(version: string): BuiltProtocol {
  const workspace = mkdtempSync(join(tmpdir(), "lk-protocol-"));
  try {
    copyFileSync(join(repoRoot, "proto", "buf.yaml"), join(workspace, "buf.yaml"));
    const moduleDir = fetchProtocol(version, join(workspace, "livekit-protocol"));
    return { version, moduleDir, registry: buildRegistry(workspace) };
  } finally {
    rmSync(workspace, { recursive: true, force: true });
  }
}
