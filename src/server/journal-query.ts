// The query of a journal read, strictly: `wait` (milliseconds, bounded) and `min` (entries), and
// nothing else (docs/spec/journal.md#wait). A typo in a parameter would otherwise turn a waiting
// read into one that answers at once, and the test into a flaky one.
import { closestName } from "../shared/closest-name.js";

/** The longest a read waits: a reader holds a connection and a timer while it waits. */
export const maxJournalWaitMs = 60_000;

export interface JournalQuery {
  /** Absent: answer at once. */
  readonly wait?: { readonly ms: number; readonly min: number };
}

export class JournalQueryError extends Error {
  override name = "JournalQueryError";
}

const parameters = ["wait", "min"] as const;

export function parseJournalQuery(url: string, maxMin: number): JournalQuery {
  const at = url.indexOf("?");
  if (at === -1) return {};
  const given = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(url.slice(at + 1))) {
    if (!(parameters as readonly string[]).includes(name)) {
      const near = closestName(name, parameters);
      throw new JournalQueryError(
        `unknown parameter ${JSON.stringify(name)}${near === undefined ? "" : ` (did you mean ${JSON.stringify(near)}?)`}; the journal takes wait and min`,
      );
    }
    if (given.has(name)) throw new JournalQueryError(`${name} is given twice`);
    given.set(name, value);
  }
  const waitText = given.get("wait");
  const minText = given.get("min");
  if (waitText === undefined) {
    if (minText !== undefined) throw new JournalQueryError("min needs wait: how long to wait for the entries, in milliseconds");
    return {};
  }
  const ms = wholeNumber(waitText);
  if (ms === undefined) {
    throw new JournalQueryError(
      `wait must be a whole number of milliseconds from 0 to ${maxJournalWaitMs}, got ${JSON.stringify(waitText)}`,
    );
  }
  if (ms > maxJournalWaitMs) throw new JournalQueryError(`wait must be at most ${maxJournalWaitMs} ms, got ${waitText}`);
  const min = minText === undefined ? 1 : wholeNumber(minText);
  if (min === undefined || min < 1 || min > maxMin) {
    throw new JournalQueryError(`min must be a whole number from 1 to ${maxMin}, got ${JSON.stringify(minText)}`);
  }
  return { wait: { ms, min } };
}

function wholeNumber(text: string): number | undefined {
  return /^[0-9]{1,16}$/.test(text) ? Number(text) : undefined;
}
