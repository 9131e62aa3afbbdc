// When a server timer (a mode's 50 or 200 ms, a delayed join, a script step) fired, seen by the
// client: never early, since the server's clock starts after the client began the handshake (less
// a millisecond of timer rounding), and late by at most a little slack plus however far the event
// loop fell behind meanwhile (the server runs in the test's process, so a busy machine delays its
// timers exactly that much).
import assert from "node:assert/strict";
import { latenessSince } from "../support/loop-lateness.js";

const slackMs = 150;

/** When the client began the handshake and when it saw it complete (performance.now()). */
export interface Handshake {
  readonly startedAt: number;
  readonly openedAt: number;
}

export function assertOnTime(handshake: Handshake, at: number, expectedMs: number, what: string): void {
  const sinceStart = at - handshake.startedAt;
  const sinceOpen = at - handshake.openedAt;
  const late = latenessSince(handshake.startedAt);
  assert.ok(
    sinceStart >= expectedMs - 1 && sinceOpen < expectedMs + slackMs + late,
    `${what} ${sinceStart.toFixed(1)} ms after the handshake began, ${sinceOpen.toFixed(1)} ms after it completed; ` +
      `expected ${expectedMs} ms (the event loop ran ${late.toFixed(0)} ms behind meanwhile)`,
  );
}

/** `at` came right after `earlier` (both performance.now()): within the slack plus the loop's lateness. */
export function assertSoonAfter(earlier: number, at: number, what: string): void {
  const late = latenessSince(earlier);
  assert.ok(
    at - earlier < slackMs + late,
    `${what}: ${(at - earlier).toFixed(1)} ms later (the event loop ran ${late.toFixed(0)} ms behind)`,
  );
}
