// A connection's participant webhook events, read from its lifecycle rather than from each mode's
// script: a join (not a reconnect response) joins the participant; a close frame from either side
// leaves it, and so does the client's leave request (the server's close that answers it is the
// client's doing); a TCP connection gone without a close frame (the client's drop, or the server's
// in the drop modes) aborts it.
import type { ParticipantSession } from "../../webhooks/webhook-notifier.js";
import type { SessionLifecycle } from "./session-lifecycle.js";
import { abnormalClosureCode } from "./signal-socket.js";

export function participantLifecycle(session: ParticipantSession): SessionLifecycle {
  let clientLeft = false;
  return {
    joined(first) {
      if (first === "join") session.joined();
    },
    read(frame) {
      if (frame.kind === "request" && frame.request.message.case === "leave") clientLeft = true;
    },
    ended(end) {
      if (end.code === abnormalClosureCode) session.ended("dropped", end.by);
      else session.ended("closed", clientLeft ? "client" : end.by);
    },
  };
}

/** One lifecycle calling each of `lifecycles` in turn; undefined when there is none. */
export function combineLifecycles(lifecycles: readonly (SessionLifecycle | undefined)[]): SessionLifecycle | undefined {
  const present = lifecycles.filter((l): l is SessionLifecycle => l !== undefined);
  if (present.length <= 1) return present[0];
  return {
    joined: (first) => present.forEach((l) => l.joined(first)),
    read: (frame) => present.forEach((l) => l.read(frame)),
    ended: (end) => present.forEach((l) => l.ended(end)),
  };
}
