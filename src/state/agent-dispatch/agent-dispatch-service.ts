// Agent dispatches in a world as a service state module (world.ts ServiceState): each room's
// dispatches, and their part of GET /_test/state/<key>.
import { toJson, type JsonValue } from "@bufbuild/protobuf";
import { AgentDispatchSchema } from "../../../generated/livekit_agent_dispatch_pb.js";
import { roomsService } from "../rooms/rooms-service.js";
import type { ServiceState } from "../world.js";
import { agentDispatchHandlers, dispatchesOf, type AgentDispatchState } from "./agent-dispatch-handlers.js";

export const agentDispatchService: ServiceState<AgentDispatchState> = {
  name: "agentDispatches",
  create: (world) => ({ world, byRoom: new WeakMap() }),
  handlers: agentDispatchHandlers,
  inspect(state): JsonValue {
    const rooms = state.world.state(roomsService);
    return [...rooms.rooms.values()].map((record) => ({
      room: record.room.name,
      dispatches: [...dispatchesOf(state, record).values()].map((dispatch) => toJson(AgentDispatchSchema, dispatch)),
    }));
  },
  // Dispatches live in their rooms, which the rooms module ends.
  dispose() {},
};
