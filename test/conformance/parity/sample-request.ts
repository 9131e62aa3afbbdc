// A request with every field set (first oneof member, one list element, one map entry, nested
// messages two levels deep), built from the method's input schema, so the parity matrix exercises
// echo and placeholders on every field of every RPC without hand-writing 49 requests.
import { create, protoInt64, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";

/** Room names the auth cases rely on: `room`/`room_name` and `destination_room`. */
export const sampleRoom = "room-a";
export const sampleDestinationRoom = "room-b";

const maxDepth = 2;

export function sampleRequest(schema: DescMessage): Message {
  return create(schema, sampleInit(schema, 0) as never);
}

function sampleInit(schema: DescMessage, depth: number): Record<string, unknown> {
  const init: Record<string, unknown> = {};
  for (const member of schema.members) {
    if (member.kind === "oneof") {
      for (const field of member.fields) {
        const value = singleValue(field, depth);
        if (value === undefined) continue;
        init[member.localName] = { case: field.localName, value };
        break;
      }
      continue;
    }
    const value = fieldValue(member, depth);
    if (value !== undefined) init[member.localName] = value;
  }
  return init;
}

function fieldValue(field: DescField, depth: number): unknown {
  switch (field.fieldKind) {
    case "list": {
      const item =
        field.listKind === "scalar"
          ? scalarValue(field.scalar, field.name)
          : field.listKind === "enum"
            ? enumValue(field.enum.values)
            : messageValue(field.message, depth);
      return item === undefined ? undefined : [item];
    }
    case "map": {
      if (field.mapKey !== ScalarType.STRING) return undefined;
      const value =
        field.mapKind === "scalar"
          ? scalarValue(field.scalar, field.name)
          : field.mapKind === "enum"
            ? enumValue(field.enum.values)
            : messageValue(field.message, depth);
      return value === undefined ? undefined : { k: value };
    }
    default:
      return singleValue(field, depth);
  }
}

function singleValue(field: DescField, depth: number): unknown {
  switch (field.fieldKind) {
    case "scalar":
      return scalarValue(field.scalar, field.name);
    case "enum":
      return enumValue(field.enum.values);
    case "message":
      return messageValue(field.message, depth);
    default:
      return undefined;
  }
}

function messageValue(schema: DescMessage, depth: number): unknown {
  // Well-known types have JSON forms of their own (and Value/Any need content); they add nothing here.
  if (depth >= maxDepth || schema.typeName.startsWith("google.protobuf.")) return undefined;
  return sampleInit(schema, depth + 1);
}

function enumValue(values: readonly { number: number }[]): number | undefined {
  return values.find((v) => v.number !== 0)?.number;
}

function scalarValue(type: ScalarType, name: string): unknown {
  switch (type) {
    case ScalarType.STRING:
      if (name === "room" || name === "room_name") return sampleRoom;
      if (name === "destination_room") return sampleDestinationRoom;
      return `${name}-v`;
    case ScalarType.BYTES:
      return new Uint8Array([1, 2, 3]);
    case ScalarType.BOOL:
      return true;
    case ScalarType.FLOAT:
    case ScalarType.DOUBLE:
      return 1.5;
    case ScalarType.INT64:
    case ScalarType.SINT64:
    case ScalarType.SFIXED64:
    case ScalarType.UINT64:
    case ScalarType.FIXED64:
      return protoInt64.parse(7);
    default:
      return 7;
  }
}
