// Runs one fuzzing property with fast-check: each case is sent, its answer checked, then the
// server's own record (errors logged, unhandled rejections) and a valid request right after it.
// A failure is shrunk to the smallest case that still fails and reported with its seed, so that
// `npm run fuzz -- --seed <seed> --property <name>` replays it.
import fc from "fast-check";
import { canary, type FuzzContext, type FuzzProperty } from "./properties.js";

export interface RunOptions {
  readonly numRuns: number;
  readonly seed?: number;
  /** Called after each case, for progress reports. */
  readonly onCase?: () => void;
}

export class FuzzFailure extends Error {
  override name = "FuzzFailure";
}

export async function runProperty(ctx: FuzzContext, property: FuzzProperty, options: RunOptions): Promise<void> {
  let nextRegion = 0;
  const details = await fc.check(
    fc.asyncProperty(property.arbitrary, async (value) => {
      const problems = await property.run(ctx, value);
      // Give a dropped or refused connection's aftermath a moment to show in the server's record.
      await new Promise((resolve) => setImmediate(resolve));
      problems.push(...(await canary(ctx, nextRegion++ % ctx.target.ports.length)));
      problems.push(...ctx.target.takeProblems());
      options.onCase?.();
      if (problems.length > 0) throw new FuzzFailure(problems.join("\n"));
    }),
    { numRuns: options.numRuns, ...(options.seed === undefined ? {} : { seed: options.seed }) },
  );
  if (!details.failed) return;
  const error = details.errorInstance;
  const counterexample = fc.stringify(details.counterexample).slice(0, 2000);
  throw new FuzzFailure(
    `${property.name}\nfailed after ${details.numRuns} case(s), shrunk ${details.numShrinks} time(s); seed ${details.seed}, path ${details.counterexamplePath}\n` +
      `case: ${counterexample}\n${error instanceof Error ? error.message : String(error)}`,
  );
}
