// The ingress worker that pulls a URL ingress, simulated (docs/spec/stateful.md#ingress-url; the
// real server hands it to one and, with none, answers 503 after 3 s): the ingress answers
// buffering; a moment later it publishes into its room as its participant (kind INGRESS), which
// ioservice_ingress.go reports as ingress_started. Deleted, or its participant removed by the
// server, it ends (ingress_ended). RTMP and WHIP ingresses wait for media nobody sends here: they
// stay inactive and send nothing.
import { create } from "@bufbuild/protobuf";
import { IngressState_Status, IngressStateSchema, type IngressInfo } from "../../../generated/livekit_ingress_pb.js";
import { ingressEvent, instant } from "../../webhooks/event-shapes.js";
import { newEventId } from "../../webhooks/event-id.js";
import { roomsService } from "../rooms/rooms-service.js";
import { joinAsService } from "../rooms/service-participant.js";
import type { EventCause } from "../world.js";
import { ingressView, type IngressRecord, type IngressState } from "./ingress-records.js";

/** How long the simulated worker buffers before it publishes. */
export const ingressTiming = { publishingAfterMs: 200 } as const;

/** The worker's own steps, with no call behind them. */
const byTheWorker: EventCause = { region: "state" };

function nowNs(state: IngressState): bigint {
  return BigInt(state.world.now()) * 1_000_000n;
}

function report(state: IngressState, record: IngressRecord, event: "ingress_started" | "ingress_ended", cause: EventCause): void {
  state.world.emit([ingressEvent(event, ingressView(record), instant(new Date(state.world.now())))], cause);
}

/** StartIngress answered by the worker: buffering, with its resource, publishing a moment later. */
export function startPull(state: IngressState, info: IngressInfo): IngressRecord {
  const now = nowNs(state);
  info.state = create(IngressStateSchema, {
    status: IngressState_Status.ENDPOINT_BUFFERING,
    startedAt: now,
    updatedAt: now,
    resourceId: newEventId("UR_"),
  });
  const record: IngressRecord = { info, participant: undefined, cancelStep: undefined };
  record.cancelStep = state.world.after(ingressTiming.publishingAfterMs, () => publish(state, record));
  return record;
}

function publish(state: IngressState, record: IngressRecord): void {
  record.cancelStep = undefined;
  const { info } = record;
  const ingressState = info.state!;
  if (ingressState.status !== IngressState_Status.ENDPOINT_BUFFERING) return;
  const joined = joinAsService(
    state.world,
    {
      room: info.roomName,
      identity: info.participantIdentity,
      name: info.participantName,
      grants: { kind: "ingress", metadata: info.participantMetadata, canSubscribe: false },
      removed: () => {
        record.participant = undefined;
        state.world.after(0, () => stopPull(state, record, IngressState_Status.ENDPOINT_COMPLETE, byTheWorker));
      },
    },
    byTheWorker,
  );
  if (joined.kind === "refused") {
    ingressState.error = joined.why;
    return stopPull(state, record, IngressState_Status.ENDPOINT_ERROR, byTheWorker);
  }
  record.participant = joined.participant;
  ingressState.status = IngressState_Status.ENDPOINT_PUBLISHING;
  ingressState.roomId = state.world.state(roomsService).rooms.get(info.roomName)?.room.sid ?? "";
  ingressState.updatedAt = nowNs(state);
  report(state, record, "ingress_started", byTheWorker);
}

/** The pull ends (deleted, its participant removed, or refused a place in its room). */
export function stopPull(state: IngressState, record: IngressRecord, status: IngressState_Status, cause: EventCause): void {
  const ingressState = record.info.state!;
  const live =
    ingressState.status === IngressState_Status.ENDPOINT_BUFFERING || ingressState.status === IngressState_Status.ENDPOINT_PUBLISHING;
  if (!live) return;
  record.cancelStep?.();
  record.cancelStep = undefined;
  const participant = record.participant;
  record.participant = undefined;
  participant?.leave();
  const now = nowNs(state);
  ingressState.status = status;
  ingressState.endedAt = now;
  ingressState.updatedAt = now;
  report(state, record, "ingress_ended", cause);
}
