// The JSON Schema (draft 2020-12) of the `lk.mock` token attribute, derived from the same field
// table as the strict reader (signal-fields.ts). The protojson parts are described down to which
// kind of message they carry (`x-protobuf-message` names its type); the fields of those messages
// are the protocol's, checked by the server when a token arrives.
import { ScalarType, type DescField } from "@bufbuild/protobuf";
import { SignalRequestSchema, SignalResponseSchema } from "../../../generated/livekit_rtc_pb.js";
import { leaveActions, signalFields, signalModes, type SignalFieldSpec, type SignalValueSpec } from "./signal-fields.js";

type JsonSchema = Record<string, unknown>;

export function signalMockJsonSchema(): JsonSchema {
  return {
    $id: "https://livekit-test-server/lk-mock.schema.json",
    title: "lk.mock",
    description:
      "The behaviour of a signal connection, as the JSON value of the token attribute lk.mock. The attribute's own keys also match in another case (as Go's encoding/json does); protojson parts take protojson names (lowerCamelCase or the proto name). This schema states the canonical spelling.",
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(
      Object.entries(signalFields).map(([name, spec]: [string, SignalFieldSpec]) => [
        name,
        // null counts as absent for every field.
        { description: spec.description, anyOf: [schemaOf(spec.value), { type: "null" }] },
      ]),
    ),
  };
}

function schemaOf(spec: SignalValueSpec): JsonSchema {
  switch (spec.type) {
    case "mode":
      return { type: "string", enum: ["", ...signalModes] };
    case "leaveAction":
      return {
        anyOf: [
          { type: "integer", minimum: -(2 ** 31), maximum: 2 ** 31 - 1 },
          { type: "string", enum: Object.keys(leaveActions) },
        ],
      };
    case "integer":
      return { type: "integer", minimum: spec.minimum, maximum: spec.maximum };
    case "string":
      return { type: "string", pattern: spec.patternText };
    case "text":
      return { type: "string" };
    case "maxBytes":
      // JSON Schema counts characters; the server counts UTF-8 bytes.
      return { type: "string", maxLength: spec.maxBytes };
    case "true":
      return { const: true };
    case "message":
      return { type: "object", "x-protobuf-message": spec.schema.typeName };
    case "signalResponse":
      return signalResponseSchema();
    case "replies":
      return {
        type: "object",
        additionalProperties: false,
        properties: Object.fromEntries(
          SignalRequestSchema.oneofs[0]!.fields.map((f) => [f.jsonName, { anyOf: [signalResponseSchema(), { type: "null" }] }]),
        ),
      };
    case "array":
      return { type: "array", items: schemaOf(spec.items) };
    case "object": {
      const schema: JsonSchema = {
        type: "object",
        additionalProperties: false,
        properties: Object.fromEntries(
          Object.entries(spec.properties).map(([name, field]) => [name, { description: field.description, ...schemaOf(field.value) }]),
        ),
        required: [...spec.required],
      };
      if (spec.oneOf !== undefined) schema["oneOf"] = spec.oneOf.map((name) => ({ required: [name] }));
      return schema;
    }
  }
}

function signalResponseSchema(): JsonSchema {
  return {
    type: "object",
    description: "Protojson livekit.SignalResponse: exactly one kind of message.",
    minProperties: 1,
    maxProperties: 1,
    additionalProperties: false,
    properties: Object.fromEntries(SignalResponseSchema.oneofs[0]!.fields.map((f) => [f.jsonName, memberSchema(f)])),
  };
}

function memberSchema(field: DescField): JsonSchema {
  if (field.fieldKind === "message") return { type: "object", "x-protobuf-message": field.message.typeName };
  if (field.fieldKind === "enum") return { type: ["string", "integer"], "x-protobuf-enum": field.enum.typeName };
  if (field.fieldKind !== "scalar") return {};
  switch (field.scalar) {
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return { type: "string" };
    case ScalarType.BOOL:
      return { type: "boolean" };
    case ScalarType.INT64:
    case ScalarType.UINT64:
    case ScalarType.SINT64:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      // protojson writes 64-bit integers as strings and reads either.
      return { type: ["string", "integer"] };
    default:
      return { type: "number" };
  }
}
