// What one signal connection does, per mode (REFERENCE §6.5). Everything it depends on comes from
// its own token and URL, so any number of connections in different modes run side by side.
import type { TokenClaims } from "../auth/token-claims.js";
import { joinResponse, leaveResponse, pongRespResponse, pongResponse, reconnectResponse, requestResponse } from "./messages.js";
import type { SignalMock, SignalMode } from "./signal-mode.js";
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
  readonly now?: () => number;
}

export function runSignalSession(conn: SignalSocket, settings: SessionSettings): void {
  const { mock, reconnect, region } = settings;
  const now = settings.now ?? Date.now;
  const leave = (): void => conn.send(leaveResponse(mock.leaveAction));

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
      leave();
      return;
    case "leave_during_reconnect":
      if (reconnect) {
        leave();
        return;
      }
      break;
  }

  conn.send(reconnect ? reconnectResponse(region) : joinResponse(region, settings.claims));

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
    case "leave_when_connected":
      conn.pauseReading();
      conn.after(connectedDelayMs, () => {
        leave();
        readLoop(conn, mock.mode, now);
        conn.resumeReading();
      });
      return;
  }
  readLoop(conn, mock.mode, now);
}

function readLoop(conn: SignalSocket, mode: SignalMode, now: () => number): void {
  if (mode === "drop_on_close") conn.setPeerCloseAnswer("drop");
  const pongs = mode !== "no_pong";
  conn.onRequest((request) => {
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
