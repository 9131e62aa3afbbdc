// Parity of the stateful mode with the REAL LiveKit server (livekit-server --dev with redis): the
// same sequences of calls and signal connections (test/conformance/stateful/) run against both,
// ours under --stateful, and every step's normalized observation must be the same. The real
// server comes from the Go module proxy (test/conformance/livekit-server/build.sh, cached).
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { after, before, describe, it } from "node:test";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { roomCases } from "./stateful/room-cases.js";
import { runSequence, type StepObservation } from "./stateful/run-sequence.js";
import type { StatefulCase } from "./stateful/stateful-case.js";
import { startLivekitServer, type RunningLivekitServer } from "./stateful/start-livekit-server.js";

const cases: StatefulCase[] = [...roomCases()];
const groups = new Map<string, StatefulCase[]>();
for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);

describe("stateful parity with the real LiveKit server", { timeout: 600_000 }, () => {
  let real: RunningLivekitServer | undefined;
  let ours: RunningServer | undefined;
  const results = new Map<string, { ours: StepObservation[]; real: StepObservation[] }>();

  before(
    async () => {
      [real, ours] = await Promise.all([
        startLivekitServer(),
        startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent", stateful: "parity" }),
      ]);
      // One case at a time on both servers at once: the machine is shared, and timeouts are timed.
      for (const c of cases) {
        const [mine, theirs] = await Promise.all([
          runSequence(c, { name: "ours", url: ours.url(0) }),
          runSequence(c, { name: "real", url: real.url }),
        ]);
        results.set(c.id, { ours: mine, real: theirs });
      }
    },
    { timeout: 580_000 },
  );

  after(async () => {
    await Promise.all([real?.close(), ours?.close()]);
  });

  for (const [group, members] of groups) {
    for (const c of members) {
      it(`${group}: ${c.id}: ours observes what the real server does, step by step`, () => {
        const result = results.get(c.id);
        assert.ok(result !== undefined, "the case did not run");
        const differences = result.ours.flatMap((mine, i) => {
          const theirs = result.real[i]!;
          if (isDeepStrictEqual(mine.observed, theirs.observed)) return [];
          return [`  step ${i + 1}: ${mine.step}\n    ours: ${show(mine.observed)}\n    real: ${show(theirs.observed)}`];
        });
        assert.equal(differences.length, 0, `${differences.length} of ${c.steps.length} steps differ:\n${differences.join("\n")}`);
      });
    }
  }
});

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
}
