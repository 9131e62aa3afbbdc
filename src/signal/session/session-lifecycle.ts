// The points of a signal connection's life that other parts hook into (the journal today): each is
// called from exactly one place in the session.
import type { ConnectionEnd, ReadFrame } from "./signal-socket.js";

export interface SessionLifecycle {
  /** The join (or reconnect response) was handed to the socket: the participant is in the room. */
  joined(first: "join" | "reconnect"): void;
  /** A frame the client sent was read (a request, or one the server ignores). */
  read(frame: ReadFrame): void;
  /**
   * The connection is over. `end.code` 1006 means TCP closed without a close frame: dropped by the
   * server (`by: "server"`) or gone on the client's side (`by: "client"`).
   */
  ended(end: ConnectionEnd): void;
}

export const noLifecycle: SessionLifecycle = { joined() {}, read() {}, ended() {} };
