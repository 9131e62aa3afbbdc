// Every service whose state a world keeps. A service's module joins by being listed here (see
// README.md, "Adding a service's state"); its methods are then answered from the world.
import type { ServiceState } from "./world.js";
import { agentDispatchService } from "./agent-dispatch/agent-dispatch-service.js";
import { egressService } from "./egress/egress-service.js";
import { ingressService } from "./ingress/ingress-service.js";
import { roomsService } from "./rooms/rooms-service.js";
import { sipService } from "./sip/sip-service.js";

// Each module has a state type of its own, which the store never looks into.
export const serviceStates: readonly ServiceState<any>[] = [roomsService, egressService, ingressService, sipService, agentDispatchService];
