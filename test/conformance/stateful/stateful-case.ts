// One sequence of the stateful parity matrix: steps that change and read a server's state (Twirp
// calls, signal connections), each observed and normalized the same way on both servers, so the
// sequence compares step by step. A case is data: the runner (run-sequence.ts) plays it.
import type { JsonObject } from "@bufbuild/protobuf";

/** The video grant of a step's token, as the SDKs sign it for the method. */
export type Grant = Readonly<Record<string, boolean | string>>;

export type Step =
  /** A Twirp call with the JSON body; `until` repeats it (up to 10 s) until its observation passes. */
  | {
      readonly kind: "call";
      readonly key: string;
      readonly body: JsonObject;
      readonly grant: Grant;
      /** The SIP grant of the token, for the SIP service's methods. */
      readonly sip?: Grant;
      readonly until?: (observation: unknown) => boolean;
    }
  /** Opens a signal connection `as` with a token for `identity` in `room`; observes the join. */
  | {
      readonly kind: "join";
      readonly as: string;
      readonly room: string;
      readonly identity: string;
      readonly name?: string;
      readonly metadata?: string;
      readonly attributes?: Readonly<Record<string, string>>;
      readonly grant?: Grant;
    }
  /** The client of `as` sends a LeaveRequest. */
  | { readonly kind: "leave"; readonly as: string }
  /** The client of `as` closes its WebSocket (a close frame, no leave). */
  | { readonly kind: "close"; readonly as: string }
  /** Waits for `as` to end; observes the server's last LeaveRequest reason and the close code. */
  | { readonly kind: "ended"; readonly as: string }
  /** Waits for `as` to hear a ParticipantUpdate about `identity` that `match`es; observes it. */
  | {
      readonly kind: "update";
      readonly as: string;
      readonly identity: string;
      readonly match: (participant: JsonObject) => boolean;
    }
  /** Waits for `as` to hear a RoomUpdate whose room `match`es; observes it. */
  | { readonly kind: "roomUpdate"; readonly as: string; readonly match: (room: JsonObject) => boolean }
  /** Waits for `as` to hear a mute request; observes it. */
  | { readonly kind: "mute"; readonly as: string };

export interface StatefulCase {
  /** Unique and readable: `rooms: create, list, update, delete, list`. */
  readonly id: string;
  /** The test that reports it. */
  readonly group: string;
  readonly steps: readonly Step[];
}

/** The grants an SDK signs for a room-scoped admin call. */
export const admin = (room: string): Grant => ({ roomAdmin: true, room });
export const roomCreate: Grant = { roomCreate: true };
export const roomList: Grant = { roomList: true };

export const roomRecord: Grant = { roomRecord: true };
export const ingressAdmin: Grant = { ingressAdmin: true };

export function call(key: string, body: JsonObject, grant: Grant, until?: (observation: unknown) => boolean): Step {
  return until === undefined ? { kind: "call", key, body, grant } : { kind: "call", key, body, grant, until };
}

export const roomService = (method: string): string => `livekit.RoomService/${method}`;
export const egressService = (method: string): string => `livekit.Egress/${method}`;
export const ingressService = (method: string): string => `livekit.Ingress/${method}`;
