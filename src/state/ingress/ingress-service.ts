// The ingresses of a world as a service state module (world.ts ServiceState): every Ingress
// method, the simulated pull of URL ingresses, and their part of GET /_test/state/<key>.
import { toJson, type JsonValue } from "@bufbuild/protobuf";
import { IngressInfoSchema } from "../../../generated/livekit_ingress_pb.js";
import type { ServiceState } from "../world.js";
import { ingressHandlers } from "./ingress-handlers.js";
import { ingressView, type IngressState } from "./ingress-records.js";

export const ingressService: ServiceState<IngressState> = {
  name: "ingress",
  create: (world) => ({ world, ingresses: new Map() }),
  handlers: ingressHandlers,
  inspect(state): JsonValue {
    return [...state.ingresses.values()].map((record) => toJson(IngressInfoSchema, ingressView(record)));
  },
  dispose(state) {
    // The world's timers (each pull's next step) end with it; participants leave with the rooms.
    state.ingresses.clear();
  },
};
