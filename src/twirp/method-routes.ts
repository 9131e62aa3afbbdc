// The route table: every route key known at start-up from the generated method table, each
// method's descriptors and populate plan made the first time one of its module's keys is called,
// then kept. Shared by every listener of a server.
import type { MethodStub, StubModule } from "./method-stub.js";
import { compilePopulatePlan, type PopulatePlan } from "./populate.js";

export interface MethodRoute {
  readonly stub: MethodStub;
  readonly populatePlan: PopulatePlan;
}

export interface MethodRoutes {
  /** Whether `key` is a served method (no loading needed to know). */
  has(key: string): boolean;
  /** The route of `key` once its module is loaded; a promise the first time; undefined when unknown. */
  route(key: string): MethodRoute | Promise<MethodRoute> | undefined;
  /** Every route, loading every module: for the self-description. */
  all(): Promise<readonly MethodRoute[]>;
}

export function createMethodRoutes(modules: readonly StubModule[]): MethodRoutes {
  const moduleOf = new Map<string, StubModule>();
  for (const module of modules) {
    for (const key of module.keys) {
      if (moduleOf.has(key)) throw new Error(`route table: ${key} is mounted twice`);
      moduleOf.set(key, module);
    }
  }
  const routes = new Map<string, MethodRoute>();
  const loading = new Map<StubModule, Promise<void>>();

  function load(module: StubModule): Promise<void> {
    let pending = loading.get(module);
    if (pending === undefined) {
      pending = module.load().then((stubs) => {
        const keys = stubs.map((s) => s.key);
        if (keys.join() !== module.keys.join())
          throw new Error(`route table: a module holds ${keys.join(", ")}, not ${module.keys.join(", ")}`);
        for (const stub of stubs) routes.set(stub.key, { stub, populatePlan: compilePopulatePlan(stub.method.output, stub.method.input) });
      });
      loading.set(module, pending);
    }
    return pending;
  }

  return {
    has: (key) => moduleOf.has(key),
    route(key) {
      const known = routes.get(key);
      if (known !== undefined) return known;
      const module = moduleOf.get(key);
      if (module === undefined) return undefined;
      return load(module).then(() => routes.get(key)!);
    },
    async all() {
      await Promise.all(modules.map(load));
      return modules.flatMap((module) => module.keys.map((key) => routes.get(key)!));
    },
  };
}
