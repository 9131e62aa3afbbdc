// A failure of the harness itself (a tool missing, a server answering the wrong status): the run
// stops with one line instead of printing numbers that measure the wrong thing.
export class BenchError extends Error {
  override name = "BenchError";
}

export function isBenchError(error: unknown): error is BenchError {
  return error instanceof Error && error.name === "BenchError";
}
