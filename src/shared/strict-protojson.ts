// Decodes protojson as strictly as Go's protojson.Unmarshal without DiscardUnknown: an unknown
// field, a second member of a oneof, a field given under both its names, an unknown enum name or
// a 64-bit integer that lost digits on the way in is refused. Before handing the value to the decoder it walks the value against the message
// descriptor, so that a typo is named where it sits with the closest valid name; the decoder then
// judges the values themselves. Used where the project promises strictness: the `response`
// override (docs/spec/control.md#response-override) and the protojson parts of `lk.mock`.
import { fromJson, ScalarType, type DescField, type DescMessage, type JsonObject, type JsonValue, type Message } from "@bufbuild/protobuf";
import { didYouMean } from "./closest-name.js";
import { formatPath, quote, type JsonPath } from "./quote-json.js";

/** What is wrong with the value, naming where it sits; the caller words the error its protocol sends. */
export class ProtojsonError extends Error {
  override name = "ProtojsonError";
}

/** `json` as a message of `schema`; `path` names where the value sits, for the messages. */
export function decodeStrictProtojson(schema: DescMessage, json: JsonValue, path: JsonPath): Message {
  checkMessage(schema, json, path);
  try {
    return fromJson(schema, json);
  } catch (err) {
    throw new ProtojsonError(`${formatPath(path)} does not decode into ${schema.typeName}: ${(err as Error).message}`);
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

// The well-known types have JSON forms of their own (a Timestamp is a string); the decoder checks them.
const wellKnown = (schema: DescMessage): boolean => schema.typeName.startsWith("google.protobuf.");

function checkMessage(schema: DescMessage, json: JsonValue, path: JsonPath): void {
  if (!isObject(json)) {
    throw new ProtojsonError(`${formatPath(path)} must be a JSON object (protojson ${schema.typeName}), got ${quote(json)}`);
  }
  const seen = new Map<DescField, string>();
  const oneofs = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    const field = schema.fields.find((f) => f.jsonName === key || f.name === key);
    if (field === undefined) {
      throw new ProtojsonError(
        `unknown field ${quote(key)} in ${formatPath(path)} (protojson ${schema.typeName})${didYouMean(
          key,
          schema.fields.map((f) => f.jsonName),
        )}`,
      );
    }
    const earlier = seen.get(field);
    if (earlier !== undefined) {
      throw new ProtojsonError(`${formatPath(path)} sets field ${field.jsonName} twice (${quote(earlier)} and ${quote(key)})`);
    }
    seen.set(field, key);
    if (value === null) continue;
    if (field.oneof !== undefined) {
      const other = oneofs.get(field.oneof.name);
      if (other !== undefined) {
        throw new ProtojsonError(
          `${formatPath(path)} sets both ${quote(other)} and ${quote(key)}, members of the oneof ${field.oneof.name}; set one`,
        );
      }
      oneofs.set(field.oneof.name, key);
    }
    checkField(field, value, [...path, key]);
  }
}

function checkField(field: DescField, value: JsonValue, path: JsonPath): void {
  switch (field.fieldKind) {
    case "message":
      if (!wellKnown(field.message)) checkMessage(field.message, value, path);
      return;
    case "enum":
      checkEnum(field.enum.values, field.enum.typeName, value, path);
      return;
    case "list":
      if (!Array.isArray(value)) return;
      value.forEach((item, i) => {
        if (item === null) return;
        if (field.listKind === "message" && !wellKnown(field.message)) checkMessage(field.message, item, [...path, i]);
        if (field.listKind === "enum") checkEnum(field.enum.values, field.enum.typeName, item, [...path, i]);
        if (field.listKind === "scalar") checkScalar(field.scalar, item, [...path, i]);
      });
      return;
    case "map":
      if (!isObject(value)) return;
      for (const [key, item] of Object.entries(value)) {
        if (item === null) continue;
        if (field.mapKind === "message" && !wellKnown(field.message)) checkMessage(field.message, item, [...path, key]);
        if (field.mapKind === "enum") checkEnum(field.enum.values, field.enum.typeName, item, [...path, key]);
        if (field.mapKind === "scalar") checkScalar(field.scalar, item, [...path, key]);
      }
      return;
    case "scalar":
      checkScalar(field.scalar, value, path);
      return;
  }
}

const sixtyFourBit: ReadonlySet<ScalarType> = new Set([
  ScalarType.INT64,
  ScalarType.UINT64,
  ScalarType.SINT64,
  ScalarType.FIXED64,
  ScalarType.SFIXED64,
]);

/**
 * A 64-bit integer written as a JSON number beyond 2^53 has lost digits by the time it is read
 * here (Go keeps them): refused rather than answered with another number. protojson writes such
 * integers as strings, which keep every digit.
 */
function checkScalar(scalar: ScalarType, value: JsonValue, path: JsonPath): void {
  if (typeof value !== "number" || Number.isSafeInteger(value) || !Number.isInteger(value) || !sixtyFourBit.has(scalar)) return;
  throw new ProtojsonError(
    `${formatPath(path)} is a JSON number beyond 2^53, which cannot be read here without losing digits; write the 64-bit integer as a string, as protojson does`,
  );
}

function checkEnum(values: readonly { readonly name: string }[], typeName: string, value: JsonValue, path: JsonPath): void {
  if (typeof value !== "string" || values.some((v) => v.name === value)) return;
  const names = values.map((v) => v.name);
  throw new ProtojsonError(
    `${formatPath(path)} has unknown ${typeName} value ${quote(value)}${didYouMean(value, names)}; values are ${names.join(", ")} or their numbers`,
  );
}
