// The contract between generated/mock (one stub per LiveKit RPC) and the runtime that serves them.
// Stubs are data: everything that decodes, populates, authorizes or fails lives in src/.
import type { DescMethod } from "@bufbuild/protobuf";

/** A grant flag as it is named in a LiveKit access token's claims. */
export type GrantName =
  "video.roomCreate" | "video.roomList" | "video.roomRecord" | "video.roomAdmin" | "video.ingressAdmin" | "sip.admin" | "sip.call";

/**
 * Which request rooms must match the token's rooms (REFERENCE §5.3):
 * - "none": no room check;
 * - "room": the request's `room` (else `room_name`), when non-empty, must equal `video.room`;
 * - "room-and-destination": as "room", and `destination_room`, when non-empty, must equal
 *   `video.destinationRoom`.
 */
export type RoomScope = "none" | "room" | "room-and-destination";

export type MethodGrant =
  | { readonly enforced: true; readonly required: readonly GrantName[]; readonly roomScope: RoomScope }
  | { readonly enforced: false; readonly reason: string };

/**
 * The latency a real server shows for a method, applied unless the control header sets `delayMs`.
 * `whenTrue` names a bool request field (proto name) that must be true; absent means always.
 */
export interface NaturalLatency {
  readonly ms: number;
  readonly whenTrue?: string;
}

export interface MethodStub {
  /** `<package>.<Service>/<Method>`, the path below the Twirp prefix. */
  readonly key: string;
  readonly method: DescMethod;
  readonly grant: MethodGrant;
  readonly naturalLatency?: NaturalLatency;
}

/** A streaming RPC of a public service: it has no Twirp binding, so it is not served. */
export interface SkippedRpc {
  readonly key: string;
  readonly reason: string;
}
