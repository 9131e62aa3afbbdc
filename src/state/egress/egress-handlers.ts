// The Egress service answered from a world (docs/spec/stateful.md#egress-start, #egress-list,
// #egress-update), with the real server's checks in its order and its errors word for word
// (livekit-server pkg/service/egress.go, ioservice.go and the redis store): a start looks its room
// up before a worker sees it; list, layout, stream and stop find the egress or answer "egress does
// not exist"; an egress no worker runs any more cannot be stopped or updated. What a worker does
// is egress-worker.ts's; where the real server waits 3 s for a worker that no longer runs the
// egress, the answer here comes at once.
import { create, type Message } from "@bufbuild/protobuf";
import {
  EgressStatus,
  ListEgressResponseSchema,
  type ListEgressRequest,
  type StopEgressRequest,
  type UpdateLayoutRequest,
  type UpdateStreamRequest,
} from "../../../generated/livekit_egress_pb.js";
import { UpdateParticipantRequestSchema } from "../../../generated/livekit_room_pb.js";
import { roomsService } from "../rooms/rooms-service.js";
import { serviceError, StateError, worldFull } from "../state-error.js";
import type { StateCall, StateHandler } from "../world.js";
import { egressView, isRunning, type EgressRecord, type EgressState } from "./egress-records.js";
import { roomNameOf, startMethods, startSpec, type StartMethod } from "./egress-requests.js";
import { startEgress, stopEgress, updateStream } from "./egress-worker.js";

const egressNotFound = (): StateError => serviceError("not_found", "egress does not exist");
const roomNotFound = (): StateError => serviceError("not_found", "requested room does not exist");

function find(state: EgressState, egressId: string): EgressRecord {
  const record = state.egresses.get(egressId);
  if (record === undefined) throw egressNotFound();
  return record;
}

/** egress.go: the status check after the worker did not answer (a twirp error, no psrpc prefix). */
function notRunning(record: EgressRecord, action: "stopped" | "updated"): StateError {
  return new StateError("failed_precondition", `egress with status ${EgressStatus[record.info.status]} cannot be ${action}`);
}

function start(method: StartMethod, state: EgressState, request: Message, call: StateCall): Message {
  // egressLauncher.StartEgress: the room is loaded before the request reaches a worker.
  const roomName = roomNameOf(method, request);
  const room = roomName === "" ? undefined : call.world.state(roomsService).rooms.get(roomName);
  if (roomName !== "" && room === undefined) throw roomNotFound();
  const spec = startSpec(method, request);
  if (state.egresses.size >= state.world.limits.egressPerWorld) throw worldFull(state.world.key, state.egresses.size, "egresses");
  return startEgress(state, spec, room, call);
}

function listEgress(state: EgressState, req: ListEgressRequest): Message {
  // An egress id answers that egress alone, whatever the other filters say.
  if (req.egressId !== "") return create(ListEgressResponseSchema, { items: [egressView(find(state, req.egressId))] });
  const items = [...state.egresses.values()]
    .filter((record) => req.roomName === "" || record.info.roomName === req.roomName)
    .filter((record) => !req.active || isRunning(record.info))
    .map(egressView);
  return create(ListEgressResponseSchema, { items });
}

function updateLayout(state: EgressState, req: UpdateLayoutRequest, call: StateCall): Message {
  const record = find(state, req.egressId);
  // The layout reaches the egress as its participant's metadata, through RoomService (whose
  // errors are the answer: an egress that has left its room is "participant does not exist").
  const update = roomsService.handlers["livekit.RoomService/UpdateParticipant"]!;
  const metadata = create(UpdateParticipantRequestSchema, {
    room: record.info.roomName,
    identity: record.info.egressId,
    metadata: goJson({ layout: req.layout }),
  });
  update(call.world.state(roomsService), metadata, call);
  return egressView(record);
}

function updateStreamOf(state: EgressState, req: UpdateStreamRequest, call: StateCall): Message {
  const record = find(state, req.egressId);
  // An ending egress's worker takes no new streams.
  if (!isRunning(record.info) || record.info.status === EgressStatus.EGRESS_ENDING) throw notRunning(record, "updated");
  return updateStream(state, record, req, call.cause);
}

function stop(state: EgressState, req: StopEgressRequest, call: StateCall): Message {
  const record = find(state, req.egressId);
  if (!isRunning(record.info)) throw notRunning(record, "stopped");
  return stopEgress(state, record, call.cause);
}

/** encoding/json's Marshal of a struct of strings: HTML-sensitive characters escaped as Go does. */
function goJson(value: Readonly<Record<string, string>>): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

type Handler = StateHandler<EgressState>;

/** Route key → handler: every Egress method. */
export const egressHandlers: Readonly<Record<string, Handler>> = {
  ...Object.fromEntries(
    startMethods.map((method): [string, Handler] => [`livekit.Egress/${method}`, (state, req, call) => start(method, state, req, call)]),
  ),
  "livekit.Egress/ListEgress": (state, req) => listEgress(state, req as ListEgressRequest),
  "livekit.Egress/UpdateLayout": (state, req, call) => updateLayout(state, req as UpdateLayoutRequest, call),
  "livekit.Egress/UpdateStream": (state, req, call) => updateStreamOf(state, req as UpdateStreamRequest, call),
  "livekit.Egress/StopEgress": (state, req, call) => stop(state, req as StopEgressRequest, call),
};
