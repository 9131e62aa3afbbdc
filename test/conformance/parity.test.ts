// Parity with the ORIGINAL Go test server: one request matrix (every registered RPC in both codecs,
// auth outcomes, every control field and legacy header, routes, regions, bodies) is sent to the
// oracle and to ours, and the answers must match field by field, except for the intended
// differences in intended-differences.ts, which must show up exactly as described.
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { intendedDifferences } from "./intended-differences.js";
import { diffObservations, formatDiffs, show } from "./parity/compare.js";
import type { Target } from "./parity/exchange.js";
import type { ParityCase } from "./parity/parity-case.js";
import { allCases, runCases, type CaseResult } from "./parity/run-cases.js";
import { startOracle, type RunningOracle } from "./parity/start-oracle.js";

const cases = allCases();
const byId = new Map(cases.map((c) => [c.id, c]));
const groups = new Map<string, ParityCase[]>();
for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);

describe("parity with the original test server", { timeout: 900_000 }, () => {
  let oracle: RunningOracle | undefined;
  let ours: RunningServer | undefined;
  let results: Map<string, CaseResult> | undefined;

  before(
    async () => {
      [oracle, ours] = await Promise.all([startOracle(), startServer({ ports: [0, 0, 0, 0], bind: "127.0.0.1", logLevel: "silent" })]);
      const oursTarget: Target = { name: "ours", ports: ours.regions.map((r) => Number(new URL(r.url).port)) };
      const originalTarget: Target = { name: "original", ports: oracle.ports };
      results = await runCases(cases, oursTarget, originalTarget);
      // LK_PARITY_DUMP=<file> writes every observation, for reading the matrix by hand.
      const dump = process.env["LK_PARITY_DUMP"];
      if (dump !== undefined && dump !== "") await writeFile(dump, JSON.stringify(Object.fromEntries(results), null, 1));
    },
    { timeout: 890_000 },
  );

  after(async () => {
    await Promise.all([oracle?.close(), ours?.close()]);
  });

  for (const [group, members] of groups) {
    it(`${group}: ours answers like the original (${members.length} cases)`, () => {
      const problems = members.flatMap((c) => {
        const found = evaluate(c);
        return found.length === 0 ? [] : [`  ${c.id}\n${found.join("\n")}`];
      });
      assert.equal(problems.length, 0, `${problems.length} of ${members.length} cases differ:\n${problems.join("\n")}`);
    });
  }

  it("every intended difference is exercised by at least one case", () => {
    const unused = intendedDifferences.filter((d) => !cases.some((c) => d.matches(c))).map((d) => d.id);
    assert.deepEqual(unused, []);
  });

  function evaluate(c: ParityCase): string[] {
    const result = results?.get(c.id);
    if (result === undefined) return ["    not run"];
    const diffs = diffObservations(result.ours, result.original);
    const intended = intendedDifferences.filter((d) => d.matches(c));
    if (intended.length === 0) return diffs.length === 0 ? [] : [formatDiffs(diffs)];

    const problems: string[] = [];
    const allowed = new Set(intended.flatMap((d) => d.fields));
    const stray = diffs.filter((d) => !allowed.has(d.field));
    if (stray.length > 0) problems.push(`    differs beyond intended ${intended.map((d) => d.id).join(", ")}:\n${formatDiffs(stray)}`);
    const baseline = c.baseline === undefined ? undefined : results?.get(c.baseline)?.original;
    for (const d of intended) {
      if (!diffs.some((x) => d.fields.includes(x.field))) {
        problems.push(`    intended difference ${d.id} no longer differs (both: ${show(result.ours)})`);
        continue;
      }
      const wrong = d.check(result.ours, result.original, { case: c, originalBaseline: baseline });
      if (wrong !== undefined) problems.push(`    intended difference ${d.id} is not as described: ${wrong}`);
    }
    if (c.baseline !== undefined && !byId.has(c.baseline)) problems.push(`    unknown baseline ${c.baseline}`);
    return problems;
  }
});
