// The real server's checks on SIP records and calls, on their own: headers, host names, media
// configs, list updates, a call's display name and destination, a transfer's target.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { create } from "@bufbuild/protobuf";
import { ListUpdateSchema } from "../../../generated/livekit_models_pb.js";
import {
  CreateSIPParticipantRequestSchema,
  SIPInboundTrunkInfoSchema,
  SIPMediaConfigSchema,
  SIPOutboundTrunkInfoSchema,
} from "../../../generated/livekit_sip_pb.js";
import {
  createParticipantProblem,
  headersProblem,
  inboundTrunkProblem,
  listUpdateProblem,
  mediaProblem,
  outboundTrunkProblem,
  transferProblem,
} from "../../../src/state/sip/sip-validation.js";

const call = (fields: Record<string, unknown>) =>
  create(CreateSIPParticipantRequestSchema, { sipNumber: "+1", sipCallTo: "+2", roomName: "r", ...fields });

describe("SIP headers", () => {
  test("a header name is a token, not one the server sets itself, and a value printable text of 1024 bytes at most", () => {
    assert.equal(headersProblem({ "X-Fine": "value with spaces\tand tabs", "X-Utf8": "café" }), undefined);
    assert.equal(headersProblem({ "": "v" }), "invalid header name: header name cannot be empty");
    assert.equal(headersProblem({ cseq: "1" }), "invalid header name: header name cseq not supported");
    assert.equal(
      headersProblem({ "X-é": "v" }),
      "invalid header name: header name X-é contains invalid characters: char 233 out of range, consider explicilty adding utf8 characters",
    );
    assert.equal(headersProblem({ "X-A": "\u0000" }), "invalid header value for X-A: header X-A: value: char 0 not allowed");
    assert.equal(
      headersProblem({ "X-A": "v".repeat(1025) }),
      "invalid header value for X-A: header X-A: value too long (max 1024 characters)",
    );
  });
});

describe("SIP records", () => {
  test("an inbound trunk names who may call it; an outbound trunk has numbers and a host name", () => {
    assert.match(inboundTrunkProblem(create(SIPInboundTrunkInfoSchema, {}))!, /^for security, one of the fields must be set/);
    assert.equal(inboundTrunkProblem(create(SIPInboundTrunkInfoSchema, { authPassword: "p" })), undefined);
    assert.equal(
      outboundTrunkProblem(create(SIPOutboundTrunkInfoSchema, { numbers: ["+1"], address: "h", fromHost: "a@b" })),
      "from_host should be a hostname or IP, not SIP URI",
    );
  });

  test("a media config's codecs have plain names and its timeout lies within ten minutes", () => {
    assert.equal(mediaProblem(create(SIPMediaConfigSchema, { codecs: [{ name: "PCMU" }], mediaTimeout: { seconds: 600n } })), undefined);
    assert.equal(mediaProblem(create(SIPMediaConfigSchema, { codecs: [{ name: "a b" }] })), "invalid codec name");
    assert.equal(
      mediaProblem(create(SIPMediaConfigSchema, { mediaTimeout: { seconds: 600n, nanos: 1 } })),
      "media_timeout must not exceed 10m0s",
    );
  });

  test("a list update sets, or adds and removes, or clears, with no empty element", () => {
    assert.equal(listUpdateProblem(create(ListUpdateSchema, { add: ["a"], remove: ["b"] })), undefined);
    assert.equal(
      listUpdateProblem(create(ListUpdateSchema, { set: ["a"], add: ["b"] })),
      "cannot set and change the list at the same time",
    );
    assert.equal(listUpdateProblem(create(ListUpdateSchema, { add: [""] })), "empty element in the list");
  });
});

describe("SIP calls", () => {
  test("a display name reads as a Go quoted string of 128 bytes at most", () => {
    assert.equal(createParticipantProblem(call({ displayName: "Jane \\u00e9 \\x41 \\101" })), undefined);
    assert.equal(createParticipantProblem(call({ displayName: "bad \\q" })), "DisplayName must be a valid quoted string: invalid syntax");
    assert.equal(createParticipantProblem(call({ displayName: "\\ud800" })), "DisplayName must be a valid quoted string: invalid syntax");
    assert.equal(createParticipantProblem(call({ displayName: "d".repeat(129) })), "DisplayName too long (max 128 characters)");
  });

  test("a destination's country is an upper-case code the server's region list calls a country", () => {
    assert.equal(createParticipantProblem(call({ destination: { country: "FR", city: "Paris" } })), undefined);
    assert.equal(createParticipantProblem(call({ destination: { country: "UK" } })), undefined);
    assert.match(createParticipantProblem(call({ destination: { country: "ZZ" } }))!, /^country must be a valid ISO 3166-1 alpha-2 code/);
    assert.match(createParticipantProblem(call({ destination: { country: "fr" } }))!, /^country must be a valid ISO 3166-1 alpha-2 code/);
  });

  test("a transfer goes to a SIP URI, put in angle brackets, or a TEL URI, left bare", () => {
    const transfer = (transferTo: string) => transferProblem({ roomName: "r", participantIdentity: "p", transferTo, headers: {} });
    assert.deepEqual(transfer("sip:a@b"), { transferTo: "<sip:a@b>" });
    assert.deepEqual(transfer("<sips:a@b>"), { transferTo: "<sips:a@b>" });
    assert.deepEqual(transfer("<tel:+1>"), { transferTo: "tel:+1" });
    assert.deepEqual(transfer("mailto:a@b"), { problem: "transfer_to must be a valid SIP(s) or TEL URI (sip:, sips: or tel:)" });
  });
});
