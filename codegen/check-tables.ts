// Both-way checks between the hand-written tables and the descriptors. Every problem names the
// RPC (or entry) concerned; the caller reports them all at once.
import { ScalarType } from "@bufbuild/protobuf";
import type { CollectedRpc } from "./collect-rpcs.js";
import type { GrantTable } from "./grant-table.js";
import type { LatencyTable } from "./latency-table.js";

export function checkGrantTable(rpcs: readonly CollectedRpc[], table: GrantTable): string[] {
  const problems: string[] = [];
  const unary = rpcs.filter((rpc) => !rpc.streaming);
  const served = new Set(unary.map((rpc) => rpc.key));
  for (const rpc of unary) {
    const [service, method] = splitKey(rpc.key);
    if (table[service]?.[method] === undefined) {
      problems.push(`${rpc.key} has no grant entry: decide its grant in codegen/grant-table.ts`);
    }
  }
  for (const [service, methods] of Object.entries(table)) {
    for (const method of Object.keys(methods)) {
      const key = `${service}/${method}`;
      if (!served.has(key)) {
        problems.push(`grant entry ${key} names no unary RPC of the protocol: remove it from codegen/grant-table.ts`);
      }
    }
  }
  return problems;
}

export function checkLatencyTable(rpcs: readonly CollectedRpc[], table: LatencyTable): string[] {
  const problems: string[] = [];
  const byKey = new Map(rpcs.filter((rpc) => !rpc.streaming).map((rpc) => [rpc.key, rpc]));
  for (const [key, latency] of Object.entries(table)) {
    const rpc = byKey.get(key);
    if (rpc === undefined) {
      problems.push(`latency entry ${key} names no unary RPC of the protocol: remove it from codegen/latency-table.ts`);
      continue;
    }
    if (latency.whenTrue !== undefined) {
      const field = rpc.method.input.fields.find((f) => f.name === latency.whenTrue);
      if (field === undefined || field.fieldKind !== "scalar" || field.scalar !== ScalarType.BOOL) {
        problems.push(`latency entry ${key} depends on ${latency.whenTrue}, which is not a bool field of ${rpc.method.input.typeName}`);
      }
    }
  }
  return problems;
}

function splitKey(key: string): [string, string] {
  const slash = key.lastIndexOf("/");
  return [key.slice(0, slash), key.slice(slash + 1)];
}
