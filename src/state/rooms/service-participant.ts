// A participant that a service brings into a room instead of a signal connection (an egress
// recording it, an ingress publishing into it, a SIP call): it joins with the grants the service's token would
// carry, has no socket, leaves when the service is done, and is told when the server removes it
// (the room closed, RemoveParticipant) so that the service can end as the real one would.
import type { DisconnectReason } from "../../../generated/livekit_models_pb.js";
import type { ParticipantGrants } from "../../auth/participant-grants.js";
import type { EventCause, World } from "../world.js";
import { joinRoom } from "./room-lifecycle.js";
import { roomsService } from "./rooms-service.js";

export interface ServiceJoin {
  readonly room: string;
  readonly identity: string;
  readonly name?: string;
  /** The attributes its token carries (a SIP call's `sip.*`). */
  readonly attributes?: Readonly<Record<string, string>>;
  /** What the service's token grants beyond the defaults of a token without a video grant's flags. */
  readonly grants: Partial<ParticipantGrants>;
  /** The server removed the participant (not called when the service leaves on its own). */
  readonly removed: (reason: DisconnectReason) => void;
}

export interface ServiceParticipant {
  /** The service is done: the participant leaves as a client that disconnects. */
  leave(): void;
}

export type ServiceJoinOutcome =
  { readonly kind: "joined"; readonly participant: ServiceParticipant } | { readonly kind: "refused"; readonly why: string };

/** Joins `join.room` (made if needed, as a join makes it) in `world`. */
export function joinAsService(world: World, join: ServiceJoin, cause: EventCause): ServiceJoinOutcome {
  const grants: ParticipantGrants = {
    metadata: "",
    kind: "",
    kindDetails: [],
    canPublish: true,
    canSubscribe: true,
    canPublishData: true,
    canPublishSources: [],
    canUpdateOwnMetadata: false,
    hidden: false,
    recorder: false,
    agent: false,
    canSubscribeMetrics: false,
    canManageAgentSession: false,
    ...join.grants,
  };
  let present = true;
  const outcome = joinRoom(
    world.state(roomsService),
    {
      room: join.room,
      identity: join.identity,
      name: join.name ?? "",
      attributes: join.attributes ?? {},
      grants,
      link: {
        send() {},
        leave(reason) {
          if (!present) return;
          present = false;
          join.removed(reason);
        },
      },
    },
    cause,
  );
  if (outcome.kind === "refused") return { kind: "refused", why: outcome.why };
  return {
    kind: "joined",
    participant: {
      leave() {
        if (!present) return;
        present = false;
        outcome.member.ended("left");
      },
    },
  };
}
