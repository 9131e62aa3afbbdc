// Reads one value of the `lk.mock` attribute against its spec (signal-fields.ts) into the form the
// session uses, refusing anything the spec does not allow with a message that names where it sits.
// The attribute's own objects match keys in any case, as Go's encoding/json does for the fields the
// original knows; the protojson parts follow protojson (either field name, exact case).
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { SignalRequestSchema, SignalResponseSchema, type SignalResponse } from "../../../generated/livekit_rtc_pb.js";
import type { AttributeJson, JsonPath } from "./attribute-json.js";
import { decodeProtojson } from "./protojson-message.js";
import {
  leaveActions,
  signalModes,
  type SignalFieldSpec,
  type SignalMode,
  type SignalRequestKind,
  type SignalValueSpec,
} from "./signal-fields.js";
import { didYouMean } from "../../shared/closest-name.js";
import { formatPath, quote } from "../../shared/quote-json.js";
import { SignalMockError } from "./signal-mock-error.js";

const int32 = /^-?(0|[1-9][0-9]*)$/;

export function isJsonObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The property of `properties` that `key` names: exactly, or else ignoring case. */
export function matchKey(key: string, names: readonly string[]): string | undefined {
  if (names.includes(key)) return key;
  const lower = key.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower);
}

export function readValue(spec: SignalValueSpec, value: JsonValue, path: JsonPath, doc: AttributeJson): unknown {
  const at = formatPath(path);
  switch (spec.type) {
    case "mode":
      return readMode(value);
    case "leaveAction":
      return readLeaveAction(value, doc.numberLiteral(path));
    case "integer": {
      const literal = doc.numberLiteral(path);
      const ok = typeof value === "number" && Number.isInteger(value) && literal === undefined;
      if (!ok || (value as number) < spec.minimum || (value as number) > spec.maximum) {
        throw new SignalMockError(`${at} must be an integer from ${spec.minimum} to ${spec.maximum}, got ${literal ?? quote(value)}`);
      }
      return value;
    }
    case "string":
      if (typeof value !== "string" || !spec.pattern.test(value)) {
        throw new SignalMockError(`${at} must be a string matching ${spec.patternText}, got ${quote(value)}`);
      }
      return value;
    case "text":
      if (typeof value !== "string") throw new SignalMockError(`${at} must be a string, got ${quote(value)}`);
      return value;
    case "maxBytes":
      if (typeof value !== "string" || Buffer.byteLength(value) > spec.maxBytes) {
        throw new SignalMockError(`${at} must be a string of at most ${spec.maxBytes} bytes of UTF-8, got ${quote(value)}`);
      }
      return value;
    case "true":
      if (value !== true) throw new SignalMockError(`${at} must be true, got ${quote(value)}`);
      return true;
    case "message":
      decodeProtojson(spec.schema, value, path);
      return value;
    case "signalResponse":
      return readSignalResponse(value, path);
    case "replies":
      return readReplies(value, path);
    case "array":
      if (!Array.isArray(value)) throw new SignalMockError(`${at} must be an array, got ${quote(value)}`);
      return value.map((item, i) => readValue(spec.items, item, [...path, i], doc));
    case "object":
      return readObject(spec.properties, spec.required, spec.oneOf, value, path, doc);
  }
}

function readObject(
  properties: Readonly<Record<string, SignalFieldSpec>>,
  required: readonly string[],
  oneOf: readonly string[] | undefined,
  value: JsonValue,
  path: JsonPath,
  doc: AttributeJson,
): Record<string, unknown> {
  const at = formatPath(path);
  if (!isJsonObject(value)) throw new SignalMockError(`${at} must be an object, got ${quote(value)}`);
  const names = Object.keys(properties);
  const out: Record<string, unknown> = {};
  const keys = new Map<string, string>();
  for (const [key, item] of Object.entries(value)) {
    const name = matchKey(key, names);
    if (name === undefined) {
      throw new SignalMockError(`unknown key ${quote(key)} in ${at}${didYouMean(key, names)}; keys are ${names.join(", ")}`);
    }
    const earlier = keys.get(name);
    if (earlier !== undefined) throw new SignalMockError(`${at} sets ${name} twice (${quote(earlier)} and ${quote(key)})`);
    keys.set(name, key);
    // null is absent, as for the attribute's top-level fields.
    if (item === null) continue;
    out[name] = readValue(properties[name]!.value, item, [...path, key], doc);
  }
  for (const name of required) {
    if (!(name in out)) throw new SignalMockError(`${at} needs ${name}`);
  }
  if (oneOf !== undefined) {
    const set = oneOf.filter((name) => name in out);
    if (set.length !== 1) {
      throw new SignalMockError(
        `${at} must have exactly one of ${oneOf.join(", ")}, ${set.length === 0 ? "has none" : `has ${set.join(" and ")}`}`,
      );
    }
  }
  return out;
}

function readSignalResponse(value: JsonValue, path: JsonPath): SignalResponse {
  const message = decodeProtojson(SignalResponseSchema, value, path) as SignalResponse;
  if (message.message.case === undefined) {
    throw new SignalMockError(
      `${formatPath(path)} sets no message; a SignalResponse carries one, e.g. {"roomUpdate":{…}} (kinds: ${responseKinds.join(", ")})`,
    );
  }
  return message;
}

const responseKinds = SignalResponseSchema.oneofs[0]!.fields.map((f) => f.jsonName);
const requestKinds = SignalRequestSchema.oneofs[0]!.fields;

function readReplies(value: JsonValue, path: JsonPath): Map<SignalRequestKind, SignalResponse | null> {
  const at = formatPath(path);
  if (!isJsonObject(value)) throw new SignalMockError(`${at} must be an object keyed by SignalRequest kinds, got ${quote(value)}`);
  const replies = new Map<SignalRequestKind, SignalResponse | null>();
  const keys = new Map<SignalRequestKind, string>();
  for (const [key, reply] of Object.entries(value)) {
    const field = requestKinds.find((f) => f.jsonName === key || f.name === key);
    if (field === undefined) {
      const names = requestKinds.map((f) => f.jsonName);
      throw new SignalMockError(
        `unknown SignalRequest kind ${quote(key)} in ${at}${didYouMean(key, names)}; kinds are ${names.join(", ")}`,
      );
    }
    const kind = field.localName as SignalRequestKind;
    const earlier = keys.get(kind);
    if (earlier !== undefined) throw new SignalMockError(`${at} sets ${field.jsonName} twice (${quote(earlier)} and ${quote(key)})`);
    keys.set(kind, key);
    replies.set(kind, reply === null ? null : readSignalResponse(reply, [...path, key]));
  }
  return replies;
}

function readMode(value: JsonValue): SignalMode {
  // An absent, null or empty `signal` leaves Go's field empty, which is `happy`; it cannot be a typo.
  if (value === null || value === "") return "happy";
  if (typeof value !== "string") throw new SignalMockError(`signal must be a string naming a mode, got ${quote(value)}`);
  if ((signalModes as readonly string[]).includes(value)) return value as SignalMode;
  throw new SignalMockError(`unknown signal mode ${quote(value)}${didYouMean(value, signalModes)}; modes are ${signalModes.join(", ")}`);
}

function readLeaveAction(value: JsonValue, literal: string | undefined): number {
  if (value === null) return 0;
  const names = Object.keys(leaveActions);
  if (typeof value === "string") {
    const action = leaveActions[value.toUpperCase()];
    if (action !== undefined) return action;
    throw new SignalMockError(`unknown leaveAction ${quote(value)}${didYouMean(value, names)}; use ${names.join(", ")} or an integer`);
  }
  // Go decodes the number into an int32, which refuses 1.0 and 1e0 as well as 1.5: check the source text.
  const text = typeof value === "number" ? (literal ?? String(value)) : undefined;
  const inRange = typeof value === "number" && value >= -(2 ** 31) && value < 2 ** 31;
  if (text === undefined || !int32.test(text) || !inRange) {
    throw new SignalMockError(`leaveAction must be an int32 or one of ${names.join(", ")}, got ${text ?? quote(value)}`);
  }
  return value as number;
}
