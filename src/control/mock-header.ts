// Typed helper for test code: builds the `X-Lk-Mock` header value from an object and checks it
// with the server's own parser, so a mistake fails where the test is written, not at the server.
import { controlHeader, parseControl } from "./parse-control.js";
import type { MockControl } from "./control-fields.js";

export class MockControlError extends Error {
  override name = "MockControlError";
}

/** The `X-Lk-Mock` value for `control`; throws MockControlError if the server would refuse it. */
export function mockHeader(control: MockControl): string {
  const value = JSON.stringify(control);
  try {
    parseControl((name) => (name === controlHeader.toLowerCase() ? value : undefined));
  } catch (err) {
    throw new MockControlError((err as Error).message);
  }
  return value;
}

/** `{ "X-Lk-Mock": … }`, ready to spread into a request's headers. */
export function mockHeaders(control: MockControl): Record<string, string> {
  return { [controlHeader]: mockHeader(control) };
}
