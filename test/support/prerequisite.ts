// Suites that need a program not every developer has (Chromium, podman, podman-compose) skip,
// saying why, on a developer's machine. Under CI=true nothing may be skipped: such a suite runs
// and fails at once, naming what is missing, as the Go and Python suites always do.

/** True in CI (CI=true, as GitHub Actions and .ci/run set it). */
export const everythingRequired = process.env["CI"] === "true";

/** The `skip` option of a suite or test that needs something: why it is skipped, or false to run it. */
export function skipWhenMissing(missing: string | undefined): string | false {
  return missing === undefined || everythingRequired ? false : `skipped: ${missing}`;
}

/** Throws when something is missing; call it first in a suite's `before` or a test's body. */
export function assertPresent(missing: string | undefined): void {
  if (missing !== undefined) throw new Error(`${missing}; under CI=true every suite must run`);
}
