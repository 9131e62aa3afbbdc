// What a world holds of SIP, bounded: past the limit a new trunk or rule is refused with
// resource_exhausted and the world keeps what it had.
import assert from "node:assert/strict";
import { test } from "node:test";
import { create } from "@bufbuild/protobuf";
import {
  CreateSIPDispatchRuleRequestSchema,
  CreateSIPInboundTrunkRequestSchema,
  CreateSIPOutboundTrunkRequestSchema,
  ListSIPTrunkRequestSchema,
  type ListSIPTrunkResponse,
} from "../../../generated/livekit_sip_pb.js";
import { isStateError } from "../../../src/state/state-error.js";
import { defaultWorldLimits } from "../../../src/state/world-limits.js";
import { createStateStore } from "../../../src/state/world-store.js";

const cause = { region: "region-0" };

test("a world holds sipRecordsPerWorld trunks and rules together, and refuses one more without changing", async () => {
  const store = createStateStore({
    serverWide: undefined,
    notifier: {
      destination: () => undefined as never,
      notify: async () => [],
      notifyCall: async () => [],
      participantSession: () => ({ joined() {}, ended() {} }),
      close() {},
    },
    defaultWebhooks: undefined,
    log: { requestsEnabled: false, request() {}, info() {}, error() {} },
    limits: { ...defaultWorldLimits, sipRecordsPerWorld: 2 },
  });
  const answer = (key: string, request: Parameters<typeof store.answer>[2]) => store.answer("k", `livekit.SIP/${key}`, request, cause);
  await answer("CreateSIPInboundTrunk", create(CreateSIPInboundTrunkRequestSchema, { trunk: { numbers: ["+1"] } }));
  await answer("CreateSIPOutboundTrunk", create(CreateSIPOutboundTrunkRequestSchema, { trunk: { numbers: ["+1"], address: "h" } }));
  await assert.rejects(
    answer(
      "CreateSIPDispatchRule",
      create(CreateSIPDispatchRuleRequestSchema, { rule: { rule: { case: "dispatchRuleDirect", value: { roomName: "r" } } } }),
    ),
    (err) => isStateError(err) && err.code === "resource_exhausted" && /holds 2 SIP trunks and dispatch rules/.test(err.message),
  );
  await assert.rejects(
    answer("CreateSIPOutboundTrunk", create(CreateSIPOutboundTrunkRequestSchema, { trunk: { numbers: ["+2"], address: "h" } })),
    (err) => isStateError(err) && err.code === "resource_exhausted",
  );
  const listed = (await answer("ListSIPTrunk", create(ListSIPTrunkRequestSchema))) as ListSIPTrunkResponse;
  assert.equal(listed.items.length, 2);
  store.close();
});
