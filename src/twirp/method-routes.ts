// The route table: built once at start-up from the generated stubs and shared by every listener.
// Each route carries what the per-request path needs precompiled (the populate plan).
import type { MethodStub } from "./method-stub.js";
import { compilePopulatePlan, type PopulatePlan } from "./populate.js";

export interface MethodRoute {
  readonly stub: MethodStub;
  readonly populatePlan: PopulatePlan;
}

export type MethodRoutes = ReadonlyMap<string, MethodRoute>;

export function createMethodRoutes(stubs: readonly MethodStub[]): MethodRoutes {
  const table = new Map<string, MethodRoute>();
  for (const stub of stubs) {
    if (table.has(stub.key)) throw new Error(`route table: ${stub.key} is mounted twice`);
    table.set(stub.key, { stub, populatePlan: compilePopulatePlan(stub.method.output, stub.method.input) });
  }
  return table;
}
