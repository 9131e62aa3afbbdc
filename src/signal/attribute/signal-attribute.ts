// Typed helper for test code: the value of a token's `lk.mock` attribute, checked with the same
// parser the signal endpoints use, so a misspelt mode or a malformed script fails where the test
// is written.
import type { SignalMockInput } from "./signal-fields.js";
import { parseSignalMock, signalMockAttribute } from "./signal-mode.js";

export type { SignalMockInput } from "./signal-fields.js";

/** The attribute value, e.g. `{"signal":"no_pong"}`; throws SignalMockError if it would be refused. */
export function signalMockValue(input: SignalMockInput): string {
  const value = JSON.stringify(input);
  parseSignalMock(value);
  return value;
}

/** `{ "lk.mock": … }`, ready to spread into a token's attributes. */
export function signalMockAttributes(input: SignalMockInput): Record<string, string> {
  return { [signalMockAttribute]: signalMockValue(input) };
}
