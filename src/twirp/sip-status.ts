// `sipStatus` as a real LiveKit server reports a failed SIP call (REFERENCE §4.6): the psrpc
// error travels through xtwirp, which yields a Twirp error whose meta carries the SIP code, its
// text and a base64 google.rpc.Status with a livekit.SIPStatus detail (the Go SDK decodes it).
import { create, toBinary } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import type { SipStatusControl } from "../control/parse-control.js";
import { TwirpError } from "./twirp-errors.js";

/** The methods whose calls a SIP status can fail; the original honours it on these only. */
export const sipStatusMethods: ReadonlySet<string> = new Set(["livekit.SIP/CreateSIPParticipant", "livekit.SIP/TransferSIPParticipant"]);

// gRPC codes, by number, as Twirp names them (twirp's gRPC → Twirp mapping; 0 is "no error").
const twirpCodeOfGrpc = [
  "",
  "canceled",
  "unknown",
  "invalid_argument",
  "deadline_exceeded",
  "not_found",
  "already_exists",
  "permission_denied",
  "resource_exhausted",
  "failed_precondition",
  "aborted",
  "out_of_range",
  "unimplemented",
  "internal",
  "unavailable",
  "data_loss",
  "unauthenticated",
] as const;

// livekit/sip.go sipCodeToGRPCCode; codes not listed fall back by range (grpcCodeOf).
const grpcCodeOfSip = new Map<number, number>([
  ...[
    300, 305, 380, 400, 405, 406, 411, 413, 414, 415, 417, 420, 421, 422, 423, 424, 425, 429, 430, 439, 469, 484, 485, 488, 489, 493, 505,
    513, 606,
  ].map((c) => [c, 3] as const),
  ...[401, 402, 403, 433, 470, 603, 607, 608].map((c) => [c, 7] as const),
  ...[301, 302, 404, 410, 481, 604].map((c) => [c, 5] as const),
  ...[407, 428, 436, 437, 438, 494].map((c) => [c, 16] as const),
  ...[408, 504].map((c) => [c, 4] as const),
  ...[409, 412, 482, 483, 500, 501, 502, 503].map((c) => [c, 9] as const),
  [416, 11],
  ...[440, 480, 486, 600].map((c) => [c, 8] as const),
  ...[487, 491].map((c) => [c, 10] as const),
]);

/** The Twirp code the mock fails a SIP status with ("" when the call succeeds). */
export function twirpCodeOfSipStatus(code: number): string {
  return twirpCodeOfGrpc[grpcCodeOf(code)]!;
}

function grpcCodeOf(code: number): number {
  const listed = grpcCodeOfSip.get(code);
  if (listed !== undefined) return listed;
  if (code < 200) return 2;
  if (code < 300) return 0;
  if (code < 500) return 3;
  if (code < 600) return 9;
  if (code < 700) return 3;
  return 2;
}

/** `SIP_STATUS_BUSY_HERE`, or the decimal code when the enum has no such value. */
type SipModule = typeof import("../../generated/livekit_sip_pb.js");

function fullName(sip: SipModule, code: number): string {
  return (sip.SIPStatusCodeSchema.value as Partial<Record<number, { name: string }>>)[code]?.name ?? String(code);
}

function shortName(sip: SipModule, code: number): string {
  return fullName(sip, code).replace(/^SIP_STATUS_/, "");
}

export async function sipStatusError({ code, status }: SipStatusControl): Promise<TwirpError> {
  // Loaded here, not at start-up: the SIP service's descriptors are built on its first call.
  const sip = await import("../../generated/livekit_sip_pb.js");
  const grpc = grpcCodeOf(code);
  const twirpCode = twirpCodeOfGrpc[grpc]!;
  const described = status !== "" ? `sip status: ${code}: ${status}` : `sip status: ${code} (${shortName(sip, code)})`;
  const msg = `twirp error unknown: ${described}`;
  if (grpc === 0) return new TwirpError("", msg, {}, 200, true);
  return new TwirpError(
    twirpCode,
    msg,
    {
      sip_status_code: String(code),
      sip_status: status !== "" ? status : fullName(sip, code),
      error_details: Buffer.from(
        rpcStatus(sip, grpc, `sip status ${code}: ${status !== "" ? status : shortName(sip, code)}`, code, status),
      ).toString("base64"),
    },
    undefined,
    true,
  );
}

// google.rpc.Status{code, message, details: [Any{livekit.SIPStatus}]}, written field by field:
// the type is not part of the LiveKit protocol, and three fields do not warrant a dependency.
function rpcStatus(sip: SipModule, grpc: number, message: string, code: number, status: string): Uint8Array {
  const { SIPStatusSchema } = sip;
  const detail = toBinary(SIPStatusSchema, create(SIPStatusSchema, { code, status }));
  const any = new BinaryWriter().tag(1, WireType.LengthDelimited).string(`type.googleapis.com/${SIPStatusSchema.typeName}`);
  if (detail.length > 0) any.tag(2, WireType.LengthDelimited).bytes(detail);
  return new BinaryWriter()
    .tag(1, WireType.Varint)
    .int32(grpc)
    .tag(2, WireType.LengthDelimited)
    .string(message)
    .tag(3, WireType.LengthDelimited)
    .bytes(any.finish())
    .finish();
}
