// "Quickly" without a stopwatch limit. A fixed time limit fails on a busy machine and passes a
// quadratic step on a fast one; instead our cost is held to a reference doing the same work on the
// same input (JSON.parse on the same bytes, say), timed in turns under the same load: a linear
// reader stays within a small factor of it, a quadratic step on a large input does not.
import assert from "node:assert/strict";

/** How long one run of `work` took, in ms. */
async function timed(work: () => unknown): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * Asserts that `ours` costs at most `maxRatio` times `reference`. Each is timed five times, in
 * turns, and the best counts, so a moment without the CPU does not count against either.
 */
export async function assertCostWithin(ours: () => unknown, reference: () => unknown, maxRatio: number, what: string): Promise<void> {
  await ours();
  await reference();
  let oursMs = Infinity;
  let referenceMs = Infinity;
  for (let round = 0; round < 5; round++) {
    oursMs = Math.min(oursMs, await timed(ours));
    referenceMs = Math.min(referenceMs, await timed(reference));
  }
  const ratio = oursMs / Math.max(referenceMs, 0.05);
  assert.ok(
    ratio <= maxRatio,
    `${what}: ${oursMs.toFixed(1)} ms against the reference's ${referenceMs.toFixed(1)} ms, ${ratio.toFixed(1)} times (at most ${maxRatio})`,
  );
}
