// One journal entry as the JSON text the journal keeps, within its byte limit
// (docs/spec/journal.md#entry-bytes). A larger entry loses its largest fields first, each replaced
// by a note saying how large it was, and says `"truncated": true` with its full size: a test
// that reads it learns what was cut rather than meeting a silently shorter entry.
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

/** What is kept of a cut string: enough to recognise it. */
const stringPrefix = 256;
const noteBytes = 400;

export function fitEntry(entry: JsonObject, limit: number): string {
  const whole = JSON.stringify(entry);
  // UTF-8 never takes fewer bytes than UTF-16 code units, nor more than three per unit.
  if (whole.length * 3 <= limit) return whole;
  const fullEntryBytes = Buffer.byteLength(whole);
  if (fullEntryBytes <= limit) return whole;

  const cut: Record<string, JsonValue> = { ...entry, truncated: true, fullEntryBytes };
  const largestFirst = Object.entries(entry)
    .map(([name, value]) => ({ name, value, bytes: Buffer.byteLength(JSON.stringify(value) ?? "") }))
    .sort((a, b) => b.bytes - a.bytes);
  for (const { name, value, bytes } of largestFirst) {
    // A note is longer than a number or a short string: cutting those would not help.
    if (bytes <= noteBytes) break;
    cut[name] = shortened(value, bytes, limit);
    const text = JSON.stringify(cut);
    if (Buffer.byteLength(text) <= limit) return text;
  }
  // Only a limit not much larger than the notes themselves gets here.
  return JSON.stringify({ truncated: true, fullEntryBytes });
}

/** The field's stand-in: a string keeps its start, anything else becomes a note. */
function shortened(value: JsonValue, bytes: number, limit: number): JsonValue {
  const why = `cut: ${bytes} bytes of JSON, in an entry limited to ${limit}`;
  if (typeof value === "string") return `${value.slice(0, stringPrefix)}… (${why})`;
  return { note: why };
}
