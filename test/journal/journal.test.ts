// The journal store on its own: ordering, bounds that are reported, expiry, eviction and the
// failFirst count.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createJournal } from "../../src/journal/journal.js";

function clock(start = 1000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe("the request journal", () => {
  test("returns entries in arrival order with the time since the first arrival, whatever order they were answered in", () => {
    const journal = createJournal();
    journal.record("k", 1050, { path: "/b" });
    journal.record("k", 1000, { path: "/a" });
    journal.record("k", 1120.5, { path: "/c" });
    assert.deepEqual(
      journal.read("k").entries.map((e) => [e["atMs"], e["path"]]),
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
      journal.read("a").entries.map((e) => e["n"]),
      [1],
    );
    assert.deepEqual(journal.read("nothing").entries, []);
  });

  test("past the per-key limit counts entries without keeping them, and says so", () => {
    const journal = createJournal({ entriesPerKey: 2, keys: 10, idleExpiryMs: 60_000 });
    for (let i = 0; i < 5; i++) journal.record("k", i, { i });
    const readout = journal.read("k");
    assert.deepEqual(
      readout.entries.map((e) => e["i"]),
      [0, 1],
    );
    assert.equal(readout.droppedEntries, 3);
    assert.match(readout.overflow!, /2-entry limit was reached; 3 later entries/);
  });

  test("a key idle for longer than the expiry is forgotten", () => {
    const time = clock();
    const journal = createJournal({ entriesPerKey: 10, keys: 10, idleExpiryMs: 1000 }, time.now);
    journal.record("k", time.now(), { x: 1 });
    time.advance(999);
    assert.equal(journal.read("k").entries.length, 1);
    time.advance(1);
    assert.equal(journal.read("k").entries.length, 0);
  });

  test("past the key limit the least recently used key is evicted, and a read of it says why", () => {
    const journal = createJournal({ entriesPerKey: 10, keys: 2, idleExpiryMs: 60_000 });
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
});
