// The original test server's populate algorithm (docs/spec/twirp.md#populate), compiled once per method into a
// plan of field operations on protobuf-es's plain message objects, so the per-request work is a
// short loop of property reads and writes.
import { create, ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { isScalarZeroValue } from "@bufbuild/protobuf/reflect";

type ScalarField = DescField & { fieldKind: "scalar" };
type Fields = Record<string, unknown>;

type FieldOp =
  /** Rule 1 (echo from `source` when the request has it), with rule 2 as the fallback when id-like. */
  | {
      readonly kind: "scalar";
      readonly field: ScalarField;
      readonly source: ScalarField | undefined;
      readonly placeholder: string | undefined;
    }
  /** Rule 3: one element, populated without a request one level down. */
  | { readonly kind: "list"; readonly field: DescField; readonly element: PopulatePlan };

export interface PopulatePlan {
  readonly schema: DescMessage;
  readonly ops: readonly FieldOp[];
}

/**
 * The plan for answers of type `schema` to requests of type `request` (none one level down, in
 * list elements).
 */
export function compilePopulatePlan(schema: DescMessage, request?: DescMessage, depth = 1): PopulatePlan {
  const ops: FieldOp[] = [];
  // `fields` is declaration order with oneof members in place, as Go's protoreflect walks them.
  for (const field of schema.fields) {
    if (field.fieldKind === "scalar") {
      ops.push({
        kind: "scalar",
        field,
        source: request === undefined ? undefined : echoSource(request, field),
        placeholder: placeholderFor(field),
      });
    } else if (field.fieldKind === "list" && field.listKind === "message" && depth > 0) {
      ops.push({ kind: "list", field, element: compilePopulatePlan(field.message, undefined, depth - 1) });
    }
    // Enums, maps, singular messages and repeated scalars are never populated.
  }
  return { schema, ops };
}

/**
 * Builds the default response for a decoded request of the plan's request type. Each list gets
 * `listSize` elements (the original's one by default); with more than one, the placeholders of
 * element i end in `_<i+1>` so that elements differ.
 */
export function populate(plan: PopulatePlan, request: Message, listSize = 1): Message {
  const response = create(plan.schema);
  fill(response as unknown as Fields, plan, request as unknown as Fields, listSize, "");
  return response;
}

function fill(target: Fields, plan: PopulatePlan, request: Fields | undefined, listSize: number, suffix: string): void {
  for (const op of plan.ops) {
    if (op.kind === "scalar") {
      if (request !== undefined && op.source !== undefined && isSet(request, op.source)) {
        set(target, op.field, get(request, op.source));
      } else if (op.placeholder !== undefined && !isSet(target, op.field)) {
        set(target, op.field, op.placeholder + suffix);
      }
    } else {
      const list = target[op.field.localName] as unknown[];
      for (let i = 0; i < listSize; i++) {
        const element = create(op.element.schema) as unknown as Fields;
        fill(element, op.element, undefined, listSize, listSize === 1 ? "" : `_${i + 1}`);
        list.push(element);
      }
    }
  }
}

// Rule 1's source: a non-repeated request field with the same proto name and the exact same
// scalar kind (int32 ≠ sint32, string ≠ bytes). Whether it is present is decided per request.
function echoSource(request: DescMessage, field: ScalarField): ScalarField | undefined {
  const source = request.fields.find((f) => f.name === field.name);
  if (source === undefined || source.fieldKind !== "scalar" || source.scalar !== field.scalar) return undefined;
  return source;
}

// "Present" is protoreflect's Has, as protobuf-es's reflection defines it for plain messages: the
// active oneof case, an own property for explicit presence, a non-zero value otherwise.
function isSet(message: Fields, field: ScalarField): boolean {
  if (field.oneof !== undefined) return (message[field.oneof.localName] as { case: unknown }).case === field.localName;
  if (field.presence !== implicitPresence) {
    return message[field.localName] !== undefined && Object.prototype.hasOwnProperty.call(message, field.localName);
  }
  return !isScalarZeroValue(field.scalar, message[field.localName]);
}

function get(message: Fields, field: ScalarField): unknown {
  if (field.oneof !== undefined) return (message[field.oneof.localName] as { value: unknown }).value;
  return message[field.localName];
}

function set(message: Fields, field: ScalarField, value: unknown): void {
  if (field.oneof !== undefined) message[field.oneof.localName] = { case: field.localName, value };
  else message[field.localName] = value;
}

/** google.protobuf.FeatureSet.FieldPresence.IMPLICIT */
const implicitPresence = 2;

// Rule 2: an id-like non-repeated string gets `MOCK_<NAME>`.
function placeholderFor(field: ScalarField): string | undefined {
  if (field.scalar !== ScalarType.STRING) return undefined;
  const name = field.name;
  if (name === "id" || name === "sid" || name.endsWith("_id") || name.endsWith("_sid")) {
    return `MOCK_${name.toUpperCase()}`;
  }
  return undefined;
}
