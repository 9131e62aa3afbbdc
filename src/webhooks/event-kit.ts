// What the notifier needs the protocol's descriptors for, in one module it loads on the first
// event: a server that never sends a webhook never builds them (start-up stays lean), and one that
// does pays once.
import { DisconnectReason, RoomEndReason } from "../../generated/livekit_models_pb.js";
import type { WebhookEvent } from "../../generated/livekit_webhook_pb.js";
import { instant, minimalRoom, participantGone, participantJoined, toWebhookEvent, type EventInit, type Instant } from "./event-shapes.js";

export { instant, toWebhookEvent };
export { eventsForCall } from "./rpc-events.js";
export { signWebhook } from "./sign-webhook.js";

/** The sids the signal join sends (signal/session/messages.ts), so events and join agree. */
const signalRoomSid = "RM_MOCK";
const signalParticipantSid = "PA_MOCK";

export interface SessionParticipant {
  readonly room: string;
  readonly identity: string;
  readonly name: string;
}

/** A signal connection's join: room_started when it is the room's first, then participant_joined. */
export function sessionJoined(who: SessionParticipant, first: boolean, at: Instant): WebhookEvent[] {
  const room = minimalRoom(signalRoomSid, who.room);
  const participant = { sid: signalParticipantSid, identity: who.identity, name: who.name };
  const started: EventInit[] = first ? [{ event: "room_started", room: { ...room, creationTime: at.seconds, creationTimeMs: at.ms } }] : [];
  return [...started, participantJoined(room, participant, at)].map(toWebhookEvent);
}

/** A signal connection's end: left (a close or leave, either side) or aborted (a drop); room_finished when it was the last. */
export function sessionEnded(who: SessionParticipant, how: "closed" | "dropped", by: "client" | "server", last: boolean): WebhookEvent[] {
  const room = minimalRoom(signalRoomSid, who.room);
  const participant = { sid: signalParticipantSid, identity: who.identity, name: who.name };
  const gone =
    how === "dropped"
      ? participantGone("participant_connection_aborted", room, participant, DisconnectReason.SIGNAL_CLOSE)
      : participantGone(
          "participant_left",
          room,
          participant,
          by === "client" ? DisconnectReason.CLIENT_INITIATED : DisconnectReason.SERVER_SHUTDOWN,
        );
  const finished: EventInit[] = last ? [{ event: "room_finished", room, roomEndReason: RoomEndReason.ROOM_END_IDLE_TIMEOUT }] : [];
  return [gone, ...finished].map(toWebhookEvent);
}
