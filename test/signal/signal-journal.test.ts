// The signal journal: with `journal` in lk.mock, GET /_test/journal/<key> shows each connection
// (connect, join, every frame the client sent, the close and who closed), validate fetches and
// refused upgrades, in arrival order, on any port.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JsonObject } from "@bufbuild/protobuf";
import { useServer } from "../support/server.js";
import { mockToken } from "./mock-token.js";
import { connect, refusal, type SignalClient } from "./signal-client.js";

const server = useServer();
let keys = 0;
const newKey = (): string => `signal-journal-${process.pid}-${++keys}`;

interface Readout {
  readonly key: string;
  readonly entries: JsonObject[];
  readonly droppedEntries: number;
  readonly overflow?: string;
}

async function journal(key: string, region = 0): Promise<Readout> {
  const res = await fetch(`${server.url(region)}/_test/journal/${key}`);
  assert.equal(res.status, 200);
  return (await res.json()) as Readout;
}

/** The journal once it holds an entry matching `done`. */
async function journalUntil(key: string, done: (entries: JsonObject[]) => boolean): Promise<JsonObject[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { entries } = await journal(key);
    if (done(entries) || Date.now() > deadline) return entries;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const closed = (entries: JsonObject[]): boolean => entries.some((e) => e["event"] === "closed");
const events = (entries: JsonObject[]): unknown[] =>
  entries.map((e) => (e["event"] === "request" ? Object.keys(e["request"] as JsonObject)[0] : e["event"]));

async function open(key: string, mock: Record<string, unknown> = {}, path = "/rtc", region = 0): Promise<SignalClient> {
  return connect(server.url(region), path, { token: await mockToken({ journal: key, ...mock }) });
}

describe("the signal journal", { concurrency: 6 }, () => {
  test("records the connect, the join, every request as protojson, and the close after a leave", async () => {
    const key = newKey();
    const client = await open(key, {}, "/rtc/v1", 2);
    await client.next();
    client.send({ case: "ping", value: 1700000000000n });
    await client.next();
    client.send({ case: "updateMetadata", value: { requestId: 5, metadata: "m", name: "n" } });
    await client.next();
    client.send({ case: "leave", value: { reason: 1, action: 0 } });
    await client.closed;
    const entries = await journalUntil(key, closed);
    assert.deepEqual(events(entries), ["connected", "joined", "ping", "updateMetadata", "leave", "closed"]);
    const [connected, joined, ping, update, leave, end] = entries;
    assert.deepEqual(
      { ...connected, atMs: undefined, sinceUpgradeMs: undefined, connection: undefined },
      {
        atMs: undefined,
        sinceUpgradeMs: undefined,
        connection: undefined,
        kind: "signal",
        region: "region-2",
        path: "/rtc/v1",
        event: "connected",
        status: 101,
        mode: "happy",
        reconnect: false,
        identity: "alice",
      },
    );
    assert.equal(joined!["sent"], "join");
    assert.deepEqual(ping!["request"], { ping: "1700000000000" });
    assert.deepEqual(update!["request"], { updateMetadata: { metadata: "m", name: "n", requestId: 5 } });
    assert.deepEqual(leave!["request"], { leave: { reason: "CLIENT_INITIATED" } });
    assert.deepEqual([end!["by"], end!["code"], end!["reason"]], ["server", 1000, ""]);
    const times = entries.map((e) => e["sinceUpgradeMs"] as number);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
    assert.equal(times[0], 0);
    assert.ok(entries.every((e) => e["connection"] === connected!["connection"]));
    client.ws.close();
  });

  test("records a client's close with its code and reason", async () => {
    const key = newKey();
    const client = await open(key);
    await client.next();
    client.ws.close(4001, "test over");
    await client.closed;
    const end = (await journalUntil(key, closed)).at(-1)!;
    assert.deepEqual([end["event"], end["by"], end["code"], end["reason"]], ["closed", "client", 4001, "test over"]);
  });

  test("records a close frame without a status as 1005, and a vanished client as 1006", async () => {
    const key = newKey();
    const first = await open(key);
    await first.next();
    first.ws.close();
    await first.closed;
    const second = await open(key);
    await second.next();
    second.ws.terminate();
    const entries = await journalUntil(key, (e) => e.filter((x) => x["event"] === "closed").length === 2);
    const ends = entries.filter((e) => e["event"] === "closed").map((e) => [e["connection"] !== undefined, e["by"], e["code"]]);
    assert.deepEqual(ends, [
      [true, "client", 1005],
      [true, "client", 1006],
    ]);
    const connections = new Set(entries.map((e) => e["connection"]));
    assert.equal(connections.size, 2, "each connection has its own number");
  });

  test("records what the server ended: a scripted close, a drop", async () => {
    const key = newKey();
    const closing = await open(key, { script: [{ afterMs: 10, close: { code: 4100, reason: "scripted" } }] });
    await closing.closed;
    const dropping = await open(key, { script: [{ afterMs: 10, drop: true }] });
    await dropping.closed;
    const entries = await journalUntil(key, (e) => e.filter((x) => x["event"] === "closed").length === 2);
    const ends = entries.filter((e) => e["event"] === "closed").map((e) => [e["by"], e["code"], e["reason"]]);
    assert.deepEqual(ends, [
      ["server", 4100, "scripted"],
      ["server", 1006, ""],
    ]);
  });

  test("records text and undecodable frames as ignored", async () => {
    const key = newKey();
    const client = await open(key);
    await client.next();
    client.ws.send("hello");
    client.ws.send(Buffer.from([0xff, 0xff, 0xff]));
    client.ws.close(1000);
    await client.closed;
    const entries = await journalUntil(key, closed);
    assert.deepEqual(
      entries.filter((e) => e["event"] === "ignored").map((e) => [e["frame"], e["bytes"]]),
      [
        ["text", 5],
        ["undecodable", 3],
      ],
    );
  });

  test("records validate fetches and refused upgrades, as a client falling back would make them", async () => {
    const key = newKey();
    const token = await mockToken({ signal: "room_not_found", journal: key });
    assert.equal((await refusal(server.url(1), "/rtc", { token })).status, 404);
    await fetch(`${server.url(1)}/rtc/validate?access_token=${token}`);
    const { entries } = await journal(key, 3);
    assert.deepEqual(
      entries.map((e) => [e["event"], e["path"], e["region"], e["status"]]),
      [
        ["refused", "/rtc", "region-1", 404],
        ["validate", "/rtc/validate", "region-1", 404],
      ],
    );
    assert.equal(entries[1]!["method"], "GET");
  });

  test("keeps keys apart, answers an unused key with no entries, and forgets a key on DELETE", async () => {
    const [a, b] = [newKey(), newKey()];
    const client = await open(a);
    await client.next();
    client.ws.close();
    await journalUntil(a, closed);
    assert.deepEqual((await journal(b)).entries, []);
    const deleted = await fetch(`${server.url(1)}/_test/journal/${a}`, { method: "DELETE" });
    assert.deepEqual([deleted.status, await deleted.json()], [200, { key: a, cleared: true }]);
    assert.deepEqual((await journal(a)).entries, []);
  });

  test("refuses a malformed key and a method it does not serve", async () => {
    const bad = await fetch(`${server.url()}/_test/journal/${"x".repeat(65)}`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /invalid journal key/);
    const post = await fetch(`${server.url()}/_test/journal/k`, { method: "POST" });
    assert.deepEqual([post.status, post.headers.get("allow")], [405, "GET, HEAD, DELETE"]);
  });

  test("says when a connection sent more than a key holds", async () => {
    const key = newKey();
    const client = await open(key);
    await client.next();
    for (let i = 0; i < 1_005; i++) client.send({ case: "trickle", value: { candidateInit: String(i) } });
    client.send({ case: "leave", value: {} });
    await client.closed;
    const readout = await journal(key);
    assert.equal(readout.entries.length, 1_000);
    assert.ok(readout.droppedEntries > 0);
    assert.match(readout.overflow ?? "", /1000-entry limit was reached/);
  });
});
