// The Twirp code a failed SIP call reports, per SIP status: as the protocol maps it at each of two
// versions (livekit/sip.go sipCodeToGRPCCode, then utils/xtwirp ErrorCodeFromGRPC), and as the
// mock maps it. A change of the protocol's own mapping is a decision for a maintainer, because the
// mock follows what the published SDK suites assert, which is not always the protocol's table.
import type { DescEnum } from "@bufbuild/protobuf";
import { goFunction, goMapEntries, goSwitchReturns } from "./go-source.js";

/** The two Go files the mapping lives in, at one protocol version. */
export interface SipMappingSources {
  /** livekit/sip.go */
  readonly sipGo: string;
  /** utils/xtwirp/errors.go */
  readonly xtwirpGo: string;
}

export interface SipMappingRow {
  readonly code: number;
  readonly name: string;
  /** The old protocol's Twirp code; undefined when the old enum had no such value. "" is no error. */
  readonly before: string | undefined;
  readonly after: string;
  readonly ours: string;
}

export interface SipMappingComparison {
  /** Every value of the new SIPStatusCode enum but the unknown one. */
  readonly rows: readonly SipMappingRow[];
  /** Where the protocol's mapping moved between the two versions: a maintainer decides. */
  readonly changed: readonly SipMappingRow[];
  /** Where the mock answers other than the new protocol. */
  readonly oursDiffers: readonly SipMappingRow[];
  /** The range rule for codes outside the map (SIPStatus.GRPCStatus) is not the same text. */
  readonly fallbackChanged: boolean;
  /** gRPC codes whose Twirp code (xtwirp ErrorCodeFromGRPC) moved: every error converted by it. */
  readonly twirpOfGrpcChanged: readonly { readonly grpc: string; readonly before: string; readonly after: string }[];
}

export interface SipMappingInput {
  readonly before: SipMappingSources;
  readonly after: SipMappingSources;
  readonly beforeCodes: DescEnum | undefined;
  readonly afterCodes: DescEnum;
  /** The mock's Twirp code for a SIP status ("" when the call succeeds). */
  readonly ours: (code: number) => string;
}

export function compareSipMappings(input: SipMappingInput): SipMappingComparison {
  const before = protocolMapping(input.before);
  const after = protocolMapping(input.after);
  const knownBefore = new Map((input.beforeCodes?.values ?? []).map((v) => [v.number, v.name]));
  const rows: SipMappingRow[] = input.afterCodes.values
    .filter((v) => v.number !== 0)
    .map((v) => ({
      code: v.number,
      name: v.name,
      before: knownBefore.has(v.number) ? before(knownBefore.get(v.number)!, v.number) : undefined,
      after: after(v.name, v.number),
      ours: input.ours(v.number),
    }));
  return {
    rows,
    changed: rows.filter((r) => r.before !== undefined && r.before !== r.after),
    oursDiffers: rows.filter((r) => r.ours !== r.after),
    fallbackChanged: grpcStatusFunction(input.before.sipGo) !== grpcStatusFunction(input.after.sipGo),
    twirpOfGrpcChanged: diffTwirpOfGrpc(twirpOfGrpc(input.before), twirpOfGrpc(input.after)),
  };
}

function diffTwirpOfGrpc(before: Map<string, string>, after: Map<string, string>): SipMappingComparison["twirpOfGrpcChanged"] {
  const grpcCodes = [...new Set([...before.keys(), ...after.keys()])];
  return grpcCodes
    .filter((grpc) => before.get(grpc) !== after.get(grpc))
    .map((grpc) => ({ grpc, before: wireCodeOrNone(before.get(grpc)), after: wireCodeOrNone(after.get(grpc)) }));
}

function wireCodeOrNone(twirpConstant: string | undefined): string {
  return twirpConstant === undefined ? "(not mapped: unknown)" : wireCode(twirpConstant);
}

function twirpOfGrpc(sources: SipMappingSources): Map<string, string> {
  return goSwitchReturns(goFunction(sources.xtwirpGo, "ErrorCodeFromGRPC("), "codes.", "twirp.");
}

/** SIP status (enum value name and number) → Twirp code, as one protocol version maps it. */
function protocolMapping(sources: SipMappingSources): (name: string, code: number) => string {
  const grpcOfSip = goMapEntries(sources.sipGo, "sipCodeToGRPCCode", "SIPStatusCode_", "codes.");
  const twirpCodes = twirpOfGrpc(sources);
  return (name, code) => {
    const grpc = grpcOfSip.get(name) ?? rangeRule(code);
    return wireCode(twirpCodes.get(grpc) ?? "Unknown");
  };
}

// SIPStatus.GRPCStatus's rule for codes its map leaves out. compareSipMappings reports when the
// function's text changes, so a new rule cannot go unnoticed behind this copy of the old one.
function rangeRule(code: number): string {
  if (code < 200) return "Unknown";
  if (code < 300) return "OK";
  if (code < 500) return "InvalidArgument";
  if (code < 600) return "FailedPrecondition";
  if (code < 700) return "InvalidArgument";
  return "Unknown";
}

function grpcStatusFunction(sipGo: string): string {
  return goFunction(sipGo, "(p *SIPStatus) GRPCStatus()").replace(/\s+/g, " ");
}

/** twirp.FailedPrecondition → "failed_precondition"; twirp.NoError → "" (Twirp's own constants). */
export function wireCode(twirpConstant: string): string {
  if (twirpConstant === "NoError") return "";
  return twirpConstant.replace(/(?<=[a-z])([A-Z])/g, "_$1").toLowerCase();
}
