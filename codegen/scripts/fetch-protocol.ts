// Fetches a github.com/livekit/protocol version with the ordinary Go client and copies its
// protobufs/ folder to proto/livekit-protocol (git-ignored). The module cache is the registry copy;
// we never edit or commit the protos.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const protocolModule = "github.com/livekit/protocol";

/** Copies the protobufs/ folder of the protocol at `version` to `destination`; returns the module's folder. */
export function fetchProtocol(version: string, destination: string): string {
  const dir = downloadModule(protocolModule, version);
  const source = join(dir, "protobufs");
  if (!existsSync(source)) {
    throw new Error(`${protocolModule}@${version} has no protobufs/ folder`);
  }
  rmSync(destination, { recursive: true, force: true });
  cpSync(source, destination, { recursive: true });
  makeWritable(destination);
  return dir;
}

/** `go mod download` of one module version; returns its (read-only) folder in the module cache. */
export function downloadModule(module: string, version: string): string {
  let out: string;
  try {
    out = execFileSync("go", ["mod", "download", "-json", `${module}@${version}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      // Outside any Go module, so no go.mod of ours is consulted or changed.
      cwd: tmpdir(),
    });
  } catch (err) {
    const stdout = (err as { stdout?: string }).stdout ?? "";
    throw new Error(`go mod download ${module}@${version} failed: ${goError(stdout) ?? (stdout || String(err))}`);
  }
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (info.Error !== undefined || info.Dir === undefined) {
    throw new Error(`go mod download ${module}@${version} failed: ${info.Error ?? "no Dir reported"}`);
  }
  return info.Dir;
}

// `go mod download -json` reports a failure as JSON on stdout; its Error field is the message.
function goError(stdout: string): string | undefined {
  try {
    const error = (JSON.parse(stdout) as { Error?: unknown }).Error;
    return typeof error === "string" ? error : undefined;
  } catch {
    return undefined;
  }
}

// The Go module cache is read-only; the copy must not be, or the next fetch cannot replace it.
function makeWritable(path: string): void {
  const stat = statSync(path);
  chmodSync(path, stat.isDirectory() ? 0o755 : 0o644);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) makeWritable(join(path, entry));
  }
}

/** Every version of a module the Go proxy lists (`go list -m -versions`), in its order. */
export function goModuleVersions(module: string): string[] {
  let out: string;
  try {
    out = execFileSync("go", ["list", "-m", "-versions", module], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], cwd: tmpdir() });
  } catch (err) {
    throw new Error(`go list -m -versions ${module} failed: ${String((err as { stderr?: string }).stderr ?? err).trim()}`);
  }
  return out.trim().split(/\s+/).slice(1);
}
