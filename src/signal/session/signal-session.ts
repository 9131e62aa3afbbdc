// What one signal connection does, per mode (REFERENCE §6.5), shaped by the rest of its `lk.mock`:
// a delayed or reshaped join, a script played after it, replies replacing the mode's answers.
// Everything it depends on comes from its own token and URL, so any number of connections in
// different modes run side by side.
import type { JoinResponse } from "../../../generated/livekit_rtc_pb.js";
import type { TokenClaims } from "../../auth/token-claims.js";
import { firstMessage } from "./join-shaping.js";
import { leaveResponse, pongRespResponse, pongResponse, requestResponse } from "./messages.js";
import { noLifecycle, type SessionLifecycle } from "./session-lifecycle.js";
import { playTimeline, scriptActions, type TimedAction } from "./signal-script.js";
import type { SignalMock } from "../attribute/signal-mode.js";
import { replyTo } from "./signal-replies.js";
import type { SignalSocket } from "./signal-socket.js";

/** The original's fixed delays. */
export const closeBeforeJoinMs = 50;
export const connectedDelayMs = 200;

/** Close codes: RFC 6455 normal closure and internal error. */
const normalClosure = 1000;
const internalError = 1011;

export interface SessionSettings {
  readonly mock: SignalMock;
  /** The query had `reconnect=1`: the first message is a ReconnectResponse. */
  readonly reconnect: boolean;
  readonly claims: TokenClaims;
  /** `region-<i>` of the listener. */
  readonly region: string;
  readonly lifecycle?: SessionLifecycle;
  readonly now?: () => number;
  /** The join to shape instead of the default one, made when it is sent (a stateful join). */
  readonly joinBase?: () => JoinResponse;
}

export function runSignalSession(conn: SignalSocket, settings: SessionSettings): void {
  const { mock, reconnect, region } = settings;
  const lifecycle = settings.lifecycle ?? noLifecycle;
  conn.onRead((frame) => lifecycle.read(frame));
  conn.onEnd((end) => lifecycle.ended(end));

  // Modes that replace the first message. Reading ("drain") keeps answering the client's WebSocket
  // pings and close frames, as gorilla does while the original reads.
  switch (mock.mode) {
    case "no_first_message":
      return;
    case "close_before_join":
      conn.pauseReading();
      conn.after(closeBeforeJoinMs, () => conn.closeThenDrop(internalError, ""));
      return;
    case "leave_first_message":
      conn.send(leaveResponse(mock.leaveAction));
      return;
    case "leave_during_reconnect":
      if (reconnect) {
        conn.send(leaveResponse(mock.leaveAction));
        return;
      }
      break;
  }

  const join = (): void => {
    const first = firstMessage(mock, reconnect, region, settings.claims, settings.joinBase?.());
    conn.send(first.frame);
    lifecycle.joined(first.kind);
    afterJoin(conn, settings, performance.now());
  };
  // While the join is held back the server reads, but answers nothing the client sends.
  if (mock.joinDelayMs !== undefined && mock.joinDelayMs > 0) conn.after(mock.joinDelayMs, join);
  else join();
}

function afterJoin(conn: SignalSocket, settings: SessionSettings, joinedAt: number): void {
  const { mock } = settings;
  const steps = scriptActions(conn, mock.script ?? []);
  // The original sleeps without reading before these act.
  switch (mock.mode) {
    case "close_when_connected":
      conn.pauseReading();
      conn.after(connectedDelayMs, () => conn.closeThenDrop(internalError, "mock close_when_connected"));
      return;
    case "drop_when_connected":
      conn.pauseReading();
      conn.after(connectedDelayMs, () => conn.drop());
      return;
    case "leave_when_connected": {
      conn.pauseReading();
      const leave: TimedAction = {
        afterMs: connectedDelayMs,
        run: () => {
          conn.send(leaveResponse(mock.leaveAction));
          readLoop(conn, settings);
          conn.resumeReading();
        },
      };
      playTimeline(conn, [leave], steps, joinedAt);
      return;
    }
  }
  readLoop(conn, settings);
  playTimeline(conn, [], steps, joinedAt);
}

function readLoop(conn: SignalSocket, settings: SessionSettings): void {
  const { mock } = settings;
  const now = settings.now ?? Date.now;
  if (mock.mode === "drop_on_close") conn.setPeerCloseAnswer("drop");
  const pongs = mock.mode !== "no_pong";
  conn.onRequest((request) => {
    const reply = replyTo(request, mock.replies);
    if (reply !== undefined) {
      // A rule replaces the mode's answer entirely, including the close after a client's leave.
      if (reply.frame !== undefined) conn.send(reply.frame);
      return;
    }
    const message = request.message;
    switch (message.case) {
      case "ping":
        if (pongs) conn.send(pongResponse(now()));
        break;
      case "pingReq":
        if (pongs) conn.send(pongRespResponse(message.value.timestamp, now()));
        break;
      case "updateMetadata":
        conn.send(requestResponse(message.value.requestId));
        break;
      case "leave":
        conn.closeThenDrop(normalClosure, "");
        break;
      default:
        // Offers, trickles and the rest are ignored: no SDP answer is ever sent.
        break;
    }
  });
}
