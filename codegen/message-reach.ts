// Where a user meets a message or an enum: as (part of) the request or the response of a served
// RPC, in a signal message, or in a webhook event. A change to a message nobody reaches is noise to a user
// of the mock; a change to one every RPC reaches is not. Pure: a registry in, a lookup out.
import type { DescMessage, Registry } from "@bufbuild/protobuf";

/** The messages a user meets outside the RPCs: what a signal connection and a webhook carry. */
export const namedRoots: readonly { readonly label: string; readonly typeName: string }[] = [
  { label: "signal request", typeName: "livekit.SignalRequest" },
  { label: "signal response", typeName: "livekit.SignalResponse" },
  { label: "webhook event", typeName: "livekit.WebhookEvent" },
];

export interface Reach {
  /** Served unary RPC keys whose request contains the message or enum (at any depth). */
  readonly requestOf: readonly string[];
  readonly responseOf: readonly string[];
  /** Labels of the named roots that contain it. */
  readonly carriedBy: readonly string[];
}

export type ReachOf = (typeName: string) => Reach;

export function messageReach(registry: Registry, servedPackage = "livekit"): ReachOf {
  const requestOf = new Map<string, string[]>();
  const responseOf = new Map<string, string[]>();
  const carriedBy = new Map<string, string[]>();
  const mark = (into: Map<string, string[]>, root: DescMessage, label: string): void => {
    for (const typeName of contained(root)) {
      const list = into.get(typeName) ?? [];
      list.push(label);
      into.set(typeName, list);
    }
  };
  for (const desc of registry) {
    if (desc.kind !== "service" || desc.file.proto.package !== servedPackage) continue;
    for (const method of desc.methods) {
      if (method.methodKind !== "unary") continue;
      const key = `${desc.typeName}/${method.name}`;
      mark(requestOf, method.input, key);
      mark(responseOf, method.output, key);
    }
  }
  for (const { label, typeName } of namedRoots) {
    const root = registry.getMessage(typeName);
    if (root !== undefined) mark(carriedBy, root, label);
  }
  const sorted = (list: string[] | undefined): string[] => [...new Set(list ?? [])].sort();
  return (typeName) => ({
    requestOf: sorted(requestOf.get(typeName)),
    responseOf: sorted(responseOf.get(typeName)),
    carriedBy: sorted(carriedBy.get(typeName)),
  });
}

/** The message itself and every message and enum type reachable through its fields. */
function contained(root: DescMessage): Set<string> {
  const seen = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const message = stack.pop()!;
    if (seen.has(message.typeName)) continue;
    seen.add(message.typeName);
    for (const field of message.fields) {
      if (field.enum !== undefined) seen.add(field.enum.typeName);
      if (field.fieldKind === "message") stack.push(field.message);
      else if (field.fieldKind === "list" && field.listKind === "message") stack.push(field.message);
      else if (field.fieldKind === "map" && field.mapKind === "message") stack.push(field.message);
    }
  }
  return seen;
}
