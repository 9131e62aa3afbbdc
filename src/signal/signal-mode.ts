// Reads a connection's behaviour from the token attribute `lk.mock` (REFERENCE §6.1):
// `{"signal":"<mode>","leaveAction":<int|name>}`. The original falls back to `happy` on any mistake,
// so a typo in a mode name passes as a happy-path test; we refuse it instead, naming the problem.
// What the original accepts keeps its meaning: keys match case-insensitively (Go's encoding/json),
// `null` values count as absent, and an int32 leaveAction outside the enum passes through.
import { closestName } from "../shared/closest-name.js";

export const signalMockAttribute = "lk.mock";

export const signalModes = [
  "happy",
  "validate_500",
  "validate_service_not_found",
  "room_not_found",
  "no_first_message",
  "no_pong",
  "close_before_join",
  "close_when_connected",
  "drop_when_connected",
  "leave_when_connected",
  "leave_first_message",
  "leave_during_reconnect",
  "drop_on_close",
] as const;

export type SignalMode = (typeof signalModes)[number];

/** LeaveRequest.Action by name; a name is looked up upper-cased. */
export const leaveActions: Readonly<Record<string, number>> = { DISCONNECT: 0, RESUME: 1, RECONNECT: 2 };

export interface SignalMock {
  readonly mode: SignalMode;
  /** LeaveRequest.Action of every leave this connection sends. */
  readonly leaveAction: number;
}

export const happyMock: SignalMock = { mode: "happy", leaveAction: 0 };

export class SignalMockError extends Error {
  override name = "SignalMockError";
  constructor(problem: string) {
    super(`invalid ${signalMockAttribute} attribute: ${problem}`);
  }
}

const fields = ["signal", "leaveAction"] as const;
const int32 = /^-?(0|[1-9][0-9]*)$/;

/** `raw` is the attribute's value; undefined or "" means `happy`. Throws SignalMockError. */
export function parseSignalMock(raw: string | undefined): SignalMock {
  if (raw === undefined || raw === "") return happyMock;
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new SignalMockError(`${JSON.stringify(raw)} is not JSON (${(err as Error).message}); expected e.g. {"signal":"happy"}`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new SignalMockError(`expected a JSON object like {"signal":"happy"}, got ${JSON.stringify(json)}`);
  }
  let signal: unknown;
  let leaveAction: unknown;
  let leaveActionKey = "";
  for (const [key, value] of Object.entries(json)) {
    const field = fields.find((f) => f.toLowerCase() === key.toLowerCase());
    if (field === undefined) {
      const suggestion = closestName(key, fields);
      throw new SignalMockError(
        `unknown key ${JSON.stringify(key)}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}; keys are ${fields.join(", ")}`,
      );
    }
    if (field === "signal") signal = value;
    else [leaveAction, leaveActionKey] = [value, key];
  }
  return { mode: readMode(signal), leaveAction: readLeaveAction(leaveAction, () => rawNumber(raw, leaveActionKey)) };
}

function readMode(value: unknown): SignalMode {
  // An absent, null or empty `signal` leaves Go's field empty, which is `happy`; it cannot be a typo.
  if (value === undefined || value === null || value === "") return "happy";
  if (typeof value !== "string") throw new SignalMockError(`signal must be a string naming a mode, got ${JSON.stringify(value)}`);
  if ((signalModes as readonly string[]).includes(value)) return value as SignalMode;
  const suggestion = closestName(value, signalModes);
  throw new SignalMockError(
    `unknown signal mode ${JSON.stringify(value)}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}; modes are ${signalModes.join(", ")}`,
  );
}

function readLeaveAction(value: unknown, source: () => string | undefined): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === "string") {
    const action = leaveActions[value.toUpperCase()];
    if (action !== undefined) return action;
    const names = Object.keys(leaveActions);
    const suggestion = closestName(value, names);
    throw new SignalMockError(
      `unknown leaveAction ${JSON.stringify(value)}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}; use ${names.join(", ")} or an integer`,
    );
  }
  // Go decodes the number into an int32, which refuses 1.0 and 1e0 as well as 1.5: check the source text.
  const text = typeof value === "number" ? source() : undefined;
  const inRange = typeof value === "number" && value >= -(2 ** 31) && value < 2 ** 31;
  if (text === undefined || !int32.test(text) || !inRange) {
    throw new SignalMockError(
      `leaveAction must be an int32 or one of ${Object.keys(leaveActions).join(", ")}, got ${text ?? JSON.stringify(value)}`,
    );
  }
  return value as number;
}

// The source text of a number that is the value of top-level `key` in the (valid) JSON object
// `json`; the last occurrence wins, as with JSON.parse.
function rawNumber(json: string, key: string): string | undefined {
  const token = /\s*("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|-|true|false|null|[{}[\]:,])/gy;
  let depth = 0;
  let pendingKey: string | undefined;
  let currentKey: string | undefined;
  let found: string | undefined;
  for (let m = token.exec(json); m !== null; m = token.exec(json)) {
    const t = m[1]!;
    if (t === "{" || t === "[") {
      depth++;
    } else if (t === "}" || t === "]") {
      depth--;
    } else if (depth === 1 && t === ":") {
      currentKey = pendingKey;
    } else if (depth === 1 && t === ",") {
      currentKey = undefined;
    } else if (depth === 1 && t.startsWith('"') && currentKey === undefined) {
      pendingKey = JSON.parse(t) as string;
    } else if (depth === 1 && currentKey === key && /^-?[0-9]/.test(t)) {
      found = t;
    }
    if (depth === 1 && t === "{") currentKey = undefined;
  }
  return found;
}
