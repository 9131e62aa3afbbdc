// Plays a connection's timeline after its join: the `script` steps of `lk.mock` and the mode's own
// timed action, each at its time since the join. One timer at a time, each step scheduled against
// the join's time (not the previous step's), so delays do not add up and order is kept; at equal
// times the mode's action comes first, then the steps in their listed order.
import { encodeSignalResponse } from "./messages.js";
import type { ScriptStep } from "../attribute/signal-mode.js";
import type { SignalSocket } from "./signal-socket.js";

export interface TimedAction {
  /** Since the join. */
  readonly afterMs: number;
  run(): void;
}

export function scriptActions(conn: SignalSocket, script: readonly ScriptStep[]): TimedAction[] {
  return script.map(({ afterMs, action }) => {
    switch (action.kind) {
      case "send": {
        const frame = encodeSignalResponse(action.message);
        return { afterMs, run: () => conn.send(frame) };
      }
      case "close":
        return { afterMs, run: () => conn.closeThenDrop(action.code, action.reason) };
      case "drop":
        return { afterMs, run: () => conn.drop() };
    }
  });
}

/** `modeActions` come first among equal times; `joinedAt` is performance.now() when the join was sent. */
export function playTimeline(
  conn: SignalSocket,
  modeActions: readonly TimedAction[],
  steps: readonly TimedAction[],
  joinedAt: number,
): void {
  // A stable sort keeps the mode's actions, then the steps, in their order at equal times.
  const timeline = [...modeActions, ...steps].sort((a, b) => a.afterMs - b.afterMs);
  let next = 0;
  const playDue = (): void => {
    while (next < timeline.length) {
      const action = timeline[next]!;
      const wait = joinedAt + action.afterMs - performance.now();
      // Node's timers run on a millisecond clock and may fire a fraction of a millisecond early.
      if (wait >= 1) {
        conn.after(Math.round(wait), playDue);
        return;
      }
      next++;
      action.run();
    }
  };
  playDue();
}
