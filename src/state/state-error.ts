// The one error of the stateful mode: an answer a real server gives for the state a call finds (a
// missing room, a full world), with its Twirp code, message and meta. The Twirp pipeline turns it
// into its own error; nothing below it knows HTTP.
export class StateError extends Error {
  override name = "StateError";
  constructor(
    /** The Twirp code, e.g. `not_found`. */
    readonly code: string,
    msg: string,
    readonly meta: Readonly<Record<string, string>> = {},
  ) {
    // An answer, not a fault: no stack trace (as TwirpError).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(msg);
    Error.stackTraceLimit = stackTraceLimit;
  }
}

export function isStateError(err: unknown): err is StateError {
  return err instanceof Error && err.name === "StateError";
}

/**
 * An error of the real server's stores and routing (a psrpc error): twirp, which does not know
 * it, prefixes its text with `twirp error unknown: ` and keeps its code.
 */
export function serviceError(code: string, msg: string): StateError {
  return new StateError(code, `twirp error unknown: ${msg}`);
}

/** twirp.InvalidArgumentError(argument, validation): `<argument> <validation>`, meta `argument`. */
export function invalidArgument(argument: string, validation: string): StateError {
  return new StateError("invalid_argument", `${argument} ${validation}`, { argument });
}

/** A world holding as many `what` as it may: the call that would add one more is refused. */
export function worldFull(worldKey: string, held: number, what: string): StateError {
  return new StateError(
    "resource_exhausted",
    `mock: world ${JSON.stringify(worldKey)} holds ${held} ${what}, the most one world may hold (docs/limits.md)`,
  );
}
