// The event table of docs/webhooks.md is the RPC table: the same RPCs with the same events in the same order,
// and every event name has a source in it.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { rpcEvents } from "../../src/webhooks/rpc-events.js";
import { webhookEventNames } from "../../src/webhooks/webhook-events.js";

const page = readFileSync(new URL("../../docs/webhooks.md", import.meta.url), "utf8");
const section = page.slice(page.indexOf("## Which events"), page.indexOf("## Delivery"));
const rows = [...section.matchAll(/^\| (.+?) \| (.+?) \|$/gm)]
  .map((m) => [m[1]!, m[2]!] as const)
  .filter(([source]) => source !== "Source" && source !== "---");

describe("the event table of docs/webhooks.md", () => {
  test("lists exactly the RPCs of the table, each with its events in order", () => {
    const documented = rows
      .filter(([source]) => /^`livekit\.\w+\/\w+`$/.test(source))
      .map(
        ([source, events]) => [source.slice(1, -1), [...events.replace(/\([^)]*\)/g, "").matchAll(/`(\w+)`/g)].map((m) => m[1]!)] as const,
      );
    assert.ok(documented.length > 10, `found ${documented.length} rows`);
    assert.deepEqual(
      Object.fromEntries(documented),
      Object.fromEntries(Object.entries(rpcEvents).map(([key, entry]) => [key, [...entry.events]])),
    );
  });

  test("names a source for every event", () => {
    const named = new Set(rows.flatMap(([, events]) => [...events.matchAll(/`(\w+)`/g)].map((m) => m[1]!)));
    assert.deepEqual(
      webhookEventNames.filter((name) => !named.has(name)),
      [],
    );
  });
});
