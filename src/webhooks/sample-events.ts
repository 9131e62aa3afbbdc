// Events sent on demand (`trigger`, POST /_test/webhooks): a plausible payload for each event
// name, over which the caller's protojson fields are laid. Ids are fixed placeholders in the
// signal join's style (RM_MOCK, PA_MOCK), so a handler test can assert on them.
import { create, fromJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { reflect, type ReflectMessage } from "@bufbuild/protobuf/reflect";
import { AgentDispatchSchema } from "../../generated/livekit_agent_dispatch_pb.js";
import { JobType } from "../../generated/livekit_agent_pb.js";
import { EgressInfoSchema, EgressSourceType, EgressStatus } from "../../generated/livekit_egress_pb.js";
import { IngressInfoSchema, IngressInput } from "../../generated/livekit_ingress_pb.js";
import { DisconnectReason, RoomEndReason, RoomSchema, TrackSource, TrackType } from "../../generated/livekit_models_pb.js";
import { WebhookEventSchema, type WebhookEvent } from "../../generated/livekit_webhook_pb.js";
import { closestName } from "../shared/closest-name.js";
import {
  egressEvent,
  ingressEvent,
  instant,
  jobEvent,
  participantGone,
  participantJoined,
  toWebhookEvent,
  type EventInit,
  type Instant,
} from "./event-shapes.js";
import type { WebhookEventName } from "./webhook-events.js";

export class WebhookFieldsError extends Error {
  override name = "WebhookFieldsError";
}

const roomName = "mock-room";
const participant = { sid: "PA_MOCK", identity: "mock-participant", name: "Mock Participant" };

export function sampleEvent(name: WebhookEventName, at: Instant = instant()): EventInit {
  const room = create(RoomSchema, {
    sid: "RM_MOCK",
    name: roomName,
    emptyTimeout: 300,
    departureTimeout: 20,
    creationTime: at.seconds,
    creationTimeMs: at.ms,
  });
  const egress = create(EgressInfoSchema, {
    egressId: "EG_MOCK",
    roomId: room.sid,
    roomName,
    sourceType: EgressSourceType.WEB,
    startedAt: at.ns,
    request: { case: "roomComposite", value: { roomName, layout: "speaker" } },
  });
  const ingress = create(IngressInfoSchema, {
    ingressId: "IN_MOCK",
    name: "mock-ingress",
    streamKey: "mock-stream-key",
    url: "rtmp://127.0.0.1/x",
    inputType: IngressInput.RTMP_INPUT,
    roomName,
    participantIdentity: "mock-ingress",
    participantName: "Mock Ingress",
  });
  const dispatch = create(AgentDispatchSchema, {
    id: "AD_MOCK",
    agentName: "mock-agent",
    room: roomName,
    state: {
      jobs: [
        { id: "AJ_MOCK", dispatchId: "AD_MOCK", type: JobType.JT_ROOM, room: { sid: room.sid, name: roomName }, agentName: "mock-agent" },
      ],
    },
  });
  const track = { sid: "TR_MOCK", type: TrackType.AUDIO, name: "microphone", source: TrackSource.MICROPHONE, mimeType: "audio/opus" };
  switch (name) {
    case "room_started":
      return { event: name, room };
    case "room_finished":
      return { event: name, room, roomEndReason: RoomEndReason.ROOM_END_IDLE_TIMEOUT };
    case "participant_joined":
      return participantJoined(room, participant, at);
    case "participant_left":
      return participantGone(name, room, participant, DisconnectReason.CLIENT_INITIATED);
    case "participant_connection_aborted":
      return participantGone(name, room, participant, DisconnectReason.SIGNAL_CLOSE);
    case "track_published":
    case "track_unpublished":
      // telemetry's TrackPublished/TrackUnpublished: the participant by sid and identity only.
      return { event: name, room, participant: { sid: participant.sid, identity: participant.identity }, track };
    case "egress_started":
      return egressEvent(name, egress, at);
    case "egress_updated":
      return egressEvent(name, egress, at, EgressStatus.EGRESS_ACTIVE);
    case "egress_ended":
      return egressEvent(name, egress, at, EgressStatus.EGRESS_COMPLETE);
    case "ingress_started":
    case "ingress_ended":
      return ingressEvent(name, ingress, at);
    case "agent_job_pending":
    case "agent_job_started":
    case "agent_job_ended":
      return jobEvent(name, dispatch, at);
  }
}

/**
 * The sample event for `name` with `fields` (protojson of WebhookEvent fields, camelCase or proto
 * names) laid over it: a message merges field by field, anything else replaces. `event` cannot be
 * set this way: the name chooses it.
 */
export function onDemandEvent(name: WebhookEventName, fields: JsonObject, at: Instant = instant()): WebhookEvent {
  const event = toWebhookEvent(sampleEvent(name, at));
  const names = WebhookEventSchema.fields.flatMap((f) => (f.name === "event" ? [] : [f.jsonName, f.name]));
  for (const key of Object.keys(fields)) {
    if (names.includes(key)) continue;
    const suggestion = closestName(key, names);
    throw new WebhookFieldsError(
      `unknown WebhookEvent field ${JSON.stringify(key)}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}`,
    );
  }
  let overrides: WebhookEvent;
  try {
    overrides = fromJson(WebhookEventSchema, fields as JsonValue);
  } catch (err) {
    throw new WebhookFieldsError((err as Error).message);
  }
  overlay(reflect(WebhookEventSchema, event), reflect(WebhookEventSchema, overrides));
  return event;
}

function overlay(target: ReflectMessage, source: ReflectMessage): void {
  for (const field of source.fields) {
    if (!source.isSet(field)) continue;
    if (field.fieldKind === "message" && target.isSet(field)) {
      overlay(target.get(field), source.get(field));
    } else {
      target.set(field, source.get(field));
    }
  }
}
