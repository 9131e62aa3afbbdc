// The JSON Schema (draft 2020-12) of the `X-Lk-Mock` object, derived from the same definition as
// the strict parser, so tools and editors validate exactly what the server accepts.
import { controlFields, type ControlFieldSpec, type ValueSpec } from "./control-fields.js";

type JsonSchema = Record<string, unknown>;

export function controlJsonSchema(): JsonSchema {
  const properties: Record<string, JsonSchema> = {};
  for (const [name, spec] of Object.entries(controlFields) as [string, ControlFieldSpec][]) {
    const value = schemaOf(spec.value);
    const described: JsonSchema = { description: spec.description };
    if (spec.legacyHeader !== undefined) described["x-legacy-header"] = spec.legacyHeader;
    // null is accepted everywhere: it resets list and object fields, and leaves the others as set.
    properties[name] = spec.value.type === "any" ? { ...described } : { ...described, anyOf: [value, { type: "null" }] };
  }
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    $id: "https://livekit-test-server/x-lk-mock.schema.json",
    title: "X-Lk-Mock",
    description:
      "Per-request control of livekit-test-server, sent as the JSON value of the X-Lk-Mock header. The server also accepts each key in another case (as Go's encoding/json does); this schema states the canonical spelling.",
    type: "object",
    additionalProperties: false,
    properties,
  };
}

function schemaOf(spec: ValueSpec): JsonSchema {
  switch (spec.type) {
    case "any":
      return {};
    case "boolean":
      return { type: "boolean" };
    case "integer": {
      const schema: JsonSchema = { type: "integer" };
      if (spec.minimum !== undefined) schema["minimum"] = spec.minimum;
      if (spec.maximum !== undefined) schema["maximum"] = spec.maximum;
      return schema;
    }
    case "string": {
      // Modes are matched case-insensitively; the schema states the canonical spelling.
      const schema: JsonSchema = spec.enum === undefined ? { type: "string" } : { type: "string", enum: [...spec.enum] };
      if (spec.pattern !== undefined) schema["pattern"] = spec.pattern.source;
      return schema;
    }
    case "map": {
      const schema: JsonSchema = { type: "object", additionalProperties: schemaOf(spec.values) };
      if (spec.keys !== undefined) schema["propertyNames"] = { pattern: spec.keys.source };
      return schema;
    }
    case "array":
      return { type: "array", items: schemaOf(spec.items) };
    case "object":
      return {
        type: "object",
        additionalProperties: false,
        properties: Object.fromEntries(Object.entries(spec.properties).map(([k, v]) => [k, schemaOf(v)])),
        required: [...spec.required],
      };
  }
}
