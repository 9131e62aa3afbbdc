// AgentDispatchService answered from a world, as the real server answers it (livekit-server
// v1.13.5 pkg/service/agent_dispatch_service.go and the room's dispatches in pkg/rtc/room.go): a
// dispatch belongs to its room, which CreateDispatch makes when it does not exist; every room
// starts with the dispatches CreateRoom named, or one for the unnamed agent; a room that is gone
// answers psrpc's "no response from servers" (at once here, where the real server waits;
// docs/spec/stateful.md#agent-dispatch).
import { clone, create, type Message } from "@bufbuild/protobuf";
import {
  AgentDispatchSchema,
  AgentDispatchStateSchema,
  ListAgentDispatchResponseSchema,
  type AgentDispatch,
  type CreateAgentDispatchRequest,
  type DeleteAgentDispatchRequest,
  type ListAgentDispatchRequest,
  type RoomAgentDispatch,
} from "../../../generated/livekit_agent_dispatch_pb.js";
import { newEventId } from "../../webhooks/event-id.js";
import { roomLimits } from "../rooms/room-handlers.js";
import { findOrCreateRoom } from "../rooms/room-lifecycle.js";
import type { RoomRecord } from "../rooms/room-records.js";
import { roomsService } from "../rooms/rooms-service.js";
import { serviceError, StateError } from "../state-error.js";
import type { StateCall, StateHandler, World } from "../world.js";

export interface AgentDispatchState {
  readonly world: World;
  /** Each room's dispatches by id, in creation order; a room that closes takes its own along. */
  readonly byRoom: WeakMap<RoomRecord, Map<string, AgentDispatch>>;
}

const noResponse = (): StateError => serviceError("unavailable", "no response from servers");

/** agent.MaxDeploymentLength. */
const maxDeploymentBytes = 64;

/** agent.ValidateDeployment: up to 64 bytes, no `_`, no whitespace or control byte. */
function deploymentProblem(deployment: string): string | undefined {
  const bytes = Buffer.from(deployment);
  if (bytes.length > maxDeploymentBytes) return `deployment exceeds ${maxDeploymentBytes} bytes`;
  for (const [i, byte] of bytes.entries()) {
    if (byte === 0x5f) return "deployment contains reserved character '_'";
    if (byte <= 0x20 || byte === 0x7f) return `deployment contains whitespace or control byte at position ${i}`;
  }
  return undefined;
}

function newDispatch(
  room: string,
  from: Omit<RoomAgentDispatch, "$typeName" | "$unknown" | "threadId">,
  createdAtMs: number,
): AgentDispatch {
  return create(AgentDispatchSchema, {
    id: newEventId("AD_"),
    agentName: from.agentName,
    room,
    metadata: from.metadata,
    restartPolicy: from.restartPolicy,
    deployment: from.deployment,
    attributes: { ...from.attributes },
    state: create(AgentDispatchStateSchema, { createdAt: BigInt(createdAtMs) * 1_000_000n }),
  });
}

/** The room's dispatches; those it started with are made on first sight, dated from its creation. */
export function dispatchesOf(state: AgentDispatchState, record: RoomRecord): Map<string, AgentDispatch> {
  let dispatches = state.byRoom.get(record);
  if (dispatches === undefined) {
    dispatches = new Map();
    const created = Number(record.room.creationTimeMs);
    // With no agents named, the room dispatches the unnamed agent (createAgentDispatchesFromRoomAgent).
    const agents =
      record.agents.length === 0 ? [{ agentName: "", metadata: "", restartPolicy: 0, deployment: "", attributes: {} }] : record.agents;
    for (const agent of agents) {
      if (deploymentProblem(agent.deployment) !== undefined) continue;
      const dispatch = newDispatch(record.room.name, agent, created);
      dispatches.set(dispatch.id, dispatch);
    }
    state.byRoom.set(record, dispatches);
  }
  return dispatches;
}

function bytes(text: string): number {
  return Buffer.byteLength(text);
}

function createDispatch(state: AgentDispatchState, req: CreateAgentDispatchRequest, call: StateCall): Message {
  const problem = deploymentProblem(req.deployment);
  if (problem !== undefined) throw serviceError("invalid_argument", problem);
  if (bytes(req.metadata) > roomLimits.maxMetadataSize) throw serviceError("invalid_argument", "metadata size exceeds limits");
  let attributes = 0;
  for (const [key, value] of Object.entries(req.attributes)) attributes += bytes(key) + bytes(value);
  if (attributes > roomLimits.maxAttributesSize) throw serviceError("invalid_argument", "attribute size exceeds limits");
  const rooms = call.world.state(roomsService);
  const existing = rooms.rooms.get(req.room);
  const limit = state.world.limits.dispatchesPerRoom;
  if (existing !== undefined && dispatchesOf(state, existing).size >= limit) {
    throw new StateError(
      "resource_exhausted",
      `mock: room ${JSON.stringify(req.room)} holds ${limit} agent dispatches, the most one room may hold (docs/limits.md)`,
    );
  }
  const { record } = findOrCreateRoom(rooms, { name: req.room }, call.cause);
  const dispatch = newDispatch(req.room, req, state.world.now());
  dispatchesOf(state, record).set(dispatch.id, dispatch);
  return clone(AgentDispatchSchema, dispatch);
}

function roomOf(call: StateCall, room: string): RoomRecord {
  const record = call.world.state(roomsService).rooms.get(room);
  if (record === undefined) throw noResponse();
  return record;
}

function listDispatch(state: AgentDispatchState, req: ListAgentDispatchRequest, call: StateCall): Message {
  const dispatches = [...dispatchesOf(state, roomOf(call, req.room)).values()];
  const listed = req.dispatchId === "" ? dispatches : dispatches.filter((d) => d.id === req.dispatchId);
  return create(ListAgentDispatchResponseSchema, { agentDispatches: listed.map((d) => clone(AgentDispatchSchema, d)) });
}

function deleteDispatch(state: AgentDispatchState, req: DeleteAgentDispatchRequest, call: StateCall): Message {
  const dispatches = dispatchesOf(state, roomOf(call, req.room));
  const dispatch = dispatches.get(req.dispatchId);
  if (dispatch === undefined) throw serviceError("not_found", "dispatch ID not found");
  dispatches.delete(req.dispatchId);
  return clone(AgentDispatchSchema, dispatch);
}

type Handler = StateHandler<AgentDispatchState>;

export const agentDispatchHandlers: Readonly<Record<string, Handler>> = {
  "livekit.AgentDispatchService/CreateDispatch": (state, req, call) => createDispatch(state, req as CreateAgentDispatchRequest, call),
  "livekit.AgentDispatchService/ListDispatch": (state, req, call) => listDispatch(state, req as ListAgentDispatchRequest, call),
  "livekit.AgentDispatchService/DeleteDispatch": (state, req, call) => deleteDispatch(state, req as DeleteAgentDispatchRequest, call),
};
