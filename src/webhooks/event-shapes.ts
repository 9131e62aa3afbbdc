// The payload of each kind of event, as livekit-server's telemetry (pkg/telemetry/events.go)
// composes it: which resource goes in which field, the minimal room beside an egress or ingress,
// and the lifecycle fields (status, timestamps) the event stands for. Every source of events (the
// RPC table, the signal side, on-demand samples) builds through these.
import { clone, create, type MessageInitShape } from "@bufbuild/protobuf";
import { type AgentDispatch } from "../../generated/livekit_agent_dispatch_pb.js";
import { JobSchema, JobStateSchema, JobStatus, JobType, type Job } from "../../generated/livekit_agent_pb.js";
import { EgressInfoSchema, EgressStatus, type EgressInfo } from "../../generated/livekit_egress_pb.js";
import { IngressInfoSchema, IngressState_Status, IngressStateSchema, type IngressInfo } from "../../generated/livekit_ingress_pb.js";
import {
  DisconnectReason,
  ParticipantInfo_State,
  ParticipantInfoSchema,
  RoomSchema,
  type Room,
} from "../../generated/livekit_models_pb.js";
import { WebhookEventSchema, type WebhookEvent } from "../../generated/livekit_webhook_pb.js";
import type { WebhookEventName } from "./webhook-events.js";

/** An event before the notifier stamps its `id` and `createdAt`. */
export type EventInit = MessageInitShape<typeof WebhookEventSchema> & { readonly event: WebhookEventName };

export function toWebhookEvent(init: EventInit): WebhookEvent {
  return create(WebhookEventSchema, init);
}

/** The instant an event describes, in the units LiveKit's messages use. */
export interface Instant {
  readonly seconds: bigint;
  readonly ms: bigint;
  readonly ns: bigint;
}

export function instant(at: Date = new Date()): Instant {
  const ms = BigInt(at.getTime());
  return { seconds: ms / 1000n, ms, ns: ms * 1_000_000n };
}

/** telemetry's toMinimalRoomProto: what egress, ingress and agent events carry of their room. */
export function minimalRoom(sid: string, name: string): Room {
  return create(RoomSchema, { sid, name });
}

export function participantJoined(room: Room, participant: MessageInitShape<typeof ParticipantInfoSchema>, at: Instant): EventInit {
  return {
    event: "participant_joined",
    room,
    participant: { ...participant, state: ParticipantInfo_State.ACTIVE, joinedAt: at.seconds, joinedAtMs: at.ms },
  };
}

export function participantGone(
  event: "participant_left" | "participant_connection_aborted",
  room: Room,
  participant: MessageInitShape<typeof ParticipantInfoSchema>,
  reason: DisconnectReason,
): EventInit {
  return { event, room, participant: { ...participant, state: ParticipantInfo_State.DISCONNECTED, disconnectReason: reason } };
}

// ---- egress: ioservice.go classifies an update by its status -----------------------------------

const egressUpdatedStatuses = new Set([EgressStatus.EGRESS_ACTIVE, EgressStatus.EGRESS_ENDING]);
const egressEndedStatuses = new Set([
  EgressStatus.EGRESS_COMPLETE,
  EgressStatus.EGRESS_FAILED,
  EgressStatus.EGRESS_ABORTED,
  EgressStatus.EGRESS_LIMIT_REACHED,
]);

/**
 * The egress as this event reports it: the answered status when it is one the real server sends
 * this event for, else `fallback`; an ended egress gets its end time if it has none.
 */
export function egressEvent(
  event: "egress_started" | "egress_updated" | "egress_ended",
  info: EgressInfo,
  at: Instant,
  fallback: EgressStatus = event === "egress_updated" ? EgressStatus.EGRESS_ACTIVE : EgressStatus.EGRESS_COMPLETE,
): EventInit {
  const egress = clone(EgressInfoSchema, info);
  if (event === "egress_updated" && !egressUpdatedStatuses.has(egress.status)) egress.status = fallback;
  if (event === "egress_ended") {
    if (!egressEndedStatuses.has(egress.status)) egress.status = fallback;
    if (egress.endedAt === 0n) egress.endedAt = at.ns;
  }
  if (event !== "egress_started" && egress.updatedAt === 0n) egress.updatedAt = at.ns;
  return { event, room: minimalRoom(egress.roomId, egress.roomName), egressInfo: egress };
}

// ---- ingress: ioservice_ingress.go UpdateIngressState ------------------------------------------

const ingressEndedStatuses = new Set([
  IngressState_Status.ENDPOINT_INACTIVE,
  IngressState_Status.ENDPOINT_ERROR,
  IngressState_Status.ENDPOINT_COMPLETE,
]);

/** The ingress publishing (started) or stopped (ended), keeping an answered state that fits. */
export function ingressEvent(event: "ingress_started" | "ingress_ended", info: IngressInfo, at: Instant): EventInit {
  const ingress = clone(IngressInfoSchema, info);
  const state = ingress.state ?? create(IngressStateSchema);
  if (event === "ingress_started") {
    state.status = IngressState_Status.ENDPOINT_PUBLISHING;
    if (state.startedAt === 0n) state.startedAt = at.ns;
  } else {
    if (!ingressEndedStatuses.has(state.status)) state.status = IngressState_Status.ENDPOINT_INACTIVE;
    if (state.endedAt === 0n) state.endedAt = at.ns;
  }
  if (state.updatedAt === 0n) state.updatedAt = at.ns;
  ingress.state = state;
  // telemetry's IngressStarted/IngressEnded: a room with the name only.
  return { event, room: minimalRoom("", ingress.roomName), ingressInfo: ingress };
}

// ---- agent jobs --------------------------------------------------------------------------------

const jobStatusOf = {
  agent_job_pending: JobStatus.JS_PENDING,
  agent_job_started: JobStatus.JS_RUNNING,
  agent_job_ended: JobStatus.JS_SUCCESS,
} as const;

/** A dispatch's job (its first, or one made from the dispatch when it lists none) at a stage. */
export function jobEvent(event: keyof typeof jobStatusOf, dispatch: AgentDispatch, at: Instant): EventInit {
  const listed = dispatch.state?.jobs[0];
  const job: Job =
    listed === undefined
      ? create(JobSchema, {
          id: "MOCK_JOB_ID",
          dispatchId: dispatch.id,
          type: JobType.JT_ROOM,
          room: { name: dispatch.room },
          metadata: dispatch.metadata,
          agentName: dispatch.agentName,
          deployment: dispatch.deployment,
          attributes: dispatch.attributes,
          threadId: dispatch.threadId,
        })
      : clone(JobSchema, listed);
  const state = job.state ?? create(JobStateSchema);
  state.status = jobStatusOf[event];
  if (event !== "agent_job_pending" && state.startedAt === 0n) state.startedAt = at.ns;
  if (event === "agent_job_ended" && state.endedAt === 0n) state.endedAt = at.ns;
  state.updatedAt = at.ns;
  job.state = state;
  return { event, room: minimalRoom(job.room?.sid ?? "", job.room?.name ?? dispatch.room), job };
}
