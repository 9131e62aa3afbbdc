// The egresses of a world as a service state module (world.ts ServiceState): every Egress method,
// the simulated worker's steps, and their part of GET /_test/state/<key>.
import { toJson, type JsonValue } from "@bufbuild/protobuf";
import { EgressInfoSchema } from "../../../generated/livekit_egress_pb.js";
import type { ServiceState } from "../world.js";
import { egressHandlers } from "./egress-handlers.js";
import { egressView, type EgressState } from "./egress-records.js";

export const egressService: ServiceState<EgressState> = {
  name: "egress",
  create: (world) => ({ world, egresses: new Map() }),
  handlers: egressHandlers,
  inspect(state): JsonValue {
    return [...state.egresses.values()].map((record) => toJson(EgressInfoSchema, egressView(record)));
  },
  dispose(state) {
    // The world's timers (each egress's next step) end with it; participants leave with the rooms.
    state.egresses.clear();
  },
};
