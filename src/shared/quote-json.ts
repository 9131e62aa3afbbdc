// How an error message shows a value it refuses and where the value sits, short enough that a
// huge value cannot flood the answer.

/** Where a value sits in a JSON document: keys and array indices from the top. */
export type JsonPath = readonly (string | number)[];

/** A value as an error message quotes it: JSON, cut short. */
export function quote(value: unknown, max = 80): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    // Only values built from parsed JSON reach here, and their depth is bounded; this is a backstop.
    text = String(value);
  }
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** `script[2].send.roomUpdate`: where in a document a problem sits; "" at the top level. */
export function formatPath(path: JsonPath): string {
  let out = "";
  for (const part of path) {
    // Map keys in protojson are the client's own strings; a long one is cut like a quoted value.
    const name = typeof part === "string" && part.length > 40 ? `${part.slice(0, 40)}…` : part;
    out += typeof name === "number" ? `[${name}]` : out === "" ? name : `.${name}`;
  }
  return out;
}
