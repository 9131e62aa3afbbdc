// The real server's conflict rules on their own: phone numbers compared normalized, the order in
// which stored and new records are read (which decides the one a message names first), and the
// messages word for word with Go's quoting.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { SIPDispatchRuleInfoSchema, SIPInboundTrunkInfoSchema } from "../../../generated/livekit_sip_pb.js";
import { goQuote, goQuoteList } from "../../../src/shared/go-quote.js";
import { normalizeNumber, ruleConflict, trunkConflict, withNew } from "../../../src/state/sip/sip-conflicts.js";

const trunk = (id: string, numbers: string[], allowedNumbers: string[] = []) =>
  create(SIPInboundTrunkInfoSchema, { sipTrunkId: id, numbers, allowedNumbers });
const directRule = (id: string, name: string, pin: string, trunkIds: string[] = []) =>
  create(SIPDispatchRuleInfoSchema, {
    sipDispatchRuleId: id,
    name,
    trunkIds,
    rule: { rule: { case: "dispatchRuleDirect", value: { roomName: "r", pin } } },
  });

describe("phone numbers and Go's quoting", () => {
  test("a number loses its formatting and gains a leading plus; anything else is left as it is", () => {
    assert.equal(normalizeNumber("1 (555) 010-0200"), "+15550100200");
    assert.equal(normalizeNumber("+1 555"), "+1555");
    assert.equal(normalizeNumber("sip-user"), "sip-user");
    assert.equal(normalizeNumber(""), "");
  });

  test("%q escapes quotes, backslashes and control characters and keeps printable text", () => {
    assert.equal(goQuote('a"b\\c'), '"a\\"b\\\\c"');
    assert.equal(goQuote("tab\there\n"), '"tab\\there\\n"');
    assert.equal(goQuote("\u0001\u007f"), '"\\x01\\x7f"');
    assert.equal(goQuote("café ☎"), '"café ☎"');
    assert.equal(goQuote("\u200b"), '"\\u200b"');
    assert.equal(goQuoteList(["+1", "+2"]), '["+1" "+2"]');
  });
});

describe("the order records are read in", () => {
  test("a new record comes second among the stored ones, or alone", () => {
    assert.deepEqual(withNew([], "new"), ["new"]);
    assert.deepEqual(withNew(["a"], "new"), ["a", "new"]);
    assert.deepEqual(withNew(["a", "b", "c"], "new"), ["a", "new", "b", "c"]);
  });
});

describe("conflicting inbound trunks", () => {
  test("two trunks on the same number without allowed numbers conflict; the later one read is named first", () => {
    assert.equal(
      trunkConflict([trunk("ST_a", ["+1"]), trunk("", ["1"])]),
      'Conflicting inbound SIP Trunks: "<new>" and "ST_a", using the same number(s) ["1"] without AllowedNumbers set',
    );
    assert.equal(
      trunkConflict([trunk("", []), trunk("ST_a", [])]),
      'Conflicting inbound SIP Trunks: "ST_a" and "<new>", using the same number(s) <any> without AllowedNumbers set',
    );
  });

  test("allowed numbers split a number between trunks, unless two allow the same caller", () => {
    assert.equal(trunkConflict([trunk("ST_a", ["+1"]), trunk("", ["+1"], ["+2"])]), undefined);
    assert.equal(
      trunkConflict([trunk("ST_a", ["+1"], ["+2"]), trunk("", ["+1"], ["2"])]),
      'Conflicting inbound SIP Trunks: "<new>" and "ST_a", using the same number(s) ["+1"] and AllowedNumber "2"',
    );
  });

  test("a trunk never conflicts with itself, as an updated trunk standing in for its old self", () => {
    assert.equal(trunkConflict([trunk("ST_a", ["+1"]), trunk("ST_a", ["+1"])]), undefined);
  });
});

describe("conflicting dispatch rules", () => {
  test("the same PIN for the same trunks and numbers conflicts, naming the rule read first", () => {
    assert.deepEqual(ruleConflict([directRule("SDR_a", "first", "42"), directRule("", "second", "42")]), {
      conflict:
        'Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "SDR_a" "first"',
    });
    assert.deepEqual(ruleConflict([directRule("SDR_a", "", "42"), directRule("", "x", "42")]), {
      conflict:
        'Dispatch rule for the same trunk, inbound number, number, and PIN combination already exists in dispatch rule "SDR_a" "<blank name>"',
    });
  });

  test("another PIN or another trunk is no conflict, and a rule of no kind is refused", () => {
    assert.equal(ruleConflict([directRule("SDR_a", "a", "42"), directRule("", "b", "43")]), undefined);
    assert.equal(ruleConflict([directRule("SDR_a", "a", "42"), directRule("", "b", "42", ["ST_t"])]), undefined);
    assert.deepEqual(ruleConflict([directRule("SDR_a", "a", "42"), create(SIPDispatchRuleInfoSchema, { rule: {} })]), {
      unsupported: true,
    });
  });
});
