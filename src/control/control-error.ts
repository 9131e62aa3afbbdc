// A control value the server refuses. The control folder knows nothing of Twirp; the pipeline
// that parsed the control turns this into its protocol's error (an `invalid_argument`).
export class ControlError extends Error {
  override name = "ControlError";
}

export function invalidControl(detail: string): ControlError {
  return new ControlError(`mock: invalid control: ${detail}`);
}
