// What a world holds of a participant's signal connection: a way to send it server messages and
// to end its session. The signal side implements it; the state never sees a socket.
import type { DisconnectReason } from "../../../generated/livekit_models_pb.js";
import type { SignalResponse } from "../../../generated/livekit_rtc_pb.js";

export interface ParticipantLink {
  /** Delivers a server message; messages before the join is sent wait for it. */
  send(message: SignalResponse): void;
  /** The server ends the session: a LeaveRequest with `reason`, then a normal close. */
  leave(reason: DisconnectReason): void;
}
