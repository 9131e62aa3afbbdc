// The ready file: written once every listener is bound, removed on shutdown. It tells a health
// check which addresses to probe whatever flags or env vars configured the server, which a
// Docker HEALTHCHECK (which sees neither) cannot otherwise know.
import { rmSync, writeFileSync } from "node:fs";
import type { Region } from "../shared/region.js";

export interface ReadyFile {
  readonly pid: number;
  readonly healthUrls: readonly string[];
}

export function writeReadyFile(path: string, bind: string, regions: readonly Region[]): void {
  const host = probeHost(bind);
  const content: ReadyFile = { pid: process.pid, healthUrls: regions.map((r) => `http://${host}:${r.port}/_test/health`) };
  writeFileSync(path, `${JSON.stringify(content)}\n`);
}

export function removeReadyFile(path: string): void {
  rmSync(path, { force: true });
}

/** Where a local probe reaches a listener bound to `bind`. */
function probeHost(bind: string): string {
  if (bind === "0.0.0.0" || bind === "") return "127.0.0.1";
  if (bind === "::") return "[::1]";
  return bind.includes(":") ? `[${bind}]` : bind;
}
