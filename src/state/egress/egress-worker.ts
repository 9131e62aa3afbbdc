// The egress worker the real server would hand a start to, simulated
// (docs/spec/stateful.md#egress-worker): it answers at once with the egress starting; a moment
// later it joins the room as the egress's own participant (hidden, recorder, identity = egress id)
// and is active; stopped, it is ending, then complete; stopped before it was active, it is
// aborted. Its reports go where a real worker's go (livekit-server ioservice.go): egress_started
// when the server records the start, egress_updated for active and ending, egress_ended for every
// end, with protocol's EgressInfo helpers' fields (details, error, error code, times).
import { create } from "@bufbuild/protobuf";
import {
  EgressInfoSchema,
  EgressStatus,
  StreamInfo_Status,
  type EgressInfo,
  type UpdateStreamRequest,
} from "../../../generated/livekit_egress_pb.js";
import { egressEvent, instant } from "../../webhooks/event-shapes.js";
import { newEventId } from "../../webhooks/event-id.js";
import type { RoomRecord } from "../rooms/room-records.js";
import { roomsService } from "../rooms/rooms-service.js";
import { joinAsService } from "../rooms/service-participant.js";
import { serviceError } from "../state-error.js";
import type { EventCause, StateCall } from "../world.js";
import { finishRecording, finishStream, newStream, redactStreamKey, startRecording, startResults } from "./egress-outputs.js";
import { egressView, nowNs, type EgressRecord, type EgressState } from "./egress-records.js";
import type { StartSpec } from "./egress-requests.js";

/** How long the simulated worker takes to start recording, and to finish once stopped. */
export const egressTiming = { activeAfterMs: 200, completeAfterMs: 200 } as const;

/** protocol livekit/livekit_egress.go: the end reasons and messages a worker reports. */
const endReason = {
  api: "StopEgress API",
  sourceClosed: "Source closed",
  streamsStopped: "All streams stopped",
} as const;
const stoppedBeforeStarted = "Stop called before pipeline could start";
const startNotReceived = "Start signal not received";
/** http.StatusPreconditionFailed, the error code of an aborted egress. */
const abortedCode = 412;

/** The worker's own steps, with no call behind them. */
const byTheWorker: EventCause = { region: "state" };

type EgressEvent = "egress_started" | "egress_updated" | "egress_ended";

function report(state: EgressState, record: EgressRecord, event: EgressEvent, cause: EventCause): void {
  state.world.emit([egressEvent(event, egressView(record), instant(new Date(state.world.now())))], cause);
}

/** A start the server accepted: recorded as starting (egress_started), active a moment later. */
export function startEgress(state: EgressState, spec: StartSpec, room: RoomRecord | undefined, call: StateCall): EgressInfo {
  const { world } = state;
  const atMs = world.now();
  const info = create(EgressInfoSchema, {
    egressId: newEventId("EG_"),
    roomId: room?.room.sid ?? "",
    roomName: spec.roomName,
    sourceType: spec.sourceType,
    status: EgressStatus.EGRESS_STARTING,
    updatedAt: nowNs(world),
    request: spec.request,
  });
  const { results, streams } = startResults(spec.outputs, { ...spec.names, roomId: info.roomId, atMs });
  Object.assign(info, results);
  const record: EgressRecord = {
    info,
    streams,
    streaming: spec.outputs.streams !== undefined,
    joinsRoom: spec.joinsRoom,
    participant: undefined,
    cancelStep: undefined,
  };
  state.egresses.set(info.egressId, record);
  report(state, record, "egress_started", call.cause);
  record.cancelStep = world.after(egressTiming.activeAfterMs, () => activate(state, record));
  return egressView(record);
}

/** The worker has joined the room (when it records one) and records. */
function activate(state: EgressState, record: EgressRecord): void {
  record.cancelStep = undefined;
  const { world } = state;
  const { info } = record;
  if (info.status !== EgressStatus.EGRESS_STARTING) return;
  if (record.joinsRoom) {
    // The room closed before the egress could join it: it never starts.
    if (!world.state(roomsService).rooms.has(info.roomName))
      return abort(state, record, startNotReceived, endReason.sourceClosed, byTheWorker);
    const joined = joinAsService(
      world,
      {
        room: info.roomName,
        identity: info.egressId,
        // egress.BuildEgressToken: a hidden recorder that subscribes and publishes nothing.
        grants: { kind: "egress", hidden: true, recorder: true, canSubscribe: true, canPublish: false, canPublishData: false },
        removed: () => {
          record.participant = undefined;
          // After the room's own steps (a closing room finishes first).
          world.after(0, () => sourceClosed(state, record));
        },
      },
      byTheWorker,
    );
    if (joined.kind === "refused") return fail(state, record, joined.why);
    record.participant = joined.participant;
  }
  const now = nowNs(world);
  info.status = EgressStatus.EGRESS_ACTIVE;
  info.startedAt = now;
  info.updatedAt = now;
  startRecording(info, now);
  report(state, record, "egress_updated", byTheWorker);
}

/** StopEgress reaching the worker: an active egress ends, a starting one is aborted. */
export function stopEgress(state: EgressState, record: EgressRecord, cause: EventCause): EgressInfo {
  if (record.info.status === EgressStatus.EGRESS_STARTING) abort(state, record, stoppedBeforeStarted, endReason.api, cause);
  else if (record.info.status === EgressStatus.EGRESS_ACTIVE) beginEnding(state, record, endReason.api, cause);
  return egressView(record);
}

/** UpdateStream reaching the worker of a starting or active egress. */
export function updateStream(state: EgressState, record: EgressRecord, req: UpdateStreamRequest, cause: EventCause): EgressInfo {
  if (!record.streaming) throw serviceError("invalid_argument", "UpdateStream called on non-streaming egress");
  // Every removal is checked before anything changes: a refused call leaves the egress as it was.
  for (const url of req.removeOutputUrls) {
    if (record.streams.get(url)?.status !== StreamInfo_Status.ACTIVE) {
      throw serviceError("not_found", `stream ${redactStreamKey(url)} not found`);
    }
  }
  const { world } = state;
  const { info } = record;
  const now = nowNs(world);
  const added = [...req.addOutputUrls.map((url) => ({ url, id: "" })), ...req.addDestinations.map((d) => ({ url: d.url, id: d.id }))];
  for (const target of added) {
    const existing = record.streams.get(target.url);
    if (existing?.status === StreamInfo_Status.ACTIVE) continue;
    const stream = newStream(target);
    if (info.status === EgressStatus.EGRESS_ACTIVE) stream.startedAt = now;
    record.streams.set(target.url, stream);
    info.streamResults.push(stream);
  }
  for (const url of req.removeOutputUrls) finishStream(record.streams.get(url)!, now);
  if (info.result.case === "stream") info.result.value.info = info.streamResults;
  info.updatedAt = now;
  // ioservice.go sends egress_updated for an active egress's report only.
  if (info.status === EgressStatus.EGRESS_ACTIVE) report(state, record, "egress_updated", cause);
  const streaming = info.streamResults.some((stream) => stream.status === StreamInfo_Status.ACTIVE);
  const otherOutputs = info.fileResults.length + info.segmentResults.length + info.imageResults.length;
  if (!streaming && otherOutputs === 0 && info.status === EgressStatus.EGRESS_ACTIVE) {
    beginEnding(state, record, endReason.streamsStopped, cause);
  }
  return egressView(record);
}

/** The egress's participant was removed by the server (its room closed, RemoveParticipant). */
function sourceClosed(state: EgressState, record: EgressRecord): void {
  if (record.info.status === EgressStatus.EGRESS_ACTIVE) beginEnding(state, record, endReason.sourceClosed, byTheWorker);
}

function beginEnding(state: EgressState, record: EgressRecord, reason: string, cause: EventCause): void {
  const { info } = record;
  info.details = `End reason: ${reason}`;
  info.status = EgressStatus.EGRESS_ENDING;
  info.updatedAt = nowNs(state.world);
  report(state, record, "egress_updated", cause);
  record.cancelStep?.();
  record.cancelStep = state.world.after(egressTiming.completeAfterMs, () => complete(state, record));
}

/** EgressInfo.SetComplete: the participant leaves, the results are final. */
function complete(state: EgressState, record: EgressRecord): void {
  record.cancelStep = undefined;
  leaveRoom(record);
  const { info } = record;
  const now = nowNs(state.world);
  finishRecording(info, now);
  info.status = EgressStatus.EGRESS_COMPLETE;
  info.updatedAt = now;
  info.endedAt = now;
  report(state, record, "egress_ended", byTheWorker);
}

/** EgressInfo.SetAborted. */
function abort(state: EgressState, record: EgressRecord, message: string, reason: string, cause: EventCause): void {
  end(state, record, EgressStatus.EGRESS_ABORTED, message, abortedCode, `End reason: ${reason}`, cause);
}

/** EgressInfo.SetFailed, for an error that is not a psrpc one (no error code). */
function fail(state: EgressState, record: EgressRecord, message: string): void {
  end(state, record, EgressStatus.EGRESS_FAILED, message, 0, "End reason: Failure", byTheWorker);
}

function end(
  state: EgressState,
  record: EgressRecord,
  status: EgressStatus,
  message: string,
  code: number,
  details: string,
  cause: EventCause,
): void {
  record.cancelStep?.();
  record.cancelStep = undefined;
  leaveRoom(record);
  const { info } = record;
  const now = nowNs(state.world);
  finishRecording(info, now);
  info.status = status;
  info.error = message;
  info.errorCode = code;
  info.details = details;
  info.updatedAt = now;
  info.endedAt = now;
  report(state, record, "egress_ended", cause);
}

function leaveRoom(record: EgressRecord): void {
  const participant = record.participant;
  record.participant = undefined;
  participant?.leave();
}
