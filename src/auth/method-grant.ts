// What an RPC requires of a token: the grant flags and the room checks of the mock
// (docs/spec/auth.md#grant-check, docs/spec/auth.md#grant-table). Generated stubs carry one each;
// the grant table in codegen/ decides them.

/** A grant flag as it is named in a LiveKit access token's claims. */
export type GrantName =
  "video.roomCreate" | "video.roomList" | "video.roomRecord" | "video.roomAdmin" | "video.ingressAdmin" | "sip.admin" | "sip.call";

/**
 * Which request rooms must match the token's rooms (docs/spec/auth.md#grant-check):
 * - "none": no room check;
 * - "room": the request's `room` (else `room_name`), when non-empty, must equal `video.room`;
 * - "room-and-destination": as "room", and `destination_room`, when non-empty, must equal
 *   `video.destinationRoom`.
 */
export type RoomScope = "none" | "room" | "room-and-destination";

export type MethodGrant =
  | { readonly enforced: true; readonly required: readonly GrantName[]; readonly roomScope: RoomScope }
  | { readonly enforced: false; readonly reason: string };
