// The request journal: what arrived under a client-chosen key, on every region and path, kept in
// this process so tests can ask afterwards what their SDK really sent. One event loop serves every
// listener, so recording and counting need no locks and `failFirst` counts exactly.
//
// Bounded on every axis, and every bound that bites is said in the answer
// (docs/spec/journal.md#bounds): entries beyond the per-key limit are counted, not kept; an entry
// larger than its byte limit is cut field by field and marked; past the key limit or the byte
// limit of the whole journal the least recently used key is evicted and a later read of it says
// so; a key idle for too long expires. Entries are kept as JSON text: their size is then exact,
// and they cost memory close to that size.
import type { JsonObject } from "@bufbuild/protobuf";
import { pathKeyProblem, pathKeyRule } from "../shared/path-key.js";
import { fitEntry } from "./fit-entry.js";

export interface JournalLimits {
  readonly entriesPerKey: number;
  readonly keys: number;
  readonly idleExpiryMs: number;
  /** The JSON of one entry, in UTF-8 bytes. */
  readonly entryBytes: number;
  /** The JSON of every entry of every key, in UTF-8 bytes. */
  readonly totalBytes: number;
}

export const defaultJournalLimits: JournalLimits = {
  entriesPerKey: 1000,
  keys: 1000,
  idleExpiryMs: 10 * 60_000,
  entryBytes: 32 * 1024,
  totalBytes: 64 * 1024 * 1024,
};

/** A key is a path segment of `/_test/journal/<key>` (docs/spec/journal.md#keys). */
export const journalKeyRule = pathKeyRule;

/** Why `key` cannot be a journal key, or undefined when it can. */
export function journalKeyProblem(key: string): string | undefined {
  return pathKeyProblem(key, "journal");
}

export interface JournalReadout {
  readonly key: string;
  /** In arrival order; `atMs` is the time since the first entry's arrival. */
  readonly entries: readonly JsonObject[];
  readonly limits: JournalLimits;
  /** Entries that arrived after a limit was reached: counted, not kept. */
  readonly droppedEntries: number;
  /** Why the key holds less than was sent to it, when it does. */
  readonly overflow?: string;
}

/** Settles once a key holds enough finished entries, or when it times out or is cancelled. */
export interface JournalWait {
  /** True when the entries arrived; false when the time ran out or the wait was cancelled. */
  readonly reached: Promise<boolean>;
  /** Stops waiting and frees the wait's timer: for a reader that went away. */
  cancel(): void;
}

export interface Journal {
  readonly limits: JournalLimits;
  /** Records a finished `entry` under `key`; `arrivedAt` (performance.now() at arrival) orders the entries. */
  record(key: string, arrivedAt: number, entry: JsonObject): void;
  /**
   * Records the entry of a call that is still in progress (docs/spec/journal.md#in-progress) and
   * returns what replaces it with the finished entry. A key cleared or evicted meanwhile forgets
   * the call with everything else.
   */
  begin(key: string, arrivedAt: number, entry: JsonObject): (finished: JsonObject) => void;
  /**
   * Counts one request under `key` toward `failFirst: n` and says whether it is among the first
   * `n`. Call it once per request, at the point where the request's fate is decided.
   */
  countTowardFailFirst(key: string, n: number): boolean;
  read(key: string): JournalReadout;
  /** The readout as the JSON text GET /_test/journal/<key> answers, with `extra` fields at the end. */
  readJson(key: string, extra?: JsonObject): string;
  /** Waits until `key` holds at least `min` finished entries (docs/spec/journal.md#wait), at most `ms`. */
  waitFor(key: string, min: number, ms: number): JournalWait;
  /** Forgets the key; true when there was something to forget. */
  clear(key: string): boolean;
}

interface Slot {
  readonly arrivedAt: number;
  readonly seq: number;
  text: string;
  bytes: number;
  finished: boolean;
}

interface KeyRecord {
  readonly entries: Slot[];
  droppedByCount: number;
  droppedByBytes: number;
  /** Entries whose call has ended, kept or dropped: what a wait counts. */
  finishedEntries: number;
  bytes: number;
  failFirstCount: number;
  lastUsed: number;
}

interface Waiter {
  readonly min: number;
  readonly settle: (reached: boolean) => void;
}

export function createJournal(limits: JournalLimits = defaultJournalLimits, now: () => number = () => performance.now()): Journal {
  // Map order is least to most recently used: touching a key moves it to the end.
  const keys = new Map<string, KeyRecord>();
  const evicted = new Map<string, string>();
  const waiters = new Map<string, Set<Waiter>>();
  let totalBytes = 0;
  let seq = 0;

  function expireIdle(at: number): void {
    for (const [key, record] of keys) {
      if (at - record.lastUsed < limits.idleExpiryMs) break;
      forget(key, record);
    }
  }

  function forget(key: string, record: KeyRecord): void {
    keys.delete(key);
    totalBytes -= record.bytes;
  }

  function evictOldest(why: string, keep: string): boolean {
    for (const [key, record] of keys) {
      if (key === keep) continue;
      forget(key, record);
      remember(key, why);
      return true;
    }
    return false;
  }

  function touch(key: string): KeyRecord {
    const at = now();
    expireIdle(at);
    let record = keys.get(key);
    if (record === undefined) {
      if (keys.size >= limits.keys) {
        evictOldest(`evicted: more than ${limits.keys} journal keys were in use, and it was the least recently used`, key);
      }
      evicted.delete(key);
      record = { entries: [], droppedByCount: 0, droppedByBytes: 0, finishedEntries: 0, bytes: 0, failFirstCount: 0, lastUsed: at };
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

  /** Makes room for `bytes` more under `key`: other keys go, least recently used first. */
  function makeRoom(key: string, bytes: number): boolean {
    while (totalBytes + bytes > limits.totalBytes) {
      const why = `evicted: the journal held more than its ${limits.totalBytes}-byte limit, and it was the least recently used key`;
      if (!evictOldest(why, key)) return false;
    }
    return true;
  }

  /** Stores an entry under `key`, or counts it as dropped; undefined when it was dropped. */
  function store(key: string, arrivedAt: number, entry: JsonObject, finished: boolean): Slot | undefined {
    const record = touch(key);
    if (finished) record.finishedEntries++;
    if (record.entries.length >= limits.entriesPerKey) {
      record.droppedByCount++;
      return undefined;
    }
    const text = fitEntry(entry, limits.entryBytes);
    const bytes = Buffer.byteLength(text);
    if (!makeRoom(key, bytes)) {
      record.droppedByBytes++;
      return undefined;
    }
    const slot: Slot = { arrivedAt, seq: seq++, text, bytes, finished };
    record.entries.push(slot);
    record.bytes += bytes;
    totalBytes += bytes;
    return slot;
  }

  function wake(key: string): void {
    const waiting = waiters.get(key);
    const record = keys.get(key);
    if (waiting === undefined || record === undefined) return;
    for (const waiter of waiting) if (record.finishedEntries >= waiter.min) waiter.settle(true);
  }

  /** The readout with each entry as the JSON text it is kept as. */
  function view(key: string): Omit<JournalReadout, "entries"> & { readonly texts: readonly string[] } {
    expireIdle(now());
    const record = keys.get(key);
    if (record === undefined) {
      const why = evicted.get(key);
      return { key, texts: [], limits, droppedEntries: 0, ...(why === undefined ? {} : { overflow: why }) };
    }
    // Entries are recorded when answered; arrival order can differ (a delayed call answers late).
    const sorted = [...record.entries].sort((a, b) => a.arrivedAt - b.arrivedAt || a.seq - b.seq);
    const first = sorted[0]?.arrivedAt ?? 0;
    const texts = sorted.map(({ arrivedAt, text }) => withTime(round(arrivedAt - first), text));
    const droppedEntries = record.droppedByCount + record.droppedByBytes;
    return { key, texts, limits, droppedEntries, ...(droppedEntries === 0 ? {} : { overflow: overflowText(limits, record) }) };
  }

  return {
    limits,
    record(key, arrivedAt, entry) {
      store(key, arrivedAt, entry, true);
      wake(key);
    },
    begin(key, arrivedAt, entry) {
      const slot = store(key, arrivedAt, entry, false);
      const record = keys.get(key);
      return (finished) => {
        if (record === undefined || keys.get(key) !== record) return;
        record.finishedEntries++;
        if (slot !== undefined && record.entries.includes(slot)) {
          const text = fitEntry(finished, limits.entryBytes);
          const bytes = Buffer.byteLength(text);
          record.bytes -= slot.bytes;
          totalBytes -= slot.bytes;
          if (makeRoom(key, bytes)) {
            slot.text = text;
            slot.bytes = bytes;
            slot.finished = true;
            record.bytes += bytes;
            totalBytes += bytes;
          } else {
            record.entries.splice(record.entries.indexOf(slot), 1);
            record.droppedByBytes++;
          }
        }
        record.lastUsed = now();
        wake(key);
      };
    },
    countTowardFailFirst(key, n) {
      const record = touch(key);
      record.failFirstCount++;
      return record.failFirstCount <= n;
    },
    read(key) {
      const { texts, ...rest } = view(key);
      return { ...rest, entries: texts.map((text) => JSON.parse(text) as JsonObject) };
    },
    readJson(key, extra = {}) {
      const { key: _, texts, ...rest } = view(key);
      // The entries are kept as JSON already: spliced in, never parsed again.
      const tail = JSON.stringify({ ...rest, ...extra });
      return `{"key":${JSON.stringify(key)},"entries":[${texts.join(",")}],${tail.slice(1)}`;
    },
    waitFor(key, min, ms) {
      expireIdle(now());
      if ((keys.get(key)?.finishedEntries ?? 0) >= min) return { reached: Promise.resolve(true), cancel: () => {} };
      let waiting = waiters.get(key);
      if (waiting === undefined) waiters.set(key, (waiting = new Set()));
      const set = waiting;
      let resolve!: (reached: boolean) => void;
      const reached = new Promise<boolean>((r) => (resolve = r));
      const waiter: Waiter = {
        min,
        settle(result) {
          if (!set.delete(waiter)) return;
          clearTimeout(timer);
          if (set.size === 0) waiters.delete(key);
          resolve(result);
        },
      };
      // A timer may fire up to a millisecond early (it counts from the event loop's cached time),
      // and a reader told the wait ran out must have waited its whole time: re-armed until then.
      const deadline = performance.now() + ms;
      const expire = (): void => {
        const left = deadline - performance.now();
        if (left > 0) timer = setTimeout(expire, Math.ceil(left));
        else waiter.settle(false);
      };
      let timer = setTimeout(expire, ms);
      set.add(waiter);
      return { reached, cancel: () => waiter.settle(false) };
    },
    clear(key) {
      evicted.delete(key);
      const record = keys.get(key);
      if (record === undefined) return false;
      forget(key, record);
      return true;
    },
  };
}

function overflowText(limits: JournalLimits, record: KeyRecord): string {
  const parts: string[] = [];
  if (record.droppedByCount > 0) {
    parts.push(`the ${limits.entriesPerKey}-entry limit was reached; ${record.droppedByCount} later entries were counted but not kept`);
  }
  if (record.droppedByBytes > 0) {
    parts.push(
      `the journal's ${limits.totalBytes}-byte limit was reached; ${record.droppedByBytes} later entries were counted but not kept`,
    );
  }
  return parts.join("; and ");
}

/** The entry's text with `atMs` as its first field. */
function withTime(atMs: number, text: string): string {
  return text === "{}" ? `{"atMs":${atMs}}` : `{"atMs":${atMs},${text.slice(1)}`;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
