// Per-RPC cases: every key of the five services the original registers, empty and fully
// populated, in both codecs, and the auth outcomes (no token, wrong secret, each missing grant,
// room mismatches, the empty-room skip).
import { create, toBinary, type Message } from "@bufbuild/protobuf";
import { methodStubs } from "../../../generated/mock/index.js";
import type { MethodStub } from "../../../src/twirp/method-stub.js";
import { compilePopulatePlan, populate } from "../../../src/twirp/populate.js";
import { allGrants, twirpCase } from "./case-builder.js";
import type { ParityCase } from "./parity-case.js";
import { sampleRequest } from "./sample-request.js";

/** The services the original test server registers handlers for (docs/spec/twirp.md#registered-methods). */
export const registeredServices = ["livekit.RoomService", "livekit.Egress", "livekit.Ingress", "livekit.SIP", "livekit.Connector"] as const;

export function registeredStubs(): MethodStub[] {
  return methodStubs.filter((s) => (registeredServices as readonly string[]).includes(s.key.split("/")[0]!));
}

export function unregisteredStubs(): MethodStub[] {
  return methodStubs.filter((s) => !(registeredServices as readonly string[]).includes(s.key.split("/")[0]!));
}

export function rpcCases(): ParityCase[] {
  const cases: ParityCase[] = [];
  for (const stub of registeredStubs()) {
    const { key } = stub;
    const required = stub.grant.enforced ? stub.grant.required : [];
    const exactly = { grants: required };
    const sample = sampleRequest(stub.method.input);

    cases.push(
      twirpCase({ id: `${key} json {}`, group: "every registered RPC, empty request", key, request: {}, token: exactly }),
      twirpCase({ id: `${key} protobuf empty`, group: "every registered RPC, empty request", key, codec: "binary", token: exactly }),
      twirpCase({
        id: `${key} json every field set`,
        group: "every registered RPC, every request field set",
        key,
        request: sample,
        token: exactly,
      }),
      twirpCase({
        id: `${key} protobuf every field set`,
        group: "every registered RPC, every request field set",
        key,
        codec: "binary",
        request: sample,
        token: exactly,
      }),
      twirpCase({ id: `${key} no token`, group: "auth per RPC", key, request: {}, token: null, tags: ["auth:no-token"] }),
      twirpCase({ id: `${key} wrong secret`, group: "auth per RPC", key, request: {}, token: { ...exactly, secret: "not-the-secret" } }),
    );
    for (const grant of required) {
      cases.push(
        twirpCase({
          id: `${key} token lacks ${grant}`,
          group: "auth per RPC",
          key,
          request: sample,
          token: { grants: allGrants.filter((g) => g !== grant) },
          tags: ["auth:missing-grant"],
        }),
      );
    }
    if (stub.grant.enforced && stub.grant.roomScope !== "none") {
      cases.push(
        twirpCase({
          id: `${key} token for another room`,
          group: "auth per RPC",
          key,
          request: sample,
          token: { grants: required, room: "room-z" },
          tags: ["auth:room-mismatch"],
        }),
        twirpCase({
          id: `${key} empty request room, token for a room`,
          group: "auth per RPC",
          key,
          request: {},
          token: { grants: required, room: "room-z", destinationRoom: "room-y" },
        }),
      );
    }
    if (stub.grant.enforced && stub.grant.roomScope === "room-and-destination") {
      cases.push(
        twirpCase({
          id: `${key} token for another destination room`,
          group: "auth per RPC",
          key,
          request: sample,
          token: { grants: required, destinationRoom: "room-y" },
          tags: ["auth:room-mismatch"],
        }),
      );
    }
  }
  return cases;
}

/**
 * RPCs the original does not register: it answers an empty success (AgentDispatch after its
 * roomAdmin check); ours populates them like their siblings (docs/spec/twirp.md#registered-methods).
 * `service:unregistered` marks the cases where that makes the answers differ: a reply ours
 * populates with something, and AgentDispatch's room check, which the original lacks.
 */
export function unregisteredCases(): ParityCase[] {
  const group = "RPCs the original does not register";
  const cases: ParityCase[] = [];
  for (const stub of unregisteredStubs()) {
    const { key } = stub;
    const enforced = stub.grant.enforced;
    const required = enforced ? stub.grant.required : [];
    const sample = sampleRequest(stub.method.input);
    const empty = create(stub.method.input);
    const differs = (request: Message): string[] => (populatesSomething(stub, request) ? ["service:unregistered"] : []);
    cases.push(
      twirpCase({ id: `${key} json {}`, group, key, request: {}, token: { grants: required }, tags: differs(empty) }),
      twirpCase({ id: `${key} json every field set`, group, key, request: sample, token: { grants: required }, tags: differs(sample) }),
      twirpCase({
        id: `${key} protobuf every field set`,
        group,
        key,
        codec: "binary",
        request: sample,
        token: { grants: required },
        tags: differs(sample),
      }),
      twirpCase({
        id: `${key} no token`,
        group,
        key,
        request: {},
        token: null,
        tags: ["auth:no-token", ...(enforced ? [] : differs(empty))],
      }),
    );
    if (enforced) {
      cases.push(
        twirpCase({
          id: `${key} token lacks roomAdmin`,
          group,
          key,
          request: sample,
          token: { grants: ["video.roomCreate"] },
          tags: ["auth:missing-grant"],
        }),
        twirpCase({
          id: `${key} token for another room`,
          group,
          key,
          request: sample,
          token: { grants: required, room: "room-z" },
          tags: ["service:unregistered", "auth:room-mismatch"],
        }),
      );
    }
  }
  return cases;
}

function populatesSomething(stub: MethodStub, request: Message): boolean {
  const response = populate(compilePopulatePlan(stub.method.output, stub.method.input), request);
  return toBinary(stub.method.output, response).length > 0;
}
