// A stateful connection's join, before its WebSocket handshake (docs/spec/stateful.md#joins): the
// participant enters its token's room in the world (made if needed), or the upgrade is refused as
// the real server refuses it (a full room). The world's modules are loaded on the first stateful join.
import { readParticipantGrants } from "../../auth/participant-grants.js";
import type { TokenClaims } from "../../auth/token-claims.js";
import type { EventCause } from "../../state/world.js";
import { isStateError } from "../../state/state-error.js";
import type { RoomMember } from "../../state/rooms/room-lifecycle.js";
import type { StateStore } from "../../state/world-store.js";
import type { Destination } from "../../webhooks/webhook-notifier.js";
import { signalMockAttribute } from "../attribute/signal-mode.js";
import { createStateLink, type StateLink } from "../session/state-link.js";
import type { Refusal } from "./admit-signal.js";

export type WorldJoin =
  | { readonly kind: "joined"; readonly link: StateLink; readonly member: RoomMember }
  | { readonly kind: "refused"; readonly refusal: Refusal };

export interface WorldJoinRequest {
  readonly key: string;
  readonly claims: TokenClaims;
  /** The verified token, for the grants TokenClaims does not hold. */
  readonly token: string;
  readonly identity: string;
  /** The token's `webhooks`: the world's destination from now on. */
  readonly webhooks: Destination | undefined;
  readonly cause: EventCause;
}

const plainText = { "Content-Type": "text/plain; charset=utf-8" };

/** The token's attributes without `lk.mock`, which tells this server what to do and is no one's attribute. */
function participantAttributes(attributes: Readonly<Record<string, string>>): Record<string, string> {
  const { [signalMockAttribute]: _mock, ...rest } = attributes;
  return rest;
}

export async function joinWorld(state: StateStore, request: WorldJoinRequest): Promise<WorldJoin> {
  const [{ joinRoom }, { roomsService }, world] = await Promise.all([
    import("../../state/rooms/room-lifecycle.js"),
    import("../../state/rooms/rooms-service.js"),
    state.world(request.key),
  ]);
  const link = createStateLink();
  const { claims } = request;
  const previous = world.ownWebhooks();
  if (request.webhooks !== undefined) world.setWebhooks(request.webhooks);
  const refused = (refusal: Refusal): WorldJoin => {
    world.setWebhooks(previous);
    return { kind: "refused", refusal };
  };
  try {
    const outcome = joinRoom(
      world.state(roomsService),
      {
        room: claims.video.room,
        identity: request.identity,
        name: claims.name,
        attributes: participantAttributes(claims.attributes),
        grants: readParticipantGrants(request.token),
        link,
      },
      request.cause,
    );
    if (outcome.kind === "refused") return refused({ status: outcome.status, body: outcome.body, headers: plainText, why: outcome.why });
    return { kind: "joined", link, member: outcome.member };
  } catch (err) {
    if (!isStateError(err)) throw err;
    return refused({ status: 429, body: err.message, headers: plainText, why: err.message });
  }
}
