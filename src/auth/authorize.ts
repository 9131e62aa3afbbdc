// The mock's grant check (docs/spec/auth.md#grant-check): every required flag must be true; a
// non-empty request room must match the token's room, and a non-empty destination its destination
// room.
import type { DescMessage, Message } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import type { GrantName, MethodGrant } from "./method-grant.js";
import type { TokenClaims } from "./token-claims.js";

/** Why the token does not allow the call, or undefined when it does. */
export function denialReason(
  grant: MethodGrant & { enforced: true },
  claims: TokenClaims,
  requestSchema: DescMessage,
  request: Message,
): string | undefined {
  for (const name of grant.required) {
    if (!hasGrant(claims, name)) return `token lacks ${name}`;
  }
  if (grant.roomScope === "none") return undefined;
  const room = stringField(requestSchema, request, "room") || stringField(requestSchema, request, "room_name");
  if (room !== "" && room !== claims.video.room) {
    return `token's video.room ${JSON.stringify(claims.video.room)} does not match request room ${JSON.stringify(room)}`;
  }
  if (grant.roomScope === "room-and-destination") {
    const destination = stringField(requestSchema, request, "destination_room");
    if (destination !== "" && destination !== claims.video.destinationRoom) {
      return `token's video.destinationRoom ${JSON.stringify(claims.video.destinationRoom)} does not match request destination_room ${JSON.stringify(destination)}`;
    }
  }
  return undefined;
}

function hasGrant(claims: TokenClaims, name: GrantName): boolean {
  switch (name) {
    case "video.roomCreate":
      return claims.video.roomCreate;
    case "video.roomList":
      return claims.video.roomList;
    case "video.roomRecord":
      return claims.video.roomRecord;
    case "video.roomAdmin":
      return claims.video.roomAdmin;
    case "video.ingressAdmin":
      return claims.video.ingressAdmin;
    case "sip.admin":
      return claims.sip.admin;
    case "sip.call":
      return claims.sip.call;
  }
}

function stringField(schema: DescMessage, request: Message, name: string): string {
  const field = schema.fields.find((f) => f.name === name);
  if (field === undefined || field.fieldKind !== "scalar") return "";
  const value = reflect(schema, request).get(field);
  return typeof value === "string" ? value : "";
}
