// SIP sequences of the stateful parity matrix: inbound and outbound trunks and dispatch rules
// created, listed with filters, read, updated and deleted; every conflict and validation error
// the real server gives; the checks CreateSIPParticipant and TransferSIPParticipant make before
// they reach a SIP worker. Records are named per case and referred to by the names the runner
// gives their ids (`<ST_#1>`), so a case reads the same on both servers.
import type { JsonObject } from "@bufbuild/protobuf";
import { admin, call, type Grant, type StatefulCase, type Step } from "./stateful-case.js";

const group = "SIP";
const sipAdmin: Grant = { admin: true };
const sipCall: Grant = { call: true };

const sip = (method: string): string => `livekit.SIP/${method}`;

/** A SIP call authorised as the SDKs authorise it: trunks and rules with `admin`, calls with `call`. */
function sipStep(method: string, body: JsonObject, grant: Grant = sipAdmin, video: Grant = {}): Step {
  return { kind: "call", key: sip(method), body, grant: video, sip: grant };
}

export function sipCases(): StatefulCase[] {
  return [
    {
      id: "sip: inbound trunks created, listed, read, updated and deleted",
      group,
      steps: [
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "in-a", numbers: ["+15550001"], metadata: "first" } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "in-b", numbers: ["+15550002"], allowedAddresses: ["10.0.0.1"] } }),
        sipStep("ListSIPInboundTrunk", {}),
        sipStep("ListSIPInboundTrunk", { numbers: ["+15550002"] }),
        sipStep("ListSIPInboundTrunk", { numbers: ["1 555 0001"] }),
        sipStep("ListSIPInboundTrunk", { trunkIds: ["<ST_#1>", "ST_unknown12345"] }),
        sipStep("ListSIPInboundTrunk", { numbers: ["+19990000"] }),
        sipStep("GetSIPInboundTrunk", { sipTrunkId: "<ST_#1>" }),
        sipStep("UpdateSIPInboundTrunk", {
          sipTrunkId: "<ST_#1>",
          update: { name: "in-a2", metadata: "second", numbers: { add: ["+15550003"] } },
        }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "<ST_#2>", replace: { name: "in-b2", authUsername: "u", authPassword: "p" } }),
        sipStep("GetSIPInboundTrunk", { sipTrunkId: "<ST_#2>" }),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#1>" }),
        sipStep("ListSIPInboundTrunk", {}),
        sipStep("GetSIPInboundTrunk", { sipTrunkId: "<ST_#1>" }),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#1>" }),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#2>" }),
        sipStep("ListSIPInboundTrunk", {}),
      ],
    },
    {
      // Each conflict is tried with one stored trunk in sight: with more, which of two the message
      // names first depends on the order of the real server's random ids.
      id: "sip: inbound trunk conflicts and validation",
      group,
      steps: [
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "conflict-a", numbers: ["+15551001"] } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "conflict-b", numbers: ["+15551001"] } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "conflict-c", numbers: ["1 (555) 1001"] } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "conflict-d", numbers: ["+15551001"], allowedNumbers: ["+1777"] } }),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#1>" }),
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "conflict-e", numbers: ["+15551001"], allowedNumbers: ["1777"] } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "open", allowedAddresses: ["10.0.0.0/8"] } }),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#2>" }),
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "open-2", authUsername: "user", authPassword: "pass" } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "insecure" } }),
        sipStep("CreateSIPInboundTrunk", {}),
        sipStep("CreateSIPInboundTrunk", { trunk: { sipTrunkId: "ST_given123456", numbers: ["+15551002"] } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { numbers: ["+15551003"], headers: { "Call-ID": "x" } } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { numbers: ["+15551003"], headers: { "X-Bad Name": "x" } } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { numbers: ["+15551003"], headers: { "X-Ok": "caf\u00e9\u0001" } } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { numbers: ["+15551003"], headersToAttributes: { "X-\u00e9": "a" } } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { numbers: ["+15551003"], media: { mediaTimeout: "3600s" } } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { numbers: ["+15551003"], media: { codecs: [{ name: "PCMU/8000" }] } } }),
        sipStep("ListSIPInboundTrunk", {}),
        sipStep("GetSIPInboundTrunk", {}),
        sipStep("GetSIPInboundTrunk", { sipTrunkId: "ST_missing12345" }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "ST_missing12345", update: { name: "x" } }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "<ST_#3>" }),
        sipStep("UpdateSIPInboundTrunk", { update: { name: "x" } }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "<ST_#3>", update: { numbers: { set: [] } } }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "<ST_#3>", update: { numbers: { clear: true, add: ["+1"] } } }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "<ST_#3>", update: { media: { mediaTimeout: "-1s" } } }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "<ST_#3>", update: { allowedAddresses: { clear: true } } }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "<ST_#3>", replace: { name: "no-security" } }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "<ST_#3>", replace: { sipTrunkId: "ST_other1234567", numbers: ["+1"] } }),
        sipStep("DeleteSIPTrunk", {}),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "ST_missing12345" }),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#3>" }),
        sipStep("ListSIPInboundTrunk", {}),
      ],
    },
    {
      // The server picks the stored trunks to compare by the updated trunk's new numbers, among
      // which its old self is not: moving a trunk onto another's number is not refused.
      id: "sip: an update that moves an inbound trunk onto another's number",
      group,
      steps: [
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "move-a", numbers: ["+15554001"] } }),
        sipStep("CreateSIPInboundTrunk", { trunk: { name: "move-b", numbers: ["+15554002"] } }),
        sipStep("UpdateSIPInboundTrunk", { sipTrunkId: "<ST_#2>", update: { numbers: { set: ["+15554001"] } } }),
        sipStep("ListSIPInboundTrunk", { numbers: ["+15554001"] }),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#1>" }),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#2>" }),
      ],
    },
    {
      id: "sip: outbound trunks created, listed, read, updated and deleted",
      group,
      steps: [
        sipStep("CreateSIPOutboundTrunk", { trunk: { name: "out-a", address: "sip.example.com", numbers: ["+15552001"] } }),
        sipStep("CreateSIPOutboundTrunk", {
          trunk: { name: "out-b", address: "10.0.0.2:5060", numbers: ["+15552001", "+15552002"], transport: "SIP_TRANSPORT_TCP" },
        }),
        sipStep("ListSIPOutboundTrunk", {}),
        sipStep("ListSIPOutboundTrunk", { numbers: ["+15552002"] }),
        sipStep("ListSIPOutboundTrunk", { trunkIds: ["<ST_#1>"] }),
        sipStep("GetSIPOutboundTrunk", { sipTrunkId: "<ST_#2>" }),
        sipStep("UpdateSIPOutboundTrunk", { sipTrunkId: "<ST_#1>", update: { address: "other.example.com", name: "out-a2" } }),
        sipStep("UpdateSIPOutboundTrunk", {
          sipTrunkId: "<ST_#2>",
          replace: { name: "out-b2", address: "x.example.com", numbers: ["+1"] },
        }),
        sipStep("UpdateSIPOutboundTrunk", { sipTrunkId: "<ST_#2>", update: { numbers: { clear: true } } }),
        sipStep("UpdateSIPOutboundTrunk", { sipTrunkId: "ST_missing12345", update: { name: "x" } }),
        sipStep("GetSIPOutboundTrunk", { sipTrunkId: "ST_missing12345" }),
        sipStep("GetSIPInboundTrunk", { sipTrunkId: "<ST_#1>" }),
        sipStep("CreateSIPOutboundTrunk", { trunk: { name: "no-numbers", address: "sip.example.com" } }),
        sipStep("CreateSIPOutboundTrunk", { trunk: { name: "no-address", numbers: ["+1"] } }),
        sipStep("CreateSIPOutboundTrunk", { trunk: { name: "uri", address: "sip:user@example.com", numbers: ["+1"] } }),
        sipStep("CreateSIPOutboundTrunk", { trunk: { name: "transport", address: "example.com;transport=tcp", numbers: ["+1"] } }),
        sipStep("CreateSIPOutboundTrunk", {}),
        sipStep("ListSIPTrunk", {}),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#1>" }),
        sipStep("ListSIPOutboundTrunk", {}),
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#2>" }),
        sipStep("ListSIPOutboundTrunk", {}),
      ],
    },
    {
      id: "sip: dispatch rules created, listed, updated and deleted, and a repeated PIN",
      group,
      steps: [
        sipStep("CreateSIPDispatchRule", {
          dispatchRule: { name: "rule-a", rule: { dispatchRuleDirect: { roomName: "sip-room", pin: "1234" } } },
        }),
        sipStep("CreateSIPDispatchRule", {
          dispatchRule: { name: "rule-b", rule: { dispatchRuleDirect: { roomName: "other", pin: "1234" } } },
        }),
        sipStep("CreateSIPDispatchRule", { dispatchRule: { name: "rule-empty", rule: {} } }),
        sipStep("CreateSIPDispatchRule", {
          dispatchRule: { name: "rule-c", trunkIds: ["ST_trunk1234567"], rule: { dispatchRuleDirect: { roomName: "other", pin: "1234" } } },
        }),
        sipStep("CreateSIPDispatchRule", {
          dispatchRule: {
            name: "rule-d",
            rule: { dispatchRuleIndividual: { roomPrefix: "call-", pin: "9" } },
            mediaEncryption: "SIP_MEDIA_ENCRYPT_ALLOW",
          },
        }),
        sipStep("CreateSIPDispatchRule", {
          name: "rule-legacy",
          rule: { dispatchRuleCallee: { roomPrefix: "callee-", randomize: true } },
          metadata: "m",
        }),
        sipStep("CreateSIPDispatchRule", { dispatchRule: { name: "no-rule" } }),
        sipStep("CreateSIPDispatchRule", {}),
        sipStep("CreateSIPDispatchRule", {
          dispatchRule: { sipDispatchRuleId: "SDR_given12345", rule: { dispatchRuleDirect: { roomName: "r" } } },
        }),
        sipStep("CreateSIPDispatchRule", {
          dispatchRule: { name: "codec", rule: { dispatchRuleDirect: { roomName: "r" } }, media: { codecs: [{ name: "" }] } },
        }),
        sipStep("ListSIPDispatchRule", {}),
        sipStep("ListSIPDispatchRule", { dispatchRuleIds: ["<SDR_#2>", "SDR_unknown1234"] }),
        sipStep("ListSIPDispatchRule", { trunkIds: ["ST_trunk1234567"] }),
        sipStep("ListSIPDispatchRule", { trunkIds: ["ST_other1234567"] }),
        sipStep("UpdateSIPDispatchRule", {
          sipDispatchRuleId: "<SDR_#1>",
          update: { name: "rule-a2", metadata: "changed", attributes: { k: "v" } },
        }),
        sipStep("UpdateSIPDispatchRule", {
          sipDispatchRuleId: "<SDR_#1>",
          update: { attributes: { k: "" }, mediaEncryption: "SIP_MEDIA_ENCRYPT_REQUIRE" },
        }),
        sipStep("UpdateSIPDispatchRule", { sipDispatchRuleId: "<SDR_#3>", update: { mediaEncryption: "SIP_MEDIA_ENCRYPT_REQUIRE" } }),
        sipStep("UpdateSIPDispatchRule", {
          sipDispatchRuleId: "<SDR_#2>",
          replace: { name: "rule-c2", rule: { dispatchRuleDirect: { roomName: "replaced", pin: "4321" } } },
        }),
        sipStep("UpdateSIPDispatchRule", { sipDispatchRuleId: "<SDR_#1>", update: { rule: {} } }),
        sipStep("UpdateSIPDispatchRule", { sipDispatchRuleId: "SDR_missing1234", update: { name: "x" } }),
        sipStep("UpdateSIPDispatchRule", { update: { name: "x" } }),
        sipStep("UpdateSIPDispatchRule", { sipDispatchRuleId: "<SDR_#1>" }),
        sipStep("UpdateSIPDispatchRule", { sipDispatchRuleId: "<SDR_#1>", replace: { name: "no-rule" } }),
        sipStep("UpdateSIPDispatchRule", { sipDispatchRuleId: "<SDR_#1>", replace: { sipDispatchRuleId: "SDR_other123456", rule: {} } }),
        sipStep("UpdateSIPDispatchRule", { sipDispatchRuleId: "<SDR_#1>", update: { trunkIds: {} } }),
        sipStep("DeleteSIPDispatchRule", { sipDispatchRuleId: "<SDR_#1>" }),
        sipStep("DeleteSIPDispatchRule", { sipDispatchRuleId: "<SDR_#1>" }),
        sipStep("DeleteSIPDispatchRule", {}),
        sipStep("ListSIPDispatchRule", {}),
        sipStep("DeleteSIPDispatchRule", { sipDispatchRuleId: "<SDR_#2>" }),
        sipStep("DeleteSIPDispatchRule", { sipDispatchRuleId: "<SDR_#3>" }),
        sipStep("DeleteSIPDispatchRule", { sipDispatchRuleId: "<SDR_#4>" }),
        sipStep("ListSIPDispatchRule", {}),
      ],
    },
    {
      id: "sip: what CreateSIPParticipant and TransferSIPParticipant check before a SIP worker",
      group,
      steps: [
        sipStep("CreateSIPOutboundTrunk", { trunk: { name: "calls", address: "sip.example.com", numbers: ["+15553001"] } }),
        sipStep("CreateSIPParticipant", {}, sipCall),
        sipStep("CreateSIPParticipant", { sipTrunkId: "<ST_#1>", roomName: "r" }, sipCall),
        sipStep("CreateSIPParticipant", { sipTrunkId: "<ST_#1>", sipCallTo: "user@example.com", roomName: "r" }, sipCall),
        sipStep("CreateSIPParticipant", { sipTrunkId: "<ST_#1>", sipCallTo: "+15559999" }, sipCall),
        sipStep("CreateSIPParticipant", { sipTrunkId: "ST_missing12345", sipCallTo: "+15559999", roomName: "r" }, sipCall),
        sipStep("CreateSIPParticipant", { trunk: { hostname: "h.example.com" }, sipCallTo: "+15559999", roomName: "r" }, sipCall),
        sipStep("CreateSIPParticipant", { trunk: { hostname: "sip:h.example.com" }, sipCallTo: "+15559999", roomName: "r" }, sipCall),
        sipStep("CreateSIPParticipant", { sipNumber: "+1", sipCallTo: "+15559999", roomName: "r", displayName: 'a"b' }, sipCall),
        sipStep("CreateSIPParticipant", { sipNumber: "+1", sipCallTo: "+15559999", roomName: "r", displayName: "a\\qb" }, sipCall),
        sipStep(
          "CreateSIPParticipant",
          { sipNumber: "+1", sipCallTo: "+15559999", roomName: "r", destination: { country: "us" } },
          sipCall,
        ),
        sipStep(
          "CreateSIPParticipant",
          { sipNumber: "+1", sipCallTo: "+15559999", roomName: "r", destination: { city: "Paris" } },
          sipCall,
        ),
        sipStep("CreateSIPParticipant", { sipNumber: "+1", sipCallTo: "+15559999", roomName: "r", headers: { From: "x" } }, sipCall),
        sipStep("TransferSIPParticipant", {}, sipCall, admin("r")),
        sipStep("TransferSIPParticipant", { roomName: "sip-transfer" }, sipCall, admin("sip-transfer")),
        sipStep("TransferSIPParticipant", { roomName: "sip-transfer", participantIdentity: "nobody" }, sipCall, admin("sip-transfer")),
        sipStep(
          "TransferSIPParticipant",
          { roomName: "sip-transfer", participantIdentity: "nobody", transferTo: "http://x" },
          sipCall,
          admin("sip-transfer"),
        ),
        sipStep(
          "TransferSIPParticipant",
          { roomName: "sip-transfer", participantIdentity: "nobody", transferTo: "tel:+15550000" },
          sipCall,
          admin("sip-transfer"),
        ),
        { kind: "join", as: "caller", room: "sip-transfer", identity: "caller" },
        sipStep(
          "TransferSIPParticipant",
          { roomName: "sip-transfer", participantIdentity: "caller", transferTo: "sip:+15550000@example.com" },
          sipCall,
          admin("sip-transfer"),
        ),
        call("livekit.RoomService/DeleteRoom", { room: "sip-transfer" }, { roomCreate: true }),
        { kind: "ended", as: "caller" },
        sipStep("DeleteSIPTrunk", { sipTrunkId: "<ST_#1>" }),
      ],
    },
  ];
}
