// The whole matrix, and running it against both servers with bounded concurrency.
import { claimCases } from "./claim-cases.js";
import { controlCases } from "./control-cases.js";
import { exchange, type Target } from "./exchange.js";
import type { Observation, ParityCase } from "./parity-case.js";
import { rpcCases, unregisteredCases } from "./rpc-cases.js";
import { wireCases } from "./wire-cases.js";

export function allCases(): ParityCase[] {
  const cases = [...rpcCases(), ...unregisteredCases(), ...controlCases(), ...wireCases(), ...claimCases()];
  const ids = new Set<string>();
  for (const c of cases) {
    if (ids.has(c.id)) throw new Error(`parity case id ${JSON.stringify(c.id)} is used twice`);
    ids.add(c.id);
  }
  for (const c of cases) {
    if (c.baseline !== undefined && !ids.has(c.baseline))
      throw new Error(`parity case ${JSON.stringify(c.id)} names an unknown baseline ${JSON.stringify(c.baseline)}`);
  }
  return cases;
}

export interface CaseResult {
  readonly ours: Observation;
  readonly original: Observation;
}

export async function runCases(
  cases: readonly ParityCase[],
  ours: Target,
  original: Target,
  concurrency = 8,
): Promise<Map<string, CaseResult>> {
  const results = new Map<string, CaseResult>();
  let next = 0;
  async function worker(): Promise<void> {
    while (next < cases.length) {
      const c = cases[next++]!;
      const [o, r] = await Promise.all([exchange(ours, c), exchange(original, c)]);
      results.set(c.id, { ours: o, original: r });
    }
  }
  await Promise.all(Array.from({ length: concurrency }, () => worker()));
  return results;
}
