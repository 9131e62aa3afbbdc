// The `replies` rules of `lk.mock`: what the server answers to a kind of SignalRequest instead of
// the mode's answer. The reply's `requestId` is the request's when both messages have one and the
// rule leaves it 0, so a test can refuse a metadata update without knowing the id the SDK picks.
import { clone, type DescField, type DescMessage, type Message } from "@bufbuild/protobuf";
import { reflect } from "@bufbuild/protobuf/reflect";
import { SignalRequestSchema, SignalResponseSchema, type SignalRequest, type SignalResponse } from "../../../generated/livekit_rtc_pb.js";
import { encodeSignalResponse } from "./messages.js";
import type { SignalRequestKind } from "../attribute/signal-fields.js";

/** A rule's answer: the frame to send, or undefined to send nothing. */
export interface Reply {
  readonly frame: Uint8Array | undefined;
}

/** The reply a rule gives to `request`, or undefined when no rule covers its kind. */
export function replyTo(
  request: SignalRequest,
  replies: ReadonlyMap<SignalRequestKind, SignalResponse | null> | undefined,
): Reply | undefined {
  const kind = request.message.case;
  if (replies === undefined || kind === undefined || !replies.has(kind)) return undefined;
  const rule = replies.get(kind)!;
  if (rule === null) return { frame: undefined };
  const requestId = readRequestId(SignalRequestSchema, request.message.case, request.message.value);
  if (requestId === undefined || requestId === 0) return { frame: encodeSignalResponse(rule) };
  const reply = clone(SignalResponseSchema, rule);
  const target = requestIdField(SignalResponseSchema, reply.message.case);
  if (target !== undefined && readRequestId(SignalResponseSchema, reply.message.case, reply.message.value) === 0) {
    reflect(target.schema, reply.message.value as Message).set(target.field, requestId);
  }
  return { frame: encodeSignalResponse(reply) };
}

/** The `request_id` (uint32) of the message in a SignalRequest's or SignalResponse's oneof, if it has one. */
function requestIdField(schema: DescMessage, kind: string | undefined): { schema: DescMessage; field: DescField } | undefined {
  const member = schema.oneofs[0]!.fields.find((f) => f.localName === kind);
  if (member?.fieldKind !== "message") return undefined;
  const field = member.message.fields.find((f) => f.name === "request_id" && f.fieldKind === "scalar");
  return field === undefined ? undefined : { schema: member.message, field };
}

function readRequestId(schema: DescMessage, kind: string | undefined, value: unknown): number | undefined {
  const target = requestIdField(schema, kind);
  if (target === undefined) return undefined;
  const id = reflect(target.schema, value as Message).get(target.field);
  return typeof id === "number" ? id : undefined;
}
