// The one place scripts learn which LiveKit protocol version to generate from: package.json's
// `config.livekitProtocol`.
import { readFileSync } from "node:fs";
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
