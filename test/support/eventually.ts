// Waiting for something to happen without guessing how long it takes: poll until it has, however
// busy the machine. The bound only turns a hang into a failure that names what never happened.
import { setTimeout as sleep } from "node:timers/promises";

/** Resolves with the first value `probe` returns that is not undefined. */
export async function eventually<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (performance.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Resolves once `condition` holds. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  await eventually(async () => ((await condition()) ? true : undefined), what, timeoutMs);
}
