// The one error the generator throws: every problem found, each naming its RPC, so a protocol
// bump reports all undecided methods at once instead of one per run.
export class GeneratorError extends Error {
  override name = "GeneratorError";
  constructor(readonly problems: readonly string[]) {
    super(`livekit mock generator: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

export function isGeneratorError(err: unknown): err is GeneratorError {
  return err instanceof Error && err.name === "GeneratorError";
}
