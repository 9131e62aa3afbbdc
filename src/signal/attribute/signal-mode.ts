// Reads a connection's behaviour from the token attribute `lk.mock` (REFERENCE §6.1):
// `{"signal":"<mode>","leaveAction":<int|name>}` plus what this server adds (join shaping, a
// script, replies, a journal key; signal-fields.ts). The original falls back to `happy` on any
// mistake, so a typo in a mode name passes as a happy-path test; we refuse it instead, naming the
// problem. What the original accepts keeps its meaning: keys match case-insensitively (Go's
// encoding/json), `null` values count as absent, a repeated `signal` or `leaveAction` takes its
// last value, and an int32 leaveAction outside the enum passes through.
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import type { SignalResponse } from "../../../generated/livekit_rtc_pb.js";
import { readAttributeJson } from "./attribute-json.js";
import { isJsonObject, matchKey, readValue } from "./read-signal-value.js";
import { signalFields, type SignalFieldName, type SignalMode, type SignalRequestKind } from "./signal-fields.js";
import { didYouMean } from "../../shared/closest-name.js";
import { formatPath, quote } from "../../shared/quote-json.js";
import { SignalMockError } from "./signal-mock-error.js";
import type { WebhooksConfig } from "../../webhooks/webhooks-config.js";

export { leaveActions, signalModes, type SignalMode } from "./signal-fields.js";
export { SignalMockError, signalMockAttribute } from "./signal-mock-error.js";

export type ScriptAction =
  | { readonly kind: "send"; readonly message: SignalResponse }
  /** `code` undefined: a close frame without a status. */
  | { readonly kind: "close"; readonly code: number | undefined; readonly reason: string }
  | { readonly kind: "drop" };

export interface ScriptStep {
  /** Since the join (or reconnect response) was sent. */
  readonly afterMs: number;
  readonly action: ScriptAction;
}

export interface SignalMock {
  readonly mode: SignalMode;
  /** LeaveRequest.Action of every leave the mode sends. */
  readonly leaveAction: number;
  readonly joinDelayMs?: number;
  readonly pingInterval?: number;
  readonly pingTimeout?: number;
  /** Protojson JoinResponse, already checked to decode, merged over the default join. */
  readonly join?: JsonObject;
  readonly script?: readonly ScriptStep[];
  /** A rule per request kind: the reply, or null for none. */
  readonly replies?: ReadonlyMap<SignalRequestKind, SignalResponse | null>;
  readonly journal?: string;
  /** Where the connection's participant webhook events go. */
  readonly webhooks?: WebhooksConfig;
  /** The world the connection joins. */
  readonly state?: string;
}

export const happyMock: SignalMock = { mode: "happy", leaveAction: 0 };

/** Modes that send a join (or reconnect response): join shaping applies to them. */
export const modesWithJoin: readonly SignalMode[] = [
  "happy",
  "no_pong",
  "close_when_connected",
  "drop_when_connected",
  "leave_when_connected",
  "leave_during_reconnect",
  "drop_on_close",
];

/** Modes that keep reading after the join: a script and replies apply to them. */
export const modesWithReadLoop: readonly SignalMode[] = [
  "happy",
  "no_pong",
  "leave_when_connected",
  "leave_during_reconnect",
  "drop_on_close",
];

/** Fields whose repetition keeps the last value, as in the original (Go's encoding/json). */
const originalFields: readonly string[] = ["signal", "leaveAction"];

/** `raw` is the attribute's value; undefined or "" means `happy`. Throws SignalMockError. */
export function parseSignalMock(raw: string | undefined): SignalMock {
  if (raw === undefined || raw === "") return happyMock;
  const doc = readAttributeJson(raw);
  const json = doc.value;
  if (!isJsonObject(json)) {
    throw new SignalMockError(`expected a JSON object like {"signal":"happy"}, got ${quote(json)}`);
  }
  for (const { path, key } of doc.duplicates) {
    if (path.length === 0 && originalFields.includes(matchKey(key, originalFields) ?? "")) continue;
    throw new SignalMockError(`${path.length === 0 ? "the attribute" : formatPath(path)} repeats key ${quote(key)}`);
  }

  const names = Object.keys(signalFields) as SignalFieldName[];
  // Only the last of a repeated original field counts, so it alone is judged.
  const last = new Map<SignalFieldName, [JsonValue, string]>();
  const keys = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    const name = matchKey(key, names) as SignalFieldName | undefined;
    if (name === undefined) throw new SignalMockError(`unknown key ${quote(key)}${didYouMean(key, names)}; keys are ${names.join(", ")}`);
    const earlier = keys.get(name);
    if (earlier !== undefined && !originalFields.includes(name)) {
      throw new SignalMockError(`sets ${name} twice (${quote(earlier)} and ${quote(key)})`);
    }
    keys.set(name, key);
    last.set(name, [value, key]);
  }
  const values: Partial<Record<SignalFieldName, unknown>> = {};
  for (const [name, [value, key]] of last) {
    if (value !== null) values[name] = readValue(signalFields[name].value, value, [key], doc);
  }

  const mock: { -readonly [K in keyof SignalMock]: SignalMock[K] } = {
    mode: (values.signal as SignalMode | undefined) ?? "happy",
    leaveAction: (values.leaveAction as number | undefined) ?? 0,
  };
  if (values.joinDelayMs !== undefined) mock.joinDelayMs = values.joinDelayMs as number;
  if (values.pingInterval !== undefined) mock.pingInterval = values.pingInterval as number;
  if (values.pingTimeout !== undefined) mock.pingTimeout = values.pingTimeout as number;
  if (values.join !== undefined) mock.join = values.join as JsonObject;
  if (values.script !== undefined) mock.script = readScript(values.script as ScriptInput[], keys.get("script")!);
  if (values.replies !== undefined) mock.replies = values.replies as Map<SignalRequestKind, SignalResponse | null>;
  if (values.journal !== undefined) mock.journal = values.journal as string;
  if (values.webhooks !== undefined) mock.webhooks = values.webhooks as WebhooksConfig;
  if (values.state !== undefined) mock.state = values.state as string;
  checkCombination(mock);
  return mock;
}

interface ScriptInput {
  readonly afterMs: number;
  readonly send?: SignalResponse;
  readonly close?: { readonly code?: number; readonly reason?: string };
  readonly drop?: true;
}

// Codes RFC 6455 §7.4 lets an endpoint put in a close frame (ws refuses to send the others).
function sendableCloseCode(code: number): boolean {
  return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}

function readScript(steps: readonly ScriptInput[], key: string): ScriptStep[] {
  let ended: number | undefined;
  return steps.map((step, i) => {
    const at = `${key}[${i}]`;
    if (ended !== undefined) throw new SignalMockError(`${at} comes after the connection ends at ${key}[${ended}] and would never run`);
    const previous = steps[i - 1];
    if (previous !== undefined && step.afterMs < previous.afterMs) {
      throw new SignalMockError(
        `${at}.afterMs ${step.afterMs} is earlier than ${key}[${i - 1}].afterMs ${previous.afterMs}; list steps in time order`,
      );
    }
    let action: ScriptAction;
    if (step.send !== undefined) {
      action = { kind: "send", message: step.send };
    } else if (step.close !== undefined) {
      const { code, reason = "" } = step.close;
      if (code === undefined && reason !== "")
        throw new SignalMockError(`${at}.close has a reason but no code; a close frame carries a reason only after a code`);
      if (code !== undefined && !sendableCloseCode(code)) {
        throw new SignalMockError(`${at}.close.code ${code} cannot be sent; use 1000–1003, 1007–1014 or 3000–4999`);
      }
      action = { kind: "close", code, reason };
      ended = i;
    } else {
      action = { kind: "drop" };
      ended = i;
    }
    return { afterMs: step.afterMs, action };
  });
}

const joinShaping = ["joinDelayMs", "pingInterval", "pingTimeout", "join"] as const;

function checkCombination(mock: SignalMock): void {
  for (const name of joinShaping) {
    if (mock[name] !== undefined && !modesWithJoin.includes(mock.mode)) {
      throw new SignalMockError(
        `${name} has no effect in signal mode ${mock.mode}, which sends no join; it works with ${modesWithJoin.join(", ")}`,
      );
    }
  }
  for (const name of ["webhooks", "state"] as const) {
    if (mock[name] !== undefined && !modesWithJoin.includes(mock.mode)) {
      throw new SignalMockError(
        `${name} has no effect in signal mode ${mock.mode}, which sends no join; it works with ${modesWithJoin.join(", ")}`,
      );
    }
  }
  for (const name of ["script", "replies"] as const) {
    if (mock[name] === undefined || modesWithReadLoop.includes(mock.mode)) continue;
    const hint =
      mock.mode === "close_when_connected" || mock.mode === "drop_when_connected"
        ? " (a close or drop step in a happy script does the same)"
        : "";
    throw new SignalMockError(`${name} has no effect in signal mode ${mock.mode}${hint}; it works with ${modesWithReadLoop.join(", ")}`);
  }
  if (mock.mode === "no_pong") {
    for (const kind of ["ping", "pingReq"] as const) {
      if (mock.replies?.has(kind))
        throw new SignalMockError(`replies.${kind} contradicts signal mode no_pong, which leaves pings unanswered`);
    }
  }
  if (mock.join !== undefined) {
    for (const [name, protoName] of [
      ["pingInterval", "ping_interval"],
      ["pingTimeout", "ping_timeout"],
    ] as const) {
      if (mock[name] !== undefined && (name in mock.join || protoName in mock.join)) {
        throw new SignalMockError(`${name} is set twice: at the top level and in join`);
      }
    }
  }
}
