// Binary decoding with Go's tolerance for wire types. Go's proto.Unmarshal treats a field whose
// wire type contradicts its declaration as an unknown field: decoding succeeds and the field stays
// unset, so a real Twirp server (and the original mock) answer 200. @bufbuild/protobuf's
// fromBinary reads such a field as declared: it fails, or worse, succeeds with garbage (a string
// sent as varint 1 swallows the next byte; a bool sent as a string makes the rest of its message
// misparse). So the bytes are first walked against the schema; only when a field's wire type
// contradicts its declaration is the message rewritten without it. The walk also refuses what Go
// refuses and fromBinary may not: truncation, lengths past their message, wire types 6 and 7,
// unbalanced groups, varints over 10 bytes. It also names the string field that holds invalid
// UTF-8 (fromBinary refuses it too, but without saying where).
import { isUtf8 } from "node:buffer";
import { fromBinary, ScalarType, type DescField, type DescMessage, type MessageShape } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";

/** fromBinary, dropping fields sent with the wrong wire type as Go does. Throws on undecodable bytes. */
export function fromBinaryTolerant<Desc extends DescMessage>(schema: Desc, bytes: Uint8Array): MessageShape<Desc> {
  // Unknown fields are dropped: nothing reads them, and keeping millions of them took seconds.
  return fromBinary(schema, dropMismatchedFields(schema, bytes), { readUnknownFields: false });
}

/**
 * The encoded message without the fields (at any depth) whose wire type does not match their
 * declaration; `bytes` itself when there are none. Unknown fields are kept. Throws when the bytes
 * are not a valid encoding at all.
 */
export function dropMismatchedFields(schema: DescMessage, bytes: Uint8Array): Uint8Array {
  // A read-only pass first: well-formed requests (all of them, in practice) allocate nothing more.
  const scan: Walk = { bytes, pos: 0, writer: undefined, mismatched: false };
  walkMessage(scan, schema, bytes.length, 0);
  if (!scan.mismatched) return bytes;
  const writer = new BinaryWriter();
  walkMessage({ bytes, pos: 0, writer, mismatched: false }, schema, bytes.length, 0);
  return writer.finish();
}

interface Walk {
  readonly bytes: Uint8Array;
  pos: number;
  /** Receives the kept fields; undefined for the read-only pass. */
  readonly writer: BinaryWriter | undefined;
  /** Set when a field was dropped. */
  mismatched: boolean;
}

/** How a field may appear on the wire. */
interface FieldPlan {
  /** The wire type of its values (of one element, for a repeated field). */
  readonly wireType: WireType;
  /** Repeated numbers, which may also come packed in one length-delimited record. */
  readonly packable: boolean;
  /** A length-delimited message (singular or repeated) to walk into. */
  readonly message: DescMessage | undefined;
  /** A map field, whose entries are walked. */
  readonly map: (DescField & { fieldKind: "map" }) | undefined;
  /** A string (or repeated string) field whose bytes must be valid UTF-8; named in the error. */
  readonly utf8: string | undefined;
}

// fromBinary's own limit.
const maxDepth = 100;
const maxFieldNumber = 2 ** 29 - 1;

function walkMessage(walk: Walk, schema: DescMessage, end: number, depth: number): void {
  if (depth > maxDepth) throw new Error(`cannot decode ${schema.typeName} from binary: maximum recursion depth of ${maxDepth} reached`);
  const plans = fieldPlans(schema);
  const { bytes, writer } = walk;
  while (walk.pos < end) {
    const start = walk.pos;
    const tag = readTag(walk, end);
    const no = fieldNumber(tag);
    const wireType = wireTypeOf(tag);
    const plan = plans.get(no);
    if (plan === undefined) {
      skipValue(walk, wireType, no, end, depth);
      writer?.raw(bytes.subarray(start, walk.pos));
      continue;
    }
    if (wireType === WireType.LengthDelimited && (plan.message !== undefined || plan.map !== undefined)) {
      // Sub-messages are walked too, since their own fields may need dropping.
      const subEnd = lengthPrefixed(walk, end);
      writer?.tag(no, WireType.LengthDelimited).fork();
      if (plan.message !== undefined) walkMessage(walk, plan.message, subEnd, depth + 1);
      else walkMapEntry(walk, plan.map!, subEnd, depth + 1);
      writer?.join();
      continue;
    }
    if (wireType === WireType.LengthDelimited && plan.utf8 !== undefined) {
      const valueEnd = lengthPrefixed(walk, end);
      checkUtf8(bytes.subarray(walk.pos, valueEnd), `string field ${plan.utf8}`);
      walk.pos = valueEnd;
      writer?.raw(bytes.subarray(start, walk.pos));
      continue;
    }
    if (wireType === WireType.LengthDelimited && plan.packable) {
      skipPacked(walk, plan.wireType, end);
      writer?.raw(bytes.subarray(start, walk.pos));
      continue;
    }
    skipValue(walk, wireType, no, end, depth);
    if (wireType === plan.wireType) writer?.raw(bytes.subarray(start, walk.pos));
    else walk.mismatched = true;
  }
}

/** A map entry: key in field 1, value in field 2, each kept only with its declared wire type. */
function walkMapEntry(walk: Walk, field: DescField & { fieldKind: "map" }, end: number, depth: number): void {
  const { bytes, writer } = walk;
  while (walk.pos < end) {
    const start = walk.pos;
    const tag = readTag(walk, end);
    const no = fieldNumber(tag);
    const wireType = wireTypeOf(tag);
    if (no === 2 && field.mapKind === "message" && wireType === WireType.LengthDelimited) {
      const subEnd = lengthPrefixed(walk, end);
      writer?.tag(no, WireType.LengthDelimited).fork();
      walkMessage(walk, field.message, subEnd, depth);
      writer?.join();
      continue;
    }
    if (no <= 2 && wireType === WireType.LengthDelimited && mapPartIsString(field, no) && field.utf8Validation) {
      const valueEnd = lengthPrefixed(walk, end);
      checkUtf8(bytes.subarray(walk.pos, valueEnd), `map ${no === 1 ? "key" : "value"} of ${field.parent.typeName}.${field.name}`);
      walk.pos = valueEnd;
      writer?.raw(bytes.subarray(start, walk.pos));
      continue;
    }
    skipValue(walk, wireType, no, end, depth);
    const expected =
      no === 1
        ? scalarWireType(field.mapKey)
        : field.mapKind === "scalar"
          ? scalarWireType(field.scalar)
          : field.mapKind === "enum"
            ? WireType.Varint
            : WireType.LengthDelimited;
    if (no > 2 || wireType === expected) writer?.raw(bytes.subarray(start, walk.pos));
    else walk.mismatched = true;
  }
}

const plansBySchema = new WeakMap<DescMessage, Map<number, FieldPlan>>();

function fieldPlans(schema: DescMessage): Map<number, FieldPlan> {
  let plans = plansBySchema.get(schema);
  if (plans === undefined) {
    plans = new Map(schema.fields.map((field) => [field.number, planOf(field)]));
    plansBySchema.set(schema, plans);
  }
  return plans;
}

function planOf(field: DescField): FieldPlan {
  const none = { packable: false, message: undefined, map: undefined, utf8: undefined };
  const utf8 = field.utf8Validation ? `${field.parent.typeName}.${field.name}` : undefined;
  switch (field.fieldKind) {
    case "scalar":
      return { ...none, wireType: scalarWireType(field.scalar), utf8: field.scalar === ScalarType.STRING ? utf8 : undefined };
    case "enum":
      return { ...none, wireType: WireType.Varint };
    case "map":
      return { ...none, wireType: WireType.LengthDelimited, map: field };
    case "message":
      // A delimited (group-encoded) message is kept or dropped whole; LiveKit has none.
      return field.delimitedEncoding
        ? { ...none, wireType: WireType.StartGroup }
        : { ...none, wireType: WireType.LengthDelimited, message: field.message };
    case "list":
      switch (field.listKind) {
        case "message":
          return field.delimitedEncoding
            ? { ...none, wireType: WireType.StartGroup }
            : { ...none, wireType: WireType.LengthDelimited, message: field.message };
        case "enum":
          return { ...none, wireType: WireType.Varint, packable: true };
        case "scalar": {
          const wireType = scalarWireType(field.scalar);
          return {
            ...none,
            wireType,
            packable: wireType !== WireType.LengthDelimited,
            utf8: field.scalar === ScalarType.STRING ? utf8 : undefined,
          };
        }
      }
  }
}

function scalarWireType(scalar: ScalarType): WireType {
  switch (scalar) {
    case ScalarType.DOUBLE:
    case ScalarType.FIXED64:
    case ScalarType.SFIXED64:
      return WireType.Bit64;
    case ScalarType.FLOAT:
    case ScalarType.FIXED32:
    case ScalarType.SFIXED32:
      return WireType.Bit32;
    case ScalarType.STRING:
    case ScalarType.BYTES:
      return WireType.LengthDelimited;
    default:
      return WireType.Varint;
  }
}

function mapPartIsString(field: DescField & { fieldKind: "map" }, no: number): boolean {
  return no === 1 ? field.mapKey === ScalarType.STRING : field.mapKind === "scalar" && field.scalar === ScalarType.STRING;
}

function checkUtf8(value: Uint8Array, what: string): void {
  if (!isUtf8(value)) throw new Error(`${what} contains invalid UTF-8`);
}

// ---- the wire checks Go's protowire makes ---------------------------------------------------

/** A tag, checked; split it with fieldNumber() and wireTypeOf(). */
function readTag(walk: Walk, end: number): number {
  const tag = readVarint(walk, end);
  const no = fieldNumber(tag);
  if (no < 1 || no > maxFieldNumber) throw new Error(`invalid field number ${no}`);
  if (wireTypeOf(tag) > WireType.Bit32) throw new Error(`invalid wire type ${wireTypeOf(tag)}`);
  return tag;
}

// Tags may exceed 2^32 (and then fail the field number check), so no bit operators.
function fieldNumber(tag: number): number {
  return Math.floor(tag / 8);
}

function wireTypeOf(tag: number): WireType {
  return tag % 8;
}

/** A varint of at most 10 bytes, as a number (exact up to 2^53, which covers tags and lengths). */
function readVarint(walk: Walk, end: number): number {
  const bytes = walk.bytes;
  let value = 0;
  let scale = 1;
  for (let i = walk.pos; i < end && i < walk.pos + 10; i++) {
    const byte = bytes[i]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) {
      walk.pos = i + 1;
      return value;
    }
    scale *= 128;
  }
  throw walk.pos + 10 <= end ? new Error("invalid varint: longer than 10 bytes") : new RangeError("premature EOF");
}

/** Reads a length prefix and returns where the value ends, which must be within `end`. */
function lengthPrefixed(walk: Walk, end: number): number {
  const length = readVarint(walk, end);
  if (length > end - walk.pos) throw new RangeError("premature EOF");
  return walk.pos + length;
}

function skipValue(walk: Walk, wireType: WireType, no: number, end: number, depth: number): void {
  switch (wireType) {
    case WireType.Varint:
      readVarint(walk, end);
      return;
    case WireType.Bit64:
    case WireType.Bit32: {
      const size = wireType === WireType.Bit64 ? 8 : 4;
      if (size > end - walk.pos) throw new RangeError("premature EOF");
      walk.pos += size;
      return;
    }
    case WireType.LengthDelimited:
      walk.pos = lengthPrefixed(walk, end);
      return;
    case WireType.StartGroup:
      if (depth >= maxDepth) throw new Error(`maximum recursion depth of ${maxDepth} reached`);
      for (;;) {
        if (walk.pos >= end) throw new RangeError("premature EOF");
        const tag = readTag(walk, end);
        if (wireTypeOf(tag) === WireType.EndGroup) {
          if (fieldNumber(tag) !== no) throw new Error("invalid end group tag");
          return;
        }
        skipValue(walk, wireTypeOf(tag), fieldNumber(tag), end, depth + 1);
      }
    case WireType.EndGroup:
      throw new Error("unexpected end group tag");
  }
}

function skipPacked(walk: Walk, element: WireType, end: number): void {
  const valuesEnd = lengthPrefixed(walk, end);
  if (element === WireType.Varint) {
    while (walk.pos < valuesEnd) readVarint(walk, valuesEnd);
    return;
  }
  if ((valuesEnd - walk.pos) % (element === WireType.Bit64 ? 8 : 4) !== 0)
    throw new Error("packed fixed-size values do not fill their length");
  walk.pos = valuesEnd;
}
