// The conflicts the real server refuses between inbound trunks (two trunks answering the same
// number for the same callers) and between dispatch rules (the same trunk, numbers and PIN), with
// its messages (livekit protocol's sip/sip.go ValidateTrunksIter and ValidateDispatchRulesIter;
// docs/spec/stateful.md#sip-trunk-conflicts).
// The records are checked in the order the server reads them, which decides which of two
// conflicting records the message names first.
import type { SIPDispatchRuleInfo, SIPInboundTrunkInfo } from "../../../generated/livekit_sip_pb.js";
import { goQuote, goQuoteList } from "../../shared/go-quote.js";

const numberShape = /^\+?[\d\- ()]+$/;

/** livekit.NormalizeNumber: a phone number without formatting, with a leading `+`. */
export function normalizeNumber(num: string): string {
  if (num === "" || !numberShape.test(num)) return num;
  const digits = num.replace(/[ \-()]/g, "");
  return digits.startsWith("+") ? digits : `+${digits}`;
}

/**
 * The stored records (sorted by id) with a new one, as iters.MultiIter reads the two: it
 * alternates between them, so the new record comes second (first when nothing is stored).
 */
export function withNew<T>(stored: readonly T[], added: T): T[] {
  return stored.length === 0 ? [added] : [stored[0]!, added, ...stored.slice(1)];
}

function printId(id: string): string {
  return goQuote(id === "" ? "<new>" : id);
}

function printNumbers(numbers: readonly string[]): string {
  return numbers.length === 0 ? "<any>" : goQuoteList(numbers);
}

/** The first conflict among inbound trunks read in this order, as the server words it. */
export function trunkConflict(trunks: readonly SIPInboundTrunkInfo[]): string | undefined {
  // By called number (normalized; "" for trunks without numbers), then by calling number ("" for any).
  const buckets = new Map<string, Map<string, SIPInboundTrunkInfo>>();
  for (const trunk of trunks) {
    const keys = trunk.numbers.length === 0 ? [""] : [...new Set(trunk.numbers.map(normalizeNumber))];
    for (const key of keys) {
      let byCaller = buckets.get(key);
      if (byCaller === undefined) buckets.set(key, (byCaller = new Map()));
      const problem = callerConflict(byCaller, trunk);
      if (problem !== undefined) return problem;
    }
  }
  return undefined;
}

function callerConflict(byCaller: Map<string, SIPInboundTrunkInfo>, trunk: SIPInboundTrunkInfo): string | undefined {
  if (trunk.allowedNumbers.length === 0) {
    const other = byCaller.get("");
    if (other !== undefined && other.sipTrunkId !== trunk.sipTrunkId) {
      return `Conflicting inbound SIP Trunks: ${printId(trunk.sipTrunkId)} and ${printId(other.sipTrunkId)}, using the same number(s) ${printNumbers(trunk.numbers)} without AllowedNumbers set`;
    }
    byCaller.set("", trunk);
    return undefined;
  }
  const seen = new Set<string>();
  for (const num of trunk.allowedNumbers) {
    const key = normalizeNumber(num);
    if (seen.has(key)) continue;
    seen.add(key);
    const other = byCaller.get(key);
    if (other !== undefined && other.sipTrunkId !== trunk.sipTrunkId) {
      return `Conflicting inbound SIP Trunks: ${printId(trunk.sipTrunkId)} and ${printId(other.sipTrunkId)}, using the same number(s) ${printNumbers(trunk.numbers)} and AllowedNumber ${goQuote(num)}`;
    }
    byCaller.set(key, trunk);
  }
  return undefined;
}

/** A dispatch rule's PIN; undefined for a rule of no kind the server knows. */
export function rulePin(info: SIPDispatchRuleInfo): string | undefined {
  const rule = info.rule?.rule;
  return rule?.case === undefined ? undefined : rule.value.pin;
}

/** The psrpc error of a rule of no kind (GetPinAndRoom), in Go's `%T` of a nil rule. */
export const unsupportedRule = "unsupported SIP Dispatch Rule: <nil>";

/**
 * The first problem among dispatch rules read in this order: a rule of no kind, or two rules
 * for the same trunk, inbound number, number and PIN.
 */
export function ruleConflict(
  rules: readonly SIPDispatchRuleInfo[],
): { readonly unsupported: true } | { readonly conflict: string } | undefined {
  const byKey = new Map<string, SIPDispatchRuleInfo>();
  for (const rule of rules) {
    const pin = rulePin(rule);
    if (pin === undefined) return { unsupported: true };
    // A rule without trunks or numbers matches them all, and collides only with others like it.
    const trunks = rule.trunkIds.length === 0 ? [""] : rule.trunkIds;
    const inbound = rule.inboundNumbers.length === 0 ? [""] : rule.inboundNumbers;
    const numbers = rule.numbers.length === 0 ? [""] : rule.numbers;
    for (const trunk of trunks) {
      for (const inboundNumber of inbound) {
        for (const number of numbers) {
          const key = JSON.stringify([pin, trunk, normalizeNumber(inboundNumber), normalizeNumber(number)]);
          const other = byKey.get(key);
          if (other !== undefined) {
            const name = other.name === "" ? "<blank name>" : other.name;
            return {
              conflict: `Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule ${printId(other.sipDispatchRuleId)} ${goQuote(name)}`,
            };
          }
          byKey.set(key, rule);
        }
      }
    }
  }
  return undefined;
}
