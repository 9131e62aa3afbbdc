// SIP dispatch rules answered from a world, with the real server's checks in its order and its
// errors word for word (livekit-server v1.13.5 pkg/service/sip.go): a rule for the same trunk,
// numbers and PIN as another is refused, a missing rule is not_found
// (docs/spec/stateful.md#sip-dispatch-rules).
import { create, type Message } from "@bufbuild/protobuf";
import {
  ListSIPDispatchRuleResponseSchema,
  SIPDispatchRuleInfoSchema,
  type CreateSIPDispatchRuleRequest,
  type DeleteSIPDispatchRuleRequest,
  type ListSIPDispatchRuleRequest,
  type SIPDispatchRuleInfo,
  type UpdateSIPDispatchRuleRequest,
} from "../../../generated/livekit_sip_pb.js";
import { newEventId } from "../../webhooks/event-id.js";
import { serviceError, StateError } from "../state-error.js";
import type { StateHandler } from "../world.js";
import { ruleConflict, unsupportedRule, withNew } from "./sip-conflicts.js";
import { byRuleId, checkCapacity, copyRule, listed, upgradeMedia, type SipState } from "./sip-records.js";
import { updatedRule } from "./sip-updates.js";
import { dispatchRuleProblem, listUpdateProblem, mediaProblem } from "./sip-validation.js";

const invalid = (problem: string): StateError => new StateError("invalid_argument", problem);
const ruleNotFound = (): StateError => new StateError("not_found", "requested sip dispatch rule does not exist");

/** ListSIPDispatchRuleRequest.Filter: by id, and by a shared trunk (a rule for every trunk passes). */
function ruleFilter(ruleIds: readonly string[], trunkIds: readonly string[]) {
  return (rule: SIPDispatchRuleInfo): boolean => {
    if (ruleIds.length > 0 && !ruleIds.includes(rule.sipDispatchRuleId)) return false;
    return trunkIds.length === 0 || rule.trunkIds.length === 0 || rule.trunkIds.some((id) => trunkIds.includes(id));
  };
}

/** The first problem between `rules`, as the server answers it. */
function checkRules(rules: readonly SIPDispatchRuleInfo[]): void {
  const found = ruleConflict(rules);
  if (found === undefined) return;
  // GetPinAndRoom's psrpc error reaches the client through twirp's prefix; the conflict does not.
  throw "unsupported" in found ? serviceError("invalid_argument", unsupportedRule) : invalid(found.conflict);
}

/** CreateSIPDispatchRuleRequest.DispatchRuleInfo: the rule, or the one its legacy fields describe. */
function ruleOf(req: CreateSIPDispatchRuleRequest): SIPDispatchRuleInfo {
  if (req.dispatchRule !== undefined) {
    const info = copyRule(req.dispatchRule);
    upgradeMedia(info);
    return info;
  }
  return create(SIPDispatchRuleInfoSchema, {
    rule: req.rule,
    trunkIds: [...req.trunkIds],
    inboundNumbers: [...req.inboundNumbers],
    hidePhoneNumber: req.hidePhoneNumber,
    name: req.name,
    metadata: req.metadata,
    attributes: { ...req.attributes },
    roomPreset: req.roomPreset,
    roomConfig: req.roomConfig,
  });
}

function createRule(state: SipState, req: CreateSIPDispatchRuleRequest): Message {
  const info = ruleOf(req);
  if (req.dispatchRule !== undefined && info.sipDispatchRuleId !== "") throw invalid("rule id must not be set");
  const problem = dispatchRuleProblem(info);
  if (problem !== undefined) throw invalid(problem);
  // The stored rules are picked by the request's legacy trunk list, empty for a rule sent whole.
  checkRules(withNew(listed(state.rules.values(), byRuleId, undefined, ruleFilter([], req.trunkIds)), info));
  checkCapacity(state);
  info.sipDispatchRuleId = newEventId("SDR_");
  state.rules.set(info.sipDispatchRuleId, info);
  return copyRule(info);
}

/** UpdateSIPDispatchRuleRequest.Validate. */
function updateProblem(req: UpdateSIPDispatchRuleRequest): string | undefined {
  if (req.sipDispatchRuleId === "") return "rule id must be set";
  const { action } = req;
  switch (action.case) {
    case undefined:
      return "missing or unsupported update action";
    case "replace": {
      const id = action.value.sipDispatchRuleId;
      if (id !== "" && id !== req.sipDispatchRuleId) return "rule id in the info must be empty or match the id in the update";
      return dispatchRuleProblem(action.value);
    }
    case "update":
      return listUpdateProblem(action.value.trunkIds) ?? mediaProblem(action.value.media);
  }
}

function updateRule(state: SipState, req: UpdateSIPDispatchRuleRequest): Message {
  const problem = updateProblem(req);
  if (problem !== undefined) throw invalid(problem);
  const stored = state.rules.get(req.sipDispatchRuleId);
  if (stored === undefined) throw ruleNotFound();
  let info: SIPDispatchRuleInfo;
  if (req.action.case === "replace") {
    info = copyRule(req.action.value);
    info.sipDispatchRuleId = stored.sipDispatchRuleId;
  } else {
    info = updatedRule(stored, req.action.value!);
    const applied = dispatchRuleProblem(info);
    if (applied !== undefined) throw new StateError("unknown", applied);
  }
  // The stored rules are picked by the new trunks, then the updated one stands in for its old self.
  const rules = listed(state.rules.values(), byRuleId, undefined, ruleFilter([], info.trunkIds));
  checkRules(rules.map((rule) => (rule.sipDispatchRuleId === info.sipDispatchRuleId ? info : rule)));
  state.rules.set(info.sipDispatchRuleId, info);
  return copyRule(info);
}

function listRules(state: SipState, req: ListSIPDispatchRuleRequest): Message {
  const items = listed(state.rules.values(), byRuleId, req.page, ruleFilter(req.dispatchRuleIds, req.trunkIds));
  return create(ListSIPDispatchRuleResponseSchema, { items: items.map(copyRule) });
}

function deleteRule(state: SipState, req: DeleteSIPDispatchRuleRequest): Message {
  if (req.sipDispatchRuleId === "") throw invalid("dispatch rule ID is required");
  const stored = state.rules.get(req.sipDispatchRuleId);
  if (stored === undefined) throw ruleNotFound();
  state.rules.delete(req.sipDispatchRuleId);
  return copyRule(stored);
}

type Handler = StateHandler<SipState>;

export const dispatchRuleHandlers: Readonly<Record<string, Handler>> = {
  "livekit.SIP/CreateSIPDispatchRule": (state, req) => createRule(state, req as CreateSIPDispatchRuleRequest),
  "livekit.SIP/UpdateSIPDispatchRule": (state, req) => updateRule(state, req as UpdateSIPDispatchRuleRequest),
  "livekit.SIP/ListSIPDispatchRule": (state, req) => listRules(state, req as ListSIPDispatchRuleRequest),
  "livekit.SIP/DeleteSIPDispatchRule": (state, req) => deleteRule(state, req as DeleteSIPDispatchRuleRequest),
};
