// The pinned protocol module's Go `webhook` package, fetched with the ordinary Go client (as
// `npm run generate` fetches its protos), for tests that hold our tables to its source.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { readProtocolPin } from "../../codegen/scripts/protocol-pin.js";

export function pinnedProtocolDir(): string {
  const out = execFileSync("go", ["mod", "download", "-json", `github.com/livekit/protocol@${readProtocolPin()}`], {
    encoding: "utf8",
    cwd: tmpdir(),
  });
  return (JSON.parse(out) as { Dir: string }).Dir;
}

/** `Event… = "name"` constants of webhook/consts.go, in source order. */
export function goWebhookEventNames(dir: string = pinnedProtocolDir()): string[] {
  const source = readFileSync(join(dir, "webhook", "consts.go"), "utf8");
  return [...source.matchAll(/^\s*Event\w+\s*=\s*"([^"]+)"/gm)].map((m) => m[1]!);
}

export function goWebhookSource(file: string, dir: string = pinnedProtocolDir()): string {
  return readFileSync(join(dir, "webhook", file), "utf8");
}
