// The journal store on its own: ordering, bounds that are reported (docs/spec/journal.md#bounds),
// expiry, eviction, entries in progress, waits and the failFirst count.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createJournal, defaultJournalLimits, journalKeyProblem, type Journal, type JournalLimits } from "../../src/journal/journal.js";

function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

function limits(overrides: Partial<JournalLimits>): JournalLimits {
  return { ...defaultJournalLimits, ...overrides };
}

function entriesOf(journal: Journal, key: string): Record<string, unknown>[] {
  return journal.read(key).entries as Record<string, unknown>[];
}

/** Timers alive in this process: a wait that is over must leave none behind. */
function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
}

describe("the request journal", () => {
  test("returns entries in arrival order with the time since the first arrival, whatever order they were answered in", () => {
    const journal = createJournal();
    journal.record("k", 1050, { path: "/b" });
    journal.record("k", 1000, { path: "/a" });
    journal.record("k", 1120.5, { path: "/c" });
    assert.deepEqual(
      entriesOf(journal, "k").map((e) => [e["atMs"], e["path"]]),
      [
        [0, "/a"],
        [50, "/b"],
        [120.5, "/c"],
      ],
    );
  });

  test("keeps keys apart", () => {
    const journal = createJournal();
    journal.record("a", 1, { n: 1 });
    journal.record("b", 2, { n: 2 });
    assert.deepEqual(
      entriesOf(journal, "a").map((e) => e["n"]),
      [1],
    );
    assert.deepEqual(journal.read("nothing").entries, []);
  });

  test("past the per-key limit counts entries without keeping them, and says so", () => {
    const journal = createJournal(limits({ entriesPerKey: 2, keys: 10, idleExpiryMs: 60_000 }));
    for (let i = 0; i < 5; i++) journal.record("k", i, { i });
    const readout = journal.read("k");
    assert.deepEqual(
      entriesOf(journal, "k").map((e) => e["i"]),
      [0, 1],
    );
    assert.equal(readout.droppedEntries, 3);
    assert.match(readout.overflow!, /2-entry limit was reached; 3 later entries/);
  });

  test("a key idle for longer than the expiry is forgotten", () => {
    const time = clock();
    const journal = createJournal(limits({ entriesPerKey: 10, keys: 10, idleExpiryMs: 1000 }), time.now);
    journal.record("k", time.now(), { x: 1 });
    time.advance(999);
    assert.equal(journal.read("k").entries.length, 1);
    time.advance(1);
    assert.equal(journal.read("k").entries.length, 0);
  });

  test("past the key limit the least recently used key is evicted, and a read of it says why", () => {
    const journal = createJournal(limits({ entriesPerKey: 10, keys: 2, idleExpiryMs: 60_000 }));
    journal.record("a", 1, {});
    journal.record("b", 2, {});
    journal.record("a", 3, {});
    journal.record("c", 4, {});
    assert.equal(journal.read("a").entries.length, 2);
    assert.equal(journal.read("c").entries.length, 1);
    const gone = journal.read("b");
    assert.deepEqual(gone.entries, []);
    assert.match(gone.overflow!, /more than 2 journal keys/);
  });

  test("clear forgets a key and reports whether there was one", () => {
    const journal = createJournal();
    journal.record("k", 1, {});
    assert.equal(journal.clear("k"), true);
    assert.equal(journal.clear("k"), false);
    assert.deepEqual(journal.read("k").entries, []);
  });

  test("failFirst: exactly the first n counted requests under a key fail, per key", () => {
    const journal = createJournal();
    const fates = Array.from({ length: 5 }, () => journal.countTowardFailFirst("k", 2));
    assert.deepEqual(fates, [true, true, false, false, false]);
    assert.equal(journal.countTowardFailFirst("other", 2), true);
    journal.clear("k");
    assert.equal(journal.countTowardFailFirst("k", 2), true, "clearing a key restarts its count");
  });
  test("an entry larger than its byte limit loses its largest fields first, each replaced by a note, and says so", () => {
    const journal = createJournal(limits({ entryBytes: 4096 }));
    const failMeta = { reason: "x".repeat(500_000) };
    journal.record("k", 1, {
      kind: "twirp",
      route: "livekit.RoomService/ListRooms",
      status: 503,
      control: { failMeta },
      token: { subject: "alice" },
    });
    const [entry] = entriesOf(journal, "k");
    const { atMs: _, ...kept } = entry!;
    assert.ok(Buffer.byteLength(JSON.stringify(kept)) <= 4096, `kept ${Buffer.byteLength(JSON.stringify(kept))} bytes`);
    assert.equal(entry["truncated"], true);
    assert.ok((entry["fullEntryBytes"] as number) > 500_000);
    assert.match((entry["control"] as { note: string }).note, /^cut: \d+ bytes of JSON, in an entry limited to 4096$/);
    assert.deepEqual(
      [entry["kind"], entry["route"], entry["status"], entry["token"]],
      ["twirp", "livekit.RoomService/ListRooms", 503, { subject: "alice" }],
      "the small fields are kept whole",
    );
  });

  test("a long string field keeps its start and says how long it was", () => {
    const journal = createJournal(limits({ entryBytes: 2048 }));
    journal.record("k", 1, { kind: "twirp", why: `mock: invalid control: ${"y".repeat(10_000)}` });
    const [entry] = entriesOf(journal, "k");
    assert.match(entry!["why"] as string, /^mock: invalid control: y+… \(cut: \d+ bytes of JSON, in an entry limited to 2048\)$/);
  });

  test("an entry within its byte limit is kept as it was recorded", () => {
    const journal = createJournal(limits({ entryBytes: 4096 }));
    const entry = { kind: "twirp", request: { name: "é".repeat(1000) } };
    journal.record("k", 1, entry);
    assert.deepEqual(entriesOf(journal, "k"), [{ atMs: 0, ...entry }]);
    assert.deepEqual(JSON.parse(journal.readJson("k", { more: 1 })), { ...journal.read("k"), more: 1 }, "the answer's text says the same");
  });

  test("past the journal's byte limit the least recently used key is evicted, and a read of it says why", () => {
    const journal = createJournal(limits({ entryBytes: 2000, totalBytes: 5000 }));
    const big = { data: "z".repeat(1500) };
    journal.record("a", 1, big);
    journal.record("b", 2, big);
    journal.record("a", 3, big);
    journal.record("c", 4, big);
    assert.equal(journal.read("a").entries.length, 2);
    assert.equal(journal.read("c").entries.length, 1);
    const gone = journal.read("b");
    assert.deepEqual(gone.entries, []);
    assert.match(gone.overflow!, /^evicted: the journal held more than its 5000-byte limit, and it was the least recently used key$/);
  });

  test("a key that alone reaches the journal's byte limit keeps what fits and counts the rest", () => {
    const journal = createJournal(limits({ entryBytes: 2000, totalBytes: 5000 }));
    for (let i = 0; i < 5; i++) journal.record("k", i, { i, data: "z".repeat(1500) });
    const readout = journal.read("k");
    assert.equal(readout.entries.length, 3);
    assert.equal(readout.droppedEntries, 2);
    assert.match(readout.overflow!, /5000-byte limit was reached; 2 later entries were counted but not kept/);
  });

  test("clearing a key gives its bytes back", () => {
    const journal = createJournal(limits({ entryBytes: 2000, totalBytes: 5000 }));
    for (let round = 0; round < 5; round++) {
      journal.record("a", 1, { data: "z".repeat(1500) });
      journal.record("a", 2, { data: "z".repeat(1500) });
      assert.equal(journal.read("a").droppedEntries, 0, `round ${round}`);
      journal.clear("a");
    }
  });

  test("an entry in progress is read at once, and replaced where it stands when its call ends", () => {
    const journal = createJournal();
    const finish = journal.begin("k", 1000, { path: "/slow", outcome: "in-progress" });
    journal.record("k", 1010, { path: "/quick", outcome: "answered" });
    assert.deepEqual(
      entriesOf(journal, "k").map((e) => [e["atMs"], e["path"], e["outcome"]]),
      [
        [0, "/slow", "in-progress"],
        [10, "/quick", "answered"],
      ],
    );
    finish({ path: "/slow", outcome: "client-gone" });
    assert.deepEqual(
      entriesOf(journal, "k").map((e) => [e["path"], e["outcome"]]),
      [
        ["/slow", "client-gone"],
        ["/quick", "answered"],
      ],
    );
  });

  test("a call in progress under a key cleared meanwhile is forgotten with it", () => {
    const journal = createJournal();
    const finish = journal.begin("k", 1000, { outcome: "in-progress" });
    journal.clear("k");
    finish({ outcome: "answered" });
    assert.deepEqual(journal.read("k").entries, []);
  });

  test("a wait resolves once the key holds enough finished entries; entries in progress do not count", async () => {
    const journal = createJournal();
    const finish = journal.begin("k", 1, { outcome: "in-progress" });
    const wait = journal.waitFor("k", 2, 60_000);
    let reached: boolean | undefined;
    void wait.reached.then((r) => (reached = r));
    journal.record("k", 2, { outcome: "answered" });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(reached, undefined, "one finished entry is not two");
    finish({ outcome: "client-gone" });
    assert.equal(await wait.reached, true);
  });

  test("a wait that is already satisfied resolves at once", async () => {
    const journal = createJournal();
    journal.record("k", 1, {});
    assert.equal(await journal.waitFor("k", 1, 60_000).reached, true);
  });

  test("a wait that runs out resolves false, and one cancelled too; neither leaves a timer behind", async () => {
    const journal = createJournal();
    const before = timers();
    assert.equal(await journal.waitFor("k", 1, 30).reached, false);
    const cancelled = journal.waitFor("k", 1, 60_000);
    assert.equal(timers(), before + 1);
    cancelled.cancel();
    assert.equal(await cancelled.reached, false);
    assert.equal(timers(), before);
    journal.record("k", 1, {});
    assert.equal(await journal.waitFor("k", 1, 60_000).reached, true, "a cancelled wait does not stop later ones");
  });

  test("keys . and .. are refused, saying why; other keys with dots are accepted", () => {
    for (const key of [".", ".."]) assert.match(journalKeyProblem(key)!, /could never be read back: HTTP clients resolve/, key);
    for (const key of ["...", ".a", "..a", "a.", "a..b", "~", "-", "x".repeat(64), `.${"x".repeat(63)}`]) {
      assert.equal(journalKeyProblem(key), undefined, key);
    }
    for (const key of ["", "x".repeat(65), "has space", "a/b", "%2E"])
      assert.match(journalKeyProblem(key)!, /is not 1 to 64 characters/, key);
  });
});
