// The framing differential: every raw request shape in framing/framing-shapes.ts is sent to ours,
// to the ORIGINAL Go test server and to a plain node:http server (llhttp). For each: the status of
// each answer, whether the server refused the bytes or a handler answered, the body the handler
// saw, and whether the connection stayed open. Ours must answer as the original does, except for
// the intended differences in framing-differences.ts, which must show up exactly as described
// (docs/spec/http.md).
import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { after, before, describe, it } from "node:test";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { framingDifferences } from "./framing-differences.js";
import type { FramingShape } from "./framing/framing-shape.js";
import { framingShapes } from "./framing/framing-shapes.js";
import { startNodeEcho, type NodeEcho } from "./framing/node-echo.js";
import { observeFraming, showObservation, type FramingObservation } from "./framing/observe-framing.js";
import { startOracle, type RunningOracle } from "./parity/start-oracle.js";

interface Row {
  readonly ours: FramingObservation;
  readonly original: FramingObservation;
  readonly node: FramingObservation;
}

/** Shapes sent at once: each waits for its servers to go quiet, so they overlap. */
const concurrency = 12;

describe("the framing differential", { timeout: 300_000 }, () => {
  let oracle: RunningOracle | undefined;
  let ours: RunningServer | undefined;
  let echo: NodeEcho | undefined;
  const rows = new Map<string, Row>();

  before(
    async () => {
      [oracle, ours, echo] = await Promise.all([
        startOracle(1),
        startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent" }),
        startNodeEcho(),
      ]);
      const ports = { ours: Number(new URL(ours.url(0)).port), original: oracle.ports[0]!, node: echo.port };
      const queue = [...framingShapes];
      const worker = async (): Promise<void> => {
        for (let shape = queue.shift(); shape !== undefined; shape = queue.shift()) {
          const [o, g, n] = await Promise.all([
            observeFraming(ports.ours, "ours", shape),
            observeFraming(ports.original, "original", shape),
            observeFraming(ports.node, "node", shape),
          ]);
          rows.set(shape.id, { ours: o, original: g, node: n });
        }
      };
      await Promise.all(Array.from({ length: concurrency }, worker));
      // LK_FRAMING_DUMP=<file> writes the whole table, for reading it by hand.
      const dump = process.env["LK_FRAMING_DUMP"];
      if (dump !== undefined && dump !== "") await writeFile(dump, table());
    },
    { timeout: 290_000 },
  );

  after(async () => {
    await Promise.all([oracle?.close(), ours?.close(), echo?.close()]);
  });

  it("has at least 100 shapes, each with a unique id", () => {
    assert.ok(framingShapes.length >= 100, `${framingShapes.length} shapes`);
    assert.equal(new Set(framingShapes.map((s) => s.id)).size, framingShapes.length);
  });

  const groups = [...new Set(framingShapes.map((s) => s.group))];
  for (const group of groups) {
    const members = framingShapes.filter((s) => s.group === group);
    it(`${group}: ours frames requests as the original does (${members.length} shapes)`, () => {
      const problems = members.flatMap((shape) => {
        const found = evaluate(shape);
        return found === undefined ? [] : [`  ${shape.id}: ${found}`];
      });
      assert.equal(problems.length, 0, `${problems.length} of ${members.length} shapes differ:\n${problems.join("\n")}`);
    });
  }

  it("every intended difference names shapes that exist", () => {
    const ids = new Set(framingShapes.map((s) => s.id));
    const unknown = framingDifferences.flatMap((d) => d.shapes.filter((id) => !ids.has(id)).map((id) => `${d.id}: ${id}`));
    assert.deepEqual(unknown, []);
  });

  function evaluate(shape: FramingShape): string | undefined {
    const row = rows.get(shape.id);
    if (row === undefined) return "not run";
    const same = sameFraming(row.ours, row.original, shape);
    const intended = framingDifferences.filter((d) => d.shapes.includes(shape.id));
    if (intended.length === 0) {
      return same
        ? undefined
        : `ours ${showObservation(row.ours)}; original ${showObservation(row.original)}; node ${showObservation(row.node)}`;
    }
    if (same) return `intended difference ${intended.map((d) => d.id).join(", ")} no longer differs (both ${showObservation(row.ours)})`;
    for (const d of intended) {
      const wrong = d.check(row.ours, row.original, row.node);
      if (wrong === undefined) return undefined;
      if (intended.length === 1) return `intended difference ${d.id} is not as described: ${wrong}`;
    }
    return `none of ${intended.map((d) => d.id).join(", ")} describes ours ${showObservation(row.ours)}, original ${showObservation(row.original)}`;
  }

  function table(): string {
    const lines = ["| shape | ours | original | node:http |", "|---|---|---|---|"];
    for (const shape of framingShapes) {
      const row = rows.get(shape.id);
      if (row === undefined) continue;
      lines.push(`| ${shape.id} | ${showObservation(row.ours)} | ${showObservation(row.original)} | ${showObservation(row.node)} |`);
    }
    return `${lines.join("\n")}\n`;
  }
});

/** Whether two observations frame the bytes alike: the same answers, and the same end of the connection. */
function sameFraming(a: FramingObservation, b: FramingObservation, shape: FramingShape): boolean {
  if (a.open !== b.open || a.answers.length !== b.answers.length) return false;
  // An interim 100 Continue is part of the framing only where the client asked for one.
  if (shape.group === "expect" && a.continues !== b.continues) return false;
  return a.answers.every((x, i) => {
    const y = b.answers[i]!;
    return x.status === y.status && x.by === y.by && x.body === y.body;
  });
}
