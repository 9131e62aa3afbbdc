// The pinned protocol module's Go `webhook` package, fetched with the ordinary Go client (as
// `npm run generate` fetches its protos), for tests that hold our tables to its source.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { goStringConstants } from "../../codegen/go-source.js";
import { downloadModule, protocolModule } from "../../codegen/scripts/fetch-protocol.js";
import { readProtocolPin } from "../../codegen/scripts/protocol-pin.js";

export function pinnedProtocolDir(): string {
  return downloadModule(protocolModule, readProtocolPin());
}

/** `Event… = "name"` constants of webhook/consts.go, in source order. */
export function goWebhookEventNames(dir: string = pinnedProtocolDir()): string[] {
  return goStringConstants(readFileSync(join(dir, "webhook", "consts.go"), "utf8"), "Event");
}

export function goWebhookSource(file: string, dir: string = pinnedProtocolDir()): string {
  return readFileSync(join(dir, "webhook", file), "utf8");
}
