// What one Twirp call looked like, as the journal keeps it and `X-Lk-Mock-Echo` returns it: where
// it arrived, what it carried (request, token, control, client headers) and how it was answered.
// Built only for calls that ask for a journal or an echo, so other calls pay nothing.
import { toJson, type JsonObject, type JsonValue, type Message } from "@bufbuild/protobuf";
import type { TokenResult } from "../auth/verify-token.js";
import { defaultControl, type Control } from "../control/parse-control.js";
import type { HttpRequest } from "../http/http-request.js";
import type { Outcome } from "../shared/outcome.js";
import type { Codec } from "./codec.js";
import type { MethodRoute } from "./method-routes.js";
import type { TwirpContext } from "./twirp-context.js";

/** A request's protojson is kept up to this size; a larger one is replaced by a note saying so. */
const requestJsonLimit = 16 * 1024;
/** `X-Lk-Mock-Echo` is at most this long; a larger entry drops its request and control. */
export const echoHeaderLimit = 8 * 1024;

export interface CallRecord {
  codec: Codec | undefined;
  request: Message | undefined;
  /** The request held only its top-level scalars (a large body decoded off the event loop). */
  requestSummarized: boolean;
  control: Control | undefined;
  token: TokenResult | undefined;
}

export function createCallRecord(): CallRecord {
  return { codec: undefined, request: undefined, requestSummarized: false, control: undefined, token: undefined };
}

/**
 * The journal entry of the call (without `atMs`, which the journal adds); with no outcome yet, the
 * entry of a call in progress (docs/spec/journal.md#in-progress).
 */
export function callEntry(
  record: CallRecord,
  req: HttpRequest,
  ctx: TwirpContext,
  route: MethodRoute | undefined,
  key: string,
  outcome: Outcome | undefined,
  status: number,
): JsonObject {
  return {
    kind: "twirp",
    region: ctx.region.name,
    path: req.path,
    route: key,
    httpMethod: req.method,
    codec: record.codec ?? null,
    status: status === 0 ? null : status,
    code: outcome?.kind === "error" ? outcome.code : null,
    outcome: outcome === undefined ? "in-progress" : outcomeName(outcome),
    why: outcome === undefined ? "in progress: not answered yet" : outcome.why,
    request: requestJson(record, route),
    token: tokenJson(record.token, req),
    control: record.control === undefined ? null : controlJson(record.control),
    requestId: req.header("x-request-id") ?? null,
    userAgent: req.header("user-agent") ?? null,
    tookMs: outcome === undefined ? null : Math.round((performance.now() - req.arrivedAt) * 1000) / 1000,
  };
}

/** `X-Lk-Mock-Echo`: the entry as base64url JSON, cut to `echoHeaderLimit` with a marker. */
export function echoHeaderValue(entry: JsonObject): string {
  const whole = Buffer.from(JSON.stringify(entry)).toString("base64url");
  if (whole.length <= echoHeaderLimit) return whole;
  const cut: JsonObject = {
    ...entry,
    request: null,
    control: null,
    truncated: true,
    fullEntryBytes: Buffer.byteLength(JSON.stringify(entry)),
  };
  const shorter = Buffer.from(JSON.stringify(cut)).toString("base64url");
  if (shorter.length <= echoHeaderLimit) return shorter;
  const minimal = {
    kind: entry["kind"],
    region: entry["region"],
    route: entry["route"],
    status: entry["status"],
    truncated: true,
  } as JsonObject;
  return Buffer.from(JSON.stringify(minimal)).toString("base64url");
}

export function outcomeName(outcome: Outcome): string {
  if (outcome.kind === "fault") return outcome.fault;
  if (outcome.kind === "error" || outcome.kind === "success") return "answered";
  return outcome.kind;
}

function requestJson(record: CallRecord, route: MethodRoute | undefined): JsonValue {
  if (record.request === undefined || route === undefined) return null;
  const json = toJson(route.stub.method.input, record.request);
  const text = JSON.stringify(json);
  if (text.length > requestJsonLimit)
    return { note: `the request's JSON is ${text.length} characters, more than the ${requestJsonLimit} kept` };
  if (record.requestSummarized) return { note: "a large body: its top-level scalars only", scalars: json };
  return json;
}

function tokenJson(token: TokenResult | undefined, req: HttpRequest): JsonValue {
  if (req.header("authorization") === undefined) return null;
  if (token === undefined) return { note: "not checked" };
  if (!token.ok) return { error: token.reason };
  const { identity, video, sip } = token.claims;
  return { subject: identity, grants: { video: { ...video }, sip: { ...sip } } };
}

/** The fields that differ from the defaults, as the client would write them. */
export function controlJson(control: Control): JsonObject {
  const json: JsonObject = {};
  for (const name of Object.keys(control) as (keyof Control)[]) {
    const value = control[name];
    const unset = defaultControl[name];
    if (value === unset || value === undefined) continue;
    if (name === "webhooks" && control.webhooks !== undefined) {
      // A journal is read by anyone who can reach the port: a signing secret is not repeated there.
      const { apiSecret, ...rest } = control.webhooks;
      json[name] = (apiSecret === undefined ? { ...rest } : { ...rest, apiSecret: "(redacted)" }) as JsonObject;
    } else if (name === "regions") {
      if (control.regions.size > 0)
        json[name] = Object.fromEntries([...control.regions].map(([i, plan]) => [String(i), { ...plan }])) as JsonObject;
    } else if (Array.isArray(value) ? value.length > 0 : typeof value !== "object" || value === null || Object.keys(value).length > 0) {
      json[name] = value as JsonValue;
    }
  }
  return json;
}
