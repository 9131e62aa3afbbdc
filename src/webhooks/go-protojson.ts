// protojson as Go writes it (google.golang.org/protobuf/encoding/protojson, which the webhook
// notifier uses through protocol's utils/protojson): the same values protobuf-es's toJson
// produces, but fields in declaration order (Go's order.IndexNameFieldOrder; protobuf-es sorts by
// number), map keys sorted (order.GenericKeyOrder), floats formatted by bit size, and no
// whitespace. Receivers verify a signature over these exact bytes.
//
// Go adds a space after some separators in a build-dependent way (internal/detrand), so no one
// can rely on its whitespace; this writer never adds any, which is one of Go's two forms.
import {
  ScalarType,
  toJson,
  type DescField,
  type DescMessage,
  type JsonObject,
  type JsonValue,
  type MessageShape,
} from "@bufbuild/protobuf";

export function goProtojson<Desc extends DescMessage>(schema: Desc, message: MessageShape<Desc>): string {
  return writeMessage(schema, toJson(schema, message) as JsonObject);
}

function writeMessage(schema: DescMessage, json: JsonObject): string {
  if (schema.typeName.startsWith("google.protobuf.")) {
    // WebhookEvent reaches no well-known type (test/webhooks/go-protojson.test.ts checks it); their
    // special JSON forms are written as protobuf-es renders them.
    return JSON.stringify(json);
  }
  const parts: string[] = [];
  for (const field of schema.fields) {
    const value = json[field.jsonName];
    if (value === undefined) continue;
    parts.push(`${JSON.stringify(field.jsonName)}:${writeField(field, value)}`);
  }
  return `{${parts.join(",")}}`;
}

function writeField(field: DescField, value: JsonValue): string {
  switch (field.fieldKind) {
    case "scalar":
      return writeScalar(field.scalar, value);
    case "enum":
      return JSON.stringify(value);
    case "message":
      return writeMessage(field.message, value as JsonObject);
    case "list":
      return `[${(value as JsonValue[])
        .map((item) =>
          field.listKind === "message"
            ? writeMessage(field.message, item as JsonObject)
            : field.listKind === "scalar"
              ? writeScalar(field.scalar, item)
              : JSON.stringify(item),
        )
        .join(",")}]`;
    case "map": {
      const entries = Object.entries(value as JsonObject).sort(([a], [b]) => compareMapKeys(field.mapKey, a, b));
      return `{${entries
        .map(([key, item]) => {
          const written =
            field.mapKind === "message"
              ? writeMessage(field.message, item as JsonObject)
              : field.mapKind === "scalar"
                ? writeScalar(field.scalar, item)
                : JSON.stringify(item);
          return `${JSON.stringify(key)}:${written}`;
        })
        .join(",")}}`;
    }
  }
}

/**
 * JSON.stringify escapes strings as Go's protojson does (`"`, `\`, control characters, lower-case
 * \u00xx) and leaves everything else, `<>&` and U+2028 included, as it is.
 */
function writeScalar(type: ScalarType, value: JsonValue): string {
  if (typeof value === "number" && (type === ScalarType.FLOAT || type === ScalarType.DOUBLE)) {
    return type === ScalarType.FLOAT ? String(shortestFloat32(value)) : String(value);
  }
  return JSON.stringify(value);
}

/**
 * The shortest decimal that reads back as the same float32, as strconv.FormatFloat(x, 'g'-like,
 * -1, 32) picks it. JavaScript then spells it like Go's appendFloat: plain below 1e21 and from
 * 1e-6, exponent form (`1e+21`, `1e-7`) outside.
 */
function shortestFloat32(value: number): number {
  const target = Math.fround(value);
  if (target === 0 || !Number.isFinite(target)) return target;
  for (let digits = 1; digits < 17; digits++) {
    const candidate = Number(target.toPrecision(digits));
    if (Math.fround(candidate) === target) return candidate;
  }
  return target;
}

/** Go's GenericKeyOrder: false before true, integers ascending, strings by UTF-8 bytes. */
function compareMapKeys(keyType: ScalarType, a: string, b: string): number {
  switch (keyType) {
    case ScalarType.BOOL:
      return a === b ? 0 : a === "false" ? -1 : 1;
    case ScalarType.STRING:
      return Buffer.compare(Buffer.from(a), Buffer.from(b));
    default: {
      const x = BigInt(a);
      const y = BigInt(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
  }
}
