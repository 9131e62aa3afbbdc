// The one error of the `lk.mock` attribute: whatever is wrong with it, the validate endpoint answers
// 400 and the upgrade is refused with this message, so it names the field and the closest valid name.
import { closestName } from "../../shared/closest-name.js";

export const signalMockAttribute = "lk.mock";

export class SignalMockError extends Error {
  override name = "SignalMockError";
  constructor(problem: string) {
    super(`invalid ${signalMockAttribute} attribute: ${problem}`);
  }
}

/** ` (did you mean "x"?)` when a candidate is close enough, else "". */
export function didYouMean(input: string, candidates: readonly string[]): string {
  const suggestion = closestName(input, candidates);
  return suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`;
}

/** A value as an error message quotes it: JSON, cut short so that a huge value cannot flood the answer. */
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

/** `script[2].send.roomUpdate`: where in the attribute a problem sits; "" at the top level. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) {
    // Map keys in protojson are the client's own strings; a long one is cut like a quoted value.
    const name = typeof part === "string" && part.length > 40 ? `${part.slice(0, 40)}…` : part;
    out += typeof name === "number" ? `[${name}]` : out === "" ? name : `.${name}`;
  }
  return out;
}
