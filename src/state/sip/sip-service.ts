// SIP in a world as a service state module (world.ts ServiceState): trunks, dispatch rules and the
// calls CreateSIPParticipant placed, and their part of GET /_test/state/<key>.
import { toJson, type JsonValue } from "@bufbuild/protobuf";
import { SIPDispatchRuleInfoSchema, SIPInboundTrunkInfoSchema, SIPOutboundTrunkInfoSchema } from "../../../generated/livekit_sip_pb.js";
import type { ServiceState } from "../world.js";
import { dispatchRuleHandlers } from "./dispatch-rule-handlers.js";
import { sipCallHandlers } from "./sip-call-handlers.js";
import { byRuleId, byTrunkId, createSipState, listed, type SipState } from "./sip-records.js";
import { trunkHandlers } from "./trunk-handlers.js";

export const sipService: ServiceState<SipState> = {
  name: "sip",
  create: createSipState,
  handlers: { ...trunkHandlers, ...dispatchRuleHandlers, ...sipCallHandlers },
  inspect(state): JsonValue {
    return {
      inboundTrunks: listed(state.inbound.values(), byTrunkId).map((t) => toJson(SIPInboundTrunkInfoSchema, t)),
      outboundTrunks: listed(state.outbound.values(), byTrunkId).map((t) => toJson(SIPOutboundTrunkInfoSchema, t)),
      dispatchRules: listed(state.rules.values(), byRuleId).map((r) => toJson(SIPDispatchRuleInfoSchema, r)),
      calls: [...state.calls.values()].map(({ participant: _, ...call }) => call),
    };
  },
  dispose(state) {
    state.inbound.clear();
    state.outbound.clear();
    state.rules.clear();
    state.calls.clear();
  },
};
