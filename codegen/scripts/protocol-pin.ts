// The one place scripts learn which LiveKit protocol version to generate from: package.json's
// `config.livekitProtocol`.
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export function readProtocolPin(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    config?: { livekitProtocol?: unknown };
  };
  const version = pkg.config?.livekitProtocol;
  if (typeof version !== "string" || !/^v\d+\.\d+\.\d+(-[\w.]+)?$/.test(version)) {
    throw new Error(`package.json config.livekitProtocol must be a module version like "v1.54.0", got ${JSON.stringify(version)}`);
  }
  return version;
}

/**
 * Go modules of ours that build on the pinned protocol itself (not on an SDK's choice of it), so
 * they move with the pin: `npm run bump` moves them, and a test holds each to the pin.
 */
export const goModulesFollowingPin: readonly string[] = ["test/webhooks/go-protojson"];

/** The version `go.mod` at `dir` (relative to the repo) requires of a module, if any. */
export function requiredVersion(dir: string, module: string): string | undefined {
  const goMod = readFileSync(new URL(`../../${dir}/go.mod`, import.meta.url), "utf8");
  const escaped = module.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`^\\s*(?:require\\s+)?${escaped}\\s+(\\S+)`, "m").exec(goMod)?.[1];
}

/** Writes `version` into package.json's config.livekitProtocol, leaving the rest of the file as it is. */
export function writeProtocolPin(version: string): void {
  const path = new URL("../../package.json", import.meta.url);
  const text = readFileSync(path, "utf8");
  const next = text.replace(/("livekitProtocol"\s*:\s*)"[^"]*"/, `$1${JSON.stringify(version)}`);
  if (next === text && readProtocolPin() !== version) throw new Error("package.json has no config.livekitProtocol to update");
  writeFileSync(path, next);
}

/** Prose that quotes the pinned version; `npm run bump` rewrites the version in each match. */
export const pinQuotes: readonly { readonly file: string; readonly pattern: RegExp }[] = [
  { file: "README.md", pattern: /(LiveKit protocol it was\s+generated from \()(v[^)\s]+)(\))/ },
];
