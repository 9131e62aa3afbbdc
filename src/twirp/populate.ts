// The original test server's populate algorithm (REFERENCE §3.1), compiled once per response type
// into a plan of field operations so the per-request work is a short loop.
import { ScalarType, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { reflect, type ReflectList, type ReflectMessage } from "@bufbuild/protobuf/reflect";

type ScalarField = DescField & { fieldKind: "scalar" };

type FieldOp =
  /** Rule 1, with rule 2 as the fallback when the field is id-like. */
  | { readonly kind: "scalar"; readonly field: ScalarField; readonly placeholder: string | undefined }
  /** Rule 3: one element, populated without a request one level down. */
  | { readonly kind: "list"; readonly field: DescField; readonly element: PopulatePlan };

export interface PopulatePlan {
  readonly schema: DescMessage;
  readonly ops: readonly FieldOp[];
}

export function compilePopulatePlan(schema: DescMessage, depth = 1): PopulatePlan {
  const ops: FieldOp[] = [];
  // `fields` is declaration order with oneof members in place, as Go's protoreflect walks them.
  for (const field of schema.fields) {
    if (field.fieldKind === "scalar") {
      ops.push({ kind: "scalar", field, placeholder: placeholderFor(field) });
    } else if (field.fieldKind === "list" && field.listKind === "message" && depth > 0) {
      ops.push({ kind: "list", field, element: compilePopulatePlan(field.message, depth - 1) });
    }
    // Enums, maps, singular messages and repeated scalars are never populated.
  }
  return { schema, ops };
}

/** Builds the default response for a decoded request (none one level down, in list elements). */
export function populate(plan: PopulatePlan, requestSchema: DescMessage, request: Message): Message {
  const response = reflect(plan.schema);
  fill(response, plan, reflect(requestSchema, request));
  return response.message;
}

function fill(target: ReflectMessage, plan: PopulatePlan, request: ReflectMessage | undefined): void {
  for (const op of plan.ops) {
    if (op.kind === "scalar") {
      const source = request === undefined ? undefined : echoSource(request, op.field);
      if (source !== undefined) {
        target.set(op.field, request!.get(source));
      } else if (op.placeholder !== undefined && !target.isSet(op.field)) {
        target.set(op.field, op.placeholder);
      }
    } else {
      const element = reflect(op.element.schema);
      fill(element, op.element, undefined);
      (target.get(op.field) as ReflectList<ReflectMessage>).add(element);
    }
  }
}

// Rule 1: a present, non-repeated request field with the same proto name and the exact same
// scalar kind (int32 ≠ sint32, string ≠ bytes). "Present" is protoreflect's Has.
function echoSource(request: ReflectMessage, field: ScalarField): DescField | undefined {
  const source = fieldByName(request.desc, field.name);
  if (source === undefined || source.fieldKind !== "scalar" || source.scalar !== field.scalar) return undefined;
  return request.isSet(source) ? source : undefined;
}

const fieldsByName = new WeakMap<DescMessage, Map<string, DescField>>();

function fieldByName(schema: DescMessage, name: string): DescField | undefined {
  let byName = fieldsByName.get(schema);
  if (byName === undefined) {
    byName = new Map(schema.fields.map((f) => [f.name, f]));
    fieldsByName.set(schema, byName);
  }
  return byName.get(name);
}

// Rule 2: an id-like non-repeated string gets `MOCK_<NAME>`.
function placeholderFor(field: ScalarField): string | undefined {
  if (field.scalar !== ScalarType.STRING) return undefined;
  const name = field.name;
  if (name === "id" || name === "sid" || name.endsWith("_id") || name.endsWith("_sid")) {
    return `MOCK_${name.toUpperCase()}`;
  }
  return undefined;
}
