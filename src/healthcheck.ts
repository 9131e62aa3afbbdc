#!/usr/bin/env node
// `healthcheck [ready-file]`: exit 0 when every listener named in the ready file answers `ok` on
// /_test/health, 1 otherwise, with one line saying which did not. Used by the Docker HEALTHCHECK.
import { readFileSync } from "node:fs";
import type { ReadyFile } from "./server/ready-file.js";

async function main(): Promise<string | undefined> {
  const path = process.argv[2] ?? process.env["LK_TEST_SERVER_READY_FILE"] ?? "";
  if (path === "") return "no ready file given (argument or LK_TEST_SERVER_READY_FILE)";
  let ready: ReadyFile;
  try {
    ready = JSON.parse(readFileSync(path, "utf8")) as ReadyFile;
  } catch {
    return `not ready: ${path} does not exist yet`;
  }
  for (const url of ready.healthUrls) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      const body = await response.text();
      if (response.status !== 200 || body !== "ok") return `${url} answered ${response.status} ${JSON.stringify(body)}`;
    } catch (err) {
      return `${url} did not answer: ${(err as Error).message}`;
    }
  }
  return undefined;
}

main().then((problem) => {
  if (problem === undefined) process.exit(0);
  process.stderr.write(`healthcheck: ${problem}\n`);
  process.exit(1);
});
