// The claims of a payload that reads the same under every JSON reader, read with the engine's own
// JSON.parse: what SDKs sign is such a payload, and token-claims.ts, which reproduces Go's
// encoding/json step by step, costs several times more. Whatever could make Go read a payload
// differently from JSON.parse sends it back to token-claims.ts (undefined here):
// - text that JSON.stringify would not write back byte for byte: whitespace, a key given twice (the
//   parse keeps one), a number or string escape written another way;
// - a `\u` escape, which may be a lone surrogate (Go reads U+FFFD, JSON.parse keeps it);
// - invalid UTF-8, a key that matches a field only under Go's case folding, a null, a value of a
//   type its field does not take (Go's error, or its partial decoding, is the other reader's job);
// - an object or array under a key no field takes (Go limits its depth), and `roomConfig`.
import { isUtf8 } from "node:buffer";
import {
  claimsOf,
  fieldFor,
  goUnixSeconds,
  tokenClaims,
  type FieldType,
  type GoStruct,
  type StructType,
  type TokenClaims,
} from "./token-claims.js";

export function readCanonicalClaims(payload: Buffer): TokenClaims | undefined {
  if (!isUtf8(payload)) return undefined;
  const text = payload.toString("utf8");
  if (text.includes("\\u")) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(parsed)) return undefined;
  // The shape first: a value it accepts nests three levels at most, so stringify cannot overflow.
  const value = struct(parsed, tokenClaims);
  if (value === undefined || JSON.stringify(parsed) !== text) return undefined;
  return claimsOf(value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The struct as token-claims.ts decodes it, or undefined when this reader cannot vouch for it. */
function struct(object: Record<string, unknown>, type: StructType): GoStruct | undefined {
  const out: GoStruct = {};
  for (const key of Object.keys(object)) {
    const field = type.fields[key];
    const value = object[key];
    if (field === undefined || !Object.hasOwn(type.fields, key)) {
      // A key no field takes is ignored by Go, unless it folds onto one.
      if (fieldFor(key, type) !== undefined || (typeof value === "object" && value !== null)) return undefined;
      continue;
    }
    const decoded = fieldValue(value, field);
    if (decoded === undefined) return undefined;
    out[key] = decoded;
  }
  return out;
}

function fieldValue(value: unknown, type: FieldType): unknown {
  switch (type) {
    case "string":
      return typeof value === "string" ? value : undefined;
    case "bool":
    case "boolPointer":
      return typeof value === "boolean" ? value : undefined;
    case "stringSlice":
      return Array.isArray(value) && value.every((item) => typeof item === "string") ? value : undefined;
    case "claimStrings":
      return typeof value === "string" || (Array.isArray(value) && value.every((item) => typeof item === "string")) ? value : undefined;
    case "stringMap": {
      if (!isObject(value)) return undefined;
      const map = new Map<string, string>();
      for (const key of Object.keys(value)) {
        const item = value[key];
        if (typeof item !== "string") return undefined;
        map.set(key, item);
      }
      return map;
    }
    case "numericDate":
      // Written as JSON.stringify writes the number, so the literal Go parses is this double.
      return typeof value === "number" ? goUnixSeconds(value) : undefined;
    case "roomConfig":
      return undefined;
    default:
      return isObject(value) ? struct(value, type) : undefined;
  }
}
