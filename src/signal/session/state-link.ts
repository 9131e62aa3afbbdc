// A stateful connection's side of its world: the link the world sends through (ParticipantUpdate,
// RoomUpdate, mute requests, the leave that ends a removed session) and the lifecycle that tells
// the world when the connection is over. What the world sends before the join has gone out waits
// for it, as the real server queues updates for a participant that is not ready.
import { DisconnectReason } from "../../../generated/livekit_models_pb.js";
import type { SignalResponse } from "../../../generated/livekit_rtc_pb.js";
import type { ParticipantLink } from "../../state/rooms/participant-link.js";
import type { RoomMember } from "../../state/rooms/room-lifecycle.js";
import { encodeSignalResponse, leaveResponse } from "./messages.js";
import type { SessionLifecycle } from "./session-lifecycle.js";
import { abnormalClosureCode, type SignalSocket } from "./signal-socket.js";

/** RFC 6455 normal closure: how the real server closes after a leave. */
const normalClosure = 1000;
/** LeaveRequest.Action DISCONNECT. */
const disconnect = 0;
/** Messages kept for a connection whose join is held back (joinDelayMs); later ones are dropped. */
const maxWaiting = 256;

export interface StateLink extends ParticipantLink {
  /** The WebSocket, once the handshake is done. */
  attach(conn: SignalSocket): void;
  /** The connection's lifecycle as the world sees it. */
  lifecycle(member: RoomMember): SessionLifecycle;
}

export function createStateLink(): StateLink {
  let conn: SignalSocket | undefined;
  let joined = false;
  let waiting: Uint8Array[] = [];
  let leaving: DisconnectReason | undefined;

  const close = (socket: SignalSocket, reason: DisconnectReason): void => {
    socket.send(leaveResponse(disconnect, reason));
    socket.closeThenDrop(normalClosure, "");
  };

  return {
    send(message: SignalResponse) {
      const frame = encodeSignalResponse(message);
      if (conn !== undefined && joined) conn.send(frame);
      else if (waiting.length < maxWaiting) waiting.push(frame);
    },
    leave(reason) {
      leaving ??= reason;
      if (conn !== undefined) close(conn, reason);
    },
    attach(socket) {
      conn = socket;
      if (leaving !== undefined) close(socket, leaving);
    },
    lifecycle(member) {
      let clientLeft = false;
      return {
        joined() {
          joined = true;
          for (const frame of waiting) conn?.send(frame);
          waiting = [];
        },
        read(frame) {
          if (frame.kind !== "request" || frame.request.message.case !== "leave" || clientLeft) return;
          clientLeft = true;
          // The real server acknowledges a client's leave with its own before it closes.
          conn?.send(leaveResponse(disconnect, DisconnectReason.CLIENT_INITIATED));
        },
        ended(end) {
          member.ended(clientLeft ? "left" : end.code === abnormalClosureCode ? "dropped" : "closed");
        },
      };
    },
  };
}
