// The one error of the `lk.mock` attribute: whatever is wrong with it, the validate endpoint answers
// 400 and the upgrade is refused with this message, so it names the field and the closest valid name.

export const signalMockAttribute = "lk.mock";

export class SignalMockError extends Error {
  override name = "SignalMockError";
  constructor(problem: string) {
    super(`invalid ${signalMockAttribute} attribute: ${problem}`);
  }
}
