// What changed between two protocol versions, from their descriptor sets alone: services and RPCs
// added or removed, messages whose fields were added, removed, renamed or retyped, and enums whose
// values were. Pure: two registries in, plain data out, so a bump's report can be unit-tested on
// fixture protos. Fields and enum values are matched by number, which is what the wire and an old
// client match them by; a new name on an old number is a rename, not a removal and an addition.
import { ScalarType, type DescEnum, type DescField, type DescMessage, type DescService, type Registry } from "@bufbuild/protobuf";

export interface RpcRef {
  /** `<package>.<Service>/<Method>` */
  readonly key: string;
  /** Declared in the package the mock serves (the others are APIs it does not route). */
  readonly served: boolean;
  readonly streaming: boolean;
}

export interface ServiceChange {
  readonly typeName: string;
  readonly served: boolean;
  readonly methods: readonly string[];
}

export interface RpcRetype {
  readonly key: string;
  readonly served: boolean;
  /** e.g. `unary livekit.A → livekit.B` */
  readonly before: string;
  readonly after: string;
}

export type FieldChange =
  | { readonly kind: "added" | "removed"; readonly number: number; readonly name: string; readonly type: string }
  | {
      readonly kind: "changed";
      readonly number: number;
      readonly before: { readonly name: string; readonly type: string };
      readonly after: { readonly name: string; readonly type: string };
    };

export interface MessageChange {
  readonly typeName: string;
  readonly fields: readonly FieldChange[];
}

export interface EnumValueRef {
  readonly number: number;
  readonly name: string;
}

export interface EnumChange {
  readonly typeName: string;
  readonly added: readonly EnumValueRef[];
  readonly removed: readonly EnumValueRef[];
  readonly renamed: readonly { readonly number: number; readonly before: string; readonly after: string }[];
}

export interface ProtocolDiff {
  readonly services: { readonly added: readonly ServiceChange[]; readonly removed: readonly ServiceChange[] };
  /** RPCs added to or removed from services present in both versions. */
  readonly rpcs: { readonly added: readonly RpcRef[]; readonly removed: readonly RpcRef[]; readonly retyped: readonly RpcRetype[] };
  readonly messages: {
    readonly added: readonly string[];
    readonly removed: readonly string[];
    readonly changed: readonly MessageChange[];
  };
  readonly enums: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly changed: readonly EnumChange[] };
}

export function diffProtocols(before: Registry, after: Registry, servedPackage = "livekit"): ProtocolDiff {
  const old = index(before);
  const now = index(after);
  const served = (service: DescService): boolean => service.file.proto.package === servedPackage;
  const serviceChange = (service: DescService): ServiceChange => ({
    typeName: service.typeName,
    served: served(service),
    methods: service.methods.map((m) => m.name),
  });
  const rpcRef = (service: DescService, name: string): RpcRef => {
    const method = service.methods.find((m) => m.name === name)!;
    return { key: `${service.typeName}/${name}`, served: served(service), streaming: method.methodKind !== "unary" };
  };

  const rpcs = { added: [] as RpcRef[], removed: [] as RpcRef[], retyped: [] as RpcRetype[] };
  for (const [typeName, service] of now.services) {
    const was = old.services.get(typeName);
    if (was === undefined) continue;
    for (const method of service.methods) {
      const prior = was.methods.find((m) => m.name === method.name);
      if (prior === undefined) {
        rpcs.added.push(rpcRef(service, method.name));
        continue;
      }
      const [b, a] = [signature(prior), signature(method)];
      if (b !== a) rpcs.retyped.push({ key: `${typeName}/${method.name}`, served: served(service), before: b, after: a });
    }
    for (const method of was.methods) {
      if (!service.methods.some((m) => m.name === method.name)) rpcs.removed.push(rpcRef(was, method.name));
    }
  }

  const changedMessages: MessageChange[] = [];
  for (const [typeName, message] of now.messages) {
    const was = old.messages.get(typeName);
    if (was === undefined) continue;
    const fields = diffFields(was, message);
    if (fields.length > 0) changedMessages.push({ typeName, fields });
  }
  const changedEnums: EnumChange[] = [];
  for (const [typeName, enumeration] of now.enums) {
    const was = old.enums.get(typeName);
    if (was === undefined) continue;
    const change = diffEnum(was, enumeration);
    if (change !== undefined) changedEnums.push(change);
  }

  return {
    services: {
      added: onlyIn(now.services, old.services).map(serviceChange),
      removed: onlyIn(old.services, now.services).map(serviceChange),
    },
    rpcs: { added: byKey(rpcs.added), removed: byKey(rpcs.removed), retyped: byKey(rpcs.retyped) },
    messages: {
      added: onlyIn(now.messages, old.messages).map((m) => m.typeName),
      removed: onlyIn(old.messages, now.messages).map((m) => m.typeName),
      changed: changedMessages.sort((a, b) => a.typeName.localeCompare(b.typeName)),
    },
    enums: {
      added: onlyIn(now.enums, old.enums).map((e) => e.typeName),
      removed: onlyIn(old.enums, now.enums).map((e) => e.typeName),
      changed: changedEnums.sort((a, b) => a.typeName.localeCompare(b.typeName)),
    },
  };
}

/** A field's type as a .proto author would write it, with its oneof when it has one. */
export function describeFieldType(field: DescField): string {
  let type: string;
  switch (field.fieldKind) {
    case "scalar":
      type = `${field.proto.proto3Optional ? "optional " : ""}${scalarName(field.scalar)}`;
      break;
    case "enum":
      type = `enum ${field.enum.typeName}`;
      break;
    case "message":
      type = field.message.typeName;
      break;
    case "list":
      type = `repeated ${field.listKind === "scalar" ? scalarName(field.scalar) : field.listKind === "enum" ? `enum ${field.enum.typeName}` : field.message.typeName}`;
      break;
    case "map":
      type = `map<${scalarName(field.mapKey)}, ${field.mapKind === "scalar" ? scalarName(field.scalar) : field.mapKind === "enum" ? `enum ${field.enum.typeName}` : field.message.typeName}>`;
      break;
  }
  return field.oneof !== undefined && !field.proto.proto3Optional ? `${type} (oneof ${field.oneof.name})` : type;
}

function diffFields(before: DescMessage, after: DescMessage): FieldChange[] {
  const changes: FieldChange[] = [];
  const old = new Map(before.fields.map((f) => [f.number, f]));
  const now = new Map(after.fields.map((f) => [f.number, f]));
  for (const field of after.fields) {
    const was = old.get(field.number);
    if (was === undefined) {
      changes.push({ kind: "added", number: field.number, name: field.name, type: describeFieldType(field) });
      continue;
    }
    const b = { name: was.name, type: describeFieldType(was) };
    const a = { name: field.name, type: describeFieldType(field) };
    if (b.name !== a.name || b.type !== a.type) changes.push({ kind: "changed", number: field.number, before: b, after: a });
  }
  for (const field of before.fields) {
    if (!now.has(field.number)) changes.push({ kind: "removed", number: field.number, name: field.name, type: describeFieldType(field) });
  }
  return changes.sort((a, b) => a.number - b.number);
}

function diffEnum(before: DescEnum, after: DescEnum): EnumChange | undefined {
  const old = new Map(before.values.map((v) => [v.number, v.name]));
  const now = new Map(after.values.map((v) => [v.number, v.name]));
  const added = after.values.filter((v) => !old.has(v.number)).map((v) => ({ number: v.number, name: v.name }));
  const removed = before.values.filter((v) => !now.has(v.number)).map((v) => ({ number: v.number, name: v.name }));
  const renamed = after.values
    .filter((v) => old.has(v.number) && old.get(v.number) !== v.name)
    .map((v) => ({ number: v.number, before: old.get(v.number)!, after: v.name }));
  if (added.length + removed.length + renamed.length === 0) return undefined;
  return { typeName: after.typeName, added, removed, renamed };
}

function signature(method: DescService["methods"][number]): string {
  return `${method.methodKind} ${method.input.typeName} → ${method.output.typeName}`;
}

interface Index {
  readonly services: Map<string, DescService>;
  readonly messages: Map<string, DescMessage>;
  readonly enums: Map<string, DescEnum>;
}

function index(registry: Registry): Index {
  const out: Index = { services: new Map(), messages: new Map(), enums: new Map() };
  for (const desc of registry) {
    if (desc.kind === "service") out.services.set(desc.typeName, desc);
    else if (desc.kind === "message") out.messages.set(desc.typeName, desc);
    else if (desc.kind === "enum") out.enums.set(desc.typeName, desc);
  }
  return out;
}

function onlyIn<T extends { typeName: string }>(a: Map<string, T>, b: Map<string, T>): T[] {
  return [...a.values()].filter((d) => !b.has(d.typeName)).sort((x, y) => x.typeName.localeCompare(y.typeName));
}

function byKey<T extends { key: string }>(items: T[]): T[] {
  return items.sort((a, b) => a.key.localeCompare(b.key));
}

function scalarName(scalar: ScalarType): string {
  return ScalarType[scalar].toLowerCase();
}
