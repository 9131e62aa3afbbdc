// SIP trunks answered from a world, with the real server's checks in its order and its errors
// word for word (livekit-server v1.13.5 pkg/service/sip.go; docs/spec/stateful.md#sip-trunks): a
// validation problem is a Twirp invalid_argument, a missing trunk not_found, a conflict between
// inbound trunks invalid_argument; what the server only finds once an update is applied reaches
// the client as it returns it (a psrpc error with twirp's prefix, any other error as `unknown`).
import { create, type Message } from "@bufbuild/protobuf";
import {
  GetSIPInboundTrunkResponseSchema,
  GetSIPOutboundTrunkResponseSchema,
  ListSIPInboundTrunkResponseSchema,
  ListSIPOutboundTrunkResponseSchema,
  ListSIPTrunkResponseSchema,
  SIPTrunkInfoSchema,
  type CreateSIPInboundTrunkRequest,
  type CreateSIPOutboundTrunkRequest,
  type DeleteSIPTrunkRequest,
  type GetSIPInboundTrunkRequest,
  type GetSIPOutboundTrunkRequest,
  type ListSIPInboundTrunkRequest,
  type ListSIPOutboundTrunkRequest,
  type ListSIPTrunkRequest,
  type SIPInboundTrunkInfo,
  type SIPOutboundTrunkInfo,
  type UpdateSIPInboundTrunkRequest,
  type UpdateSIPOutboundTrunkRequest,
} from "../../../generated/livekit_sip_pb.js";
import { newEventId } from "../../webhooks/event-id.js";
import { serviceError, StateError } from "../state-error.js";
import type { StateHandler } from "../world.js";
import { normalizeNumber, trunkConflict, withNew } from "./sip-conflicts.js";
import {
  byTrunkId,
  checkCapacity,
  copyInbound,
  copyOutbound,
  inboundAsTrunkInfo,
  listed,
  outboundAsTrunkInfo,
  type SipState,
} from "./sip-records.js";
import { updatedInbound, updatedOutbound } from "./sip-updates.js";
import { inboundSecurity, inboundTrunkProblem, listUpdateProblem, mediaProblem, outboundTrunkProblem } from "./sip-validation.js";

const invalid = (problem: string): StateError => new StateError("invalid_argument", problem);
const trunkNotFound = (): StateError => new StateError("not_found", "requested sip trunk does not exist");

/** A problem the server finds in a record once an update is applied, returned as it is. */
function appliedProblem(problem: string): StateError {
  return problem === inboundSecurity ? serviceError("invalid_argument", problem) : new StateError("unknown", problem);
}

/** ListSIPInboundTrunkRequest.Filter: by id, and by a number in either form. */
function inboundFilter(trunkIds: readonly string[], numbers: readonly string[]) {
  const normalized = numbers.map(normalizeNumber);
  return (trunk: SIPInboundTrunkInfo): boolean => {
    if (trunkIds.length > 0 && !trunkIds.includes(trunk.sipTrunkId)) return false;
    if (numbers.length === 0 || trunk.numbers.length === 0) return true;
    return trunk.numbers.some((num) => numbers.includes(num) || normalized.includes(normalizeNumber(num)));
  };
}

/** ListSIPOutboundTrunkRequest.Filter: by id, and by a number as written. */
function outboundFilter(trunkIds: readonly string[], numbers: readonly string[]) {
  return (trunk: SIPOutboundTrunkInfo): boolean => {
    if (trunkIds.length > 0 && !trunkIds.includes(trunk.sipTrunkId)) return false;
    return numbers.length === 0 || trunk.numbers.length === 0 || trunk.numbers.some((num) => numbers.includes(num));
  };
}

/** The inbound trunks sharing a number with `numbers`, as the server reads them to look for conflicts. */
function trunksSharing(state: SipState, numbers: readonly string[]): SIPInboundTrunkInfo[] {
  return listed(state.inbound.values(), byTrunkId, undefined, inboundFilter([], numbers));
}

function createInbound(state: SipState, req: CreateSIPInboundTrunkRequest): Message {
  const trunk = req.trunk;
  if (trunk === undefined) throw invalid("missing trunk");
  if (trunk.sipTrunkId !== "") throw invalid("trunk id must not be set");
  const problem = inboundTrunkProblem(trunk);
  if (problem !== undefined) throw invalid(problem);
  const conflict = trunkConflict(withNew(trunksSharing(state, trunk.numbers), trunk));
  if (conflict !== undefined) throw invalid(conflict);
  checkCapacity(state);
  const info = copyInbound(trunk);
  info.sipTrunkId = newEventId("ST_");
  state.inbound.set(info.sipTrunkId, info);
  return copyInbound(info);
}

function createOutbound(state: SipState, req: CreateSIPOutboundTrunkRequest): Message {
  const trunk = req.trunk;
  if (trunk === undefined) throw invalid("missing trunk");
  if (trunk.sipTrunkId !== "") throw invalid("trunk id must not be set");
  const problem = outboundTrunkProblem(trunk);
  if (problem !== undefined) throw invalid(problem);
  checkCapacity(state);
  const info = copyOutbound(trunk);
  info.sipTrunkId = newEventId("ST_");
  state.outbound.set(info.sipTrunkId, info);
  return copyOutbound(info);
}

/** UpdateSIP*TrunkRequest.ValidateResult: the id, the action, and the action's own checks. */
function updateRequestProblem(
  req: UpdateSIPInboundTrunkRequest | UpdateSIPOutboundTrunkRequest,
  replaceProblem: () => string | undefined,
  updateProblem: () => string | undefined,
): string | undefined {
  if (req.sipTrunkId === "") return "trunk id must be set";
  switch (req.action.case) {
    case undefined:
      return "missing or unsupported update action";
    case "replace": {
      const id = req.action.value.sipTrunkId;
      if (id !== "" && id !== req.sipTrunkId) return "trunk id in the info must be empty or match the id in the update";
      return replaceProblem();
    }
    case "update":
      return updateProblem();
  }
}

type Action<T, U> = { case: "replace"; value: T } | { case: "update"; value: U } | { case: undefined; value?: undefined };

/** The stored trunk as the action leaves it: replaced (its id kept), or updated and checked again. */
function acted<T extends { sipTrunkId: string }, U>(
  stored: T,
  action: Action<T, U>,
  copy: (trunk: T) => T,
  update: (stored: T, update: U) => T,
  problemOf: (trunk: T) => string | undefined,
): T {
  if (action.case === "replace") {
    const info = copy(action.value);
    info.sipTrunkId = stored.sipTrunkId;
    return info;
  }
  const info = update(stored, action.value!);
  const problem = problemOf(info);
  if (problem !== undefined) throw appliedProblem(problem);
  return info;
}

function updateInbound(state: SipState, req: UpdateSIPInboundTrunkRequest): Message {
  const { action } = req;
  const problem = updateRequestProblem(
    req,
    () => (action.case === "replace" ? inboundTrunkProblem(action.value) : undefined),
    () => {
      if (action.case !== "update") return undefined;
      const update = action.value;
      return (
        listUpdateProblem(update.numbers) ??
        listUpdateProblem(update.allowedAddresses) ??
        listUpdateProblem(update.allowedNumbers) ??
        mediaProblem(update.media)
      );
    },
  );
  if (problem !== undefined) throw invalid(problem);
  const stored = state.inbound.get(req.sipTrunkId);
  if (stored === undefined) throw trunkNotFound();
  const info = acted(stored, action, copyInbound, updatedInbound, inboundTrunkProblem);
  // The stored trunks are picked by the new numbers, then the updated one stands in for its old self.
  const trunks = trunksSharing(state, info.numbers).map((trunk) => (trunk.sipTrunkId === info.sipTrunkId ? info : trunk));
  const conflict = trunkConflict(trunks);
  if (conflict !== undefined) throw invalid(conflict);
  state.inbound.set(info.sipTrunkId, info);
  return copyInbound(info);
}

function updateOutbound(state: SipState, req: UpdateSIPOutboundTrunkRequest): Message {
  const { action } = req;
  const problem = updateRequestProblem(
    req,
    () => (action.case === "replace" ? outboundTrunkProblem(action.value) : undefined),
    () => (action.case === "update" ? (listUpdateProblem(action.value.numbers) ?? mediaProblem(action.value.media)) : undefined),
  );
  if (problem !== undefined) throw invalid(problem);
  const stored = state.outbound.get(req.sipTrunkId);
  if (stored === undefined) throw trunkNotFound();
  const info = acted(stored, action, copyOutbound, updatedOutbound, outboundTrunkProblem);
  state.outbound.set(info.sipTrunkId, info);
  return copyOutbound(info);
}

function getInbound(state: SipState, req: GetSIPInboundTrunkRequest): Message {
  if (req.sipTrunkId === "") throw invalid("trunk ID is required");
  const trunk = state.inbound.get(req.sipTrunkId);
  if (trunk === undefined) throw trunkNotFound();
  return create(GetSIPInboundTrunkResponseSchema, { trunk: copyInbound(trunk) });
}

function getOutbound(state: SipState, req: GetSIPOutboundTrunkRequest): Message {
  if (req.sipTrunkId === "") throw invalid("trunk ID is required");
  const trunk = state.outbound.get(req.sipTrunkId);
  if (trunk === undefined) throw trunkNotFound();
  return create(GetSIPOutboundTrunkResponseSchema, { trunk: copyOutbound(trunk) });
}

function listInbound(state: SipState, req: ListSIPInboundTrunkRequest): Message {
  const items = listed(state.inbound.values(), byTrunkId, req.page, inboundFilter(req.trunkIds, req.numbers));
  return create(ListSIPInboundTrunkResponseSchema, { items: items.map(copyInbound) });
}

function listOutbound(state: SipState, req: ListSIPOutboundTrunkRequest): Message {
  const items = listed(state.outbound.values(), byTrunkId, req.page, outboundFilter(req.trunkIds, req.numbers));
  return create(ListSIPOutboundTrunkResponseSchema, { items: items.map(copyOutbound) });
}

function listAll(state: SipState, req: ListSIPTrunkRequest): Message {
  const all = [...[...state.inbound.values()].map(inboundAsTrunkInfo), ...[...state.outbound.values()].map(outboundAsTrunkInfo)];
  return create(ListSIPTrunkResponseSchema, { items: listed(all, byTrunkId, req.page) });
}

function deleteTrunk(state: SipState, req: DeleteSIPTrunkRequest): Message {
  if (req.sipTrunkId === "") throw invalid("trunk ID is required");
  // The store deletes the id under every kind of trunk, and a missing one is no error.
  state.inbound.delete(req.sipTrunkId);
  state.outbound.delete(req.sipTrunkId);
  return create(SIPTrunkInfoSchema, { sipTrunkId: req.sipTrunkId });
}

type Handler = StateHandler<SipState>;

export const trunkHandlers: Readonly<Record<string, Handler>> = {
  "livekit.SIP/CreateSIPInboundTrunk": (state, req) => createInbound(state, req as CreateSIPInboundTrunkRequest),
  "livekit.SIP/CreateSIPOutboundTrunk": (state, req) => createOutbound(state, req as CreateSIPOutboundTrunkRequest),
  "livekit.SIP/UpdateSIPInboundTrunk": (state, req) => updateInbound(state, req as UpdateSIPInboundTrunkRequest),
  "livekit.SIP/UpdateSIPOutboundTrunk": (state, req) => updateOutbound(state, req as UpdateSIPOutboundTrunkRequest),
  "livekit.SIP/GetSIPInboundTrunk": (state, req) => getInbound(state, req as GetSIPInboundTrunkRequest),
  "livekit.SIP/GetSIPOutboundTrunk": (state, req) => getOutbound(state, req as GetSIPOutboundTrunkRequest),
  "livekit.SIP/ListSIPInboundTrunk": (state, req) => listInbound(state, req as ListSIPInboundTrunkRequest),
  "livekit.SIP/ListSIPOutboundTrunk": (state, req) => listOutbound(state, req as ListSIPOutboundTrunkRequest),
  "livekit.SIP/ListSIPTrunk": (state, req) => listAll(state, req as ListSIPTrunkRequest),
  "livekit.SIP/DeleteSIPTrunk": (state, req) => deleteTrunk(state, req as DeleteSIPTrunkRequest),
};
