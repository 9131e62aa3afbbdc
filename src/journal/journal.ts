// The request journal: what arrived under a client-chosen key, on every region and path, kept in
// this process so tests can ask afterwards what their SDK really sent. One event loop serves every
// listener, so recording and counting need no locks and `failFirst` counts exactly.
//
// Bounded on every axis, and every bound that bites is said in the answer: entries beyond the
// per-key limit are counted, not kept; a key idle for too long expires; past the key limit the
// least recently used key is evicted and a later read of it says so.
import type { JsonObject } from "@bufbuild/protobuf";
import { pathKeyPattern } from "../shared/path-key.js";

export interface JournalLimits {
  readonly entriesPerKey: number;
  readonly keys: number;
  readonly idleExpiryMs: number;
}

export const defaultJournalLimits: JournalLimits = { entriesPerKey: 1000, keys: 1000, idleExpiryMs: 10 * 60_000 };

/** A key is part of a URL path (`/_test/journal/<key>`), so it is kept short and URL-safe. */
export const journalKeyPattern = pathKeyPattern;

export interface JournalReadout {
  readonly key: string;
  /** In arrival order; `atMs` is the time since the first entry's arrival. */
  readonly entries: readonly JsonObject[];
  readonly limits: JournalLimits;
  /** Entries that arrived after the per-key limit was reached: counted, not kept. */
  readonly droppedEntries: number;
  /** Why the key holds less than was sent to it, when it does. */
  readonly overflow?: string;
}

export interface Journal {
  /** Records `entry` under `key`; `arrivedAt` (performance.now() at arrival) orders the entries. */
  record(key: string, arrivedAt: number, entry: JsonObject): void;
  /**
   * Counts one request under `key` toward `failFirst: n` and says whether it is among the first
   * `n`. Call it once per request, at the point where the request's fate is decided.
   */
  countTowardFailFirst(key: string, n: number): boolean;
  read(key: string): JournalReadout;
  /** Forgets the key; true when there was something to forget. */
  clear(key: string): boolean;
}

interface KeyRecord {
  readonly entries: { readonly arrivedAt: number; readonly seq: number; readonly entry: JsonObject }[];
  droppedEntries: number;
  failFirstCount: number;
  lastUsed: number;
}

export function createJournal(limits: JournalLimits = defaultJournalLimits, now: () => number = () => performance.now()): Journal {
  // Map order is least to most recently used: touching a key moves it to the end.
  const keys = new Map<string, KeyRecord>();
  const evicted = new Map<string, string>();
  let seq = 0;

  function expireIdle(at: number): void {
    for (const [key, record] of keys) {
      if (at - record.lastUsed < limits.idleExpiryMs) break;
      keys.delete(key);
    }
  }

  function touch(key: string): KeyRecord {
    const at = now();
    expireIdle(at);
    let record = keys.get(key);
    if (record === undefined) {
      if (keys.size >= limits.keys) {
        const [oldest] = keys.keys();
        keys.delete(oldest!);
        remember(oldest!, `evicted: more than ${limits.keys} journal keys were in use, and it was the least recently used`);
      }
      evicted.delete(key);
      record = { entries: [], droppedEntries: 0, failFirstCount: 0, lastUsed: at };
    } else {
      keys.delete(key);
    }
    record.lastUsed = at;
    keys.set(key, record);
    return record;
  }

  function remember(key: string, why: string): void {
    if (evicted.size >= limits.keys) evicted.delete(evicted.keys().next().value!);
    evicted.set(key, why);
  }

  return {
    record(key, arrivedAt, entry) {
      const record = touch(key);
      if (record.entries.length >= limits.entriesPerKey) record.droppedEntries++;
      else record.entries.push({ arrivedAt, seq: seq++, entry });
    },
    countTowardFailFirst(key, n) {
      const record = touch(key);
      record.failFirstCount++;
      return record.failFirstCount <= n;
    },
    read(key) {
      expireIdle(now());
      const record = keys.get(key);
      if (record === undefined) {
        const why = evicted.get(key);
        return { key, entries: [], limits, droppedEntries: 0, ...(why === undefined ? {} : { overflow: why }) };
      }
      // Entries are recorded when answered; arrival order can differ (a delayed call answers late).
      const sorted = [...record.entries].sort((a, b) => a.arrivedAt - b.arrivedAt || a.seq - b.seq);
      const first = sorted[0]?.arrivedAt ?? 0;
      const entries = sorted.map(({ arrivedAt, entry }) => ({ atMs: round(arrivedAt - first), ...entry }) as JsonObject);
      const readout: JournalReadout = { key, entries, limits, droppedEntries: record.droppedEntries };
      if (record.droppedEntries === 0) return readout;
      return {
        ...readout,
        overflow: `the ${limits.entriesPerKey}-entry limit was reached; ${record.droppedEntries} later entries were counted but not kept`,
      };
    },
    clear(key) {
      evicted.delete(key);
      return keys.delete(key);
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
