// Fetches the pinned github.com/livekit/protocol module with the ordinary Go client and copies its
// protobufs/ folder to proto/livekit-protocol (git-ignored). The module cache is the registry copy;
// we never edit or commit the protos.
import { execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const protocolModule = "github.com/livekit/protocol";

export function fetchProtocol(version: string, destination: string): void {
  let out: string;
  try {
    out = execFileSync("go", ["mod", "download", "-json", `${protocolModule}@${version}`], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      // Outside any Go module, so no go.mod of ours is consulted or changed.
      cwd: tmpdir(),
    });
  } catch (err) {
    const stdout = (err as { stdout?: string }).stdout ?? "";
    throw new Error(`go mod download ${protocolModule}@${version} failed: ${goError(stdout) ?? (stdout || String(err))}`);
  }
  const info = JSON.parse(out) as { Dir?: string; Error?: string };
  if (info.Error !== undefined || info.Dir === undefined) {
    throw new Error(`go mod download ${protocolModule}@${version} failed: ${info.Error ?? "no Dir reported"}`);
  }
  const source = join(info.Dir, "protobufs");
  if (!existsSync(source)) {
    throw new Error(`${protocolModule}@${version} has no protobufs/ folder`);
  }
  rmSync(destination, { recursive: true, force: true });
  cpSync(source, destination, { recursive: true });
  makeWritable(destination);
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
