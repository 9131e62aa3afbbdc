// The Twirp request pipeline, in the original's exact order (REFERENCE §4.1):
// decode → control → auth → pin (451) → delay → sipStatus → failRegions → success.
import type { Message } from "@bufbuild/protobuf";
import { denialReason } from "../auth/authorize.js";
import { ControlError, invalidControl } from "../control/control-error.js";
import { parseControl, type Control } from "../control/parse-control.js";
import { BodyReadError, type HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import { decodeOffThread, offThreadBodyBytes } from "./decode-off-thread.js";
import { codecFromContentType, decodeJson, decodeRequest, encodeResponse, type Codec } from "./codec.js";
import { failRegion } from "./faults.js";
import type { MethodRoute } from "./method-routes.js";
import type { MethodStub } from "./method-stub.js";
import { populate } from "./populate.js";
import { sipStatusError, sipStatusMethods } from "./sip-status.js";
import type { TwirpContext } from "./twirp-context.js";
import { badRoute, bodyFailure, controlFailure, TwirpError, writeTwirpError } from "./twirp-errors.js";

const pinnedBody = "project not allowed in this region.";
const emptyBody = new Uint8Array(0);

export async function handleTwirp(req: HttpRequest, res: HttpResponse, ctx: TwirpContext, key: string, path: string): Promise<Outcome> {
  const method = req.method;
  if (method !== "POST") {
    return fail(res, badRoute(`unsupported method ${JSON.stringify(method)} (only POST is allowed)`, method, path));
  }
  const contentType = req.header("content-type");
  const codec = codecFromContentType(contentType);
  if (codec === undefined) {
    return fail(res, badRoute(`unexpected Content-Type: ${JSON.stringify(contentType ?? "")}`, method, path));
  }
  const route = ctx.routes.get(key);

  let body: Buffer;
  try {
    body = await req.body();
  } catch (err) {
    if (!(err instanceof BodyReadError)) throw err;
    // The rest of an oversized body is not read: the connection cannot be reused.
    res.closeAfterAnswer();
    return fail(res, bodyFailure(err));
  }
  let request: Message | undefined;
  let control: Control;
  try {
    if (route !== undefined) {
      const schema = route.stub.method.input;
      request = body.length >= offThreadBodyBytes ? await decodeOffThread(key, schema, body, codec) : decodeRequest(schema, body, codec);
    }
    control = parseControl((name) => req.header(name));
  } catch (err) {
    if (err instanceof TwirpError) return fail(res, err);
    if (err instanceof ControlError) return fail(res, controlFailure(err));
    throw err;
  }
  const override = route === undefined ? undefined : decodeOverride(route.stub, control);
  if (override instanceof ControlError) return fail(res, controlFailure(override));

  if (route !== undefined && request !== undefined && !control.skipAuth && route.stub.grant.enforced) {
    const denied = authorize(req, ctx, route, request);
    if (denied !== undefined) return fail(res, denied.error, denied.why);
  }

  const regionName = ctx.region.name;
  if (control.pinnedRegions.length > 0 && !control.pinnedRegions.includes(regionName)) {
    // Plain text with no Content-Type of its own: Go sniffs one, and Go clients then see an
    // "intermediary" error, which is what the SDKs' region failover expects.
    res.send(451, { "Content-Type": "text/plain; charset=utf-8", "X-Lk-Mock-Region": "" }, pinnedBody);
    return { kind: "pinned", why: `pinned to ${control.pinnedRegions.join(", ")}` };
  }

  const delay = control.delayMs ?? naturalLatency(route?.stub, request);
  if (delay > 0 && !(await res.wait(delay))) {
    return { kind: "client-gone", why: `client went away during the ${delay} ms delay` };
  }

  if (control.sipStatus !== undefined && sipStatusMethods.has(key)) {
    return fail(res, sipStatusError(control.sipStatus), `sipStatus ${control.sipStatus.code}`);
  }

  if (control.failRegions.includes(ctx.region.index)) {
    return failRegion(res, control, ctx.region.index);
  }

  const region = ctx.region.indexText;
  if (route === undefined || request === undefined) {
    send(res, codec, region, codec === "json" ? "{}" : emptyBody);
    return { kind: "success", why: `no such method ${key}: empty success, as the original answers` };
  }
  const response = override ?? populate(route.populatePlan, request);
  send(res, codec, region, encodeResponse(route.stub.method.output, response, codec));
  return { kind: "success", why: override === undefined ? "populated" : "response override" };
}

function fail(res: HttpResponse, error: TwirpError, why: string = error.message): Outcome {
  writeTwirpErrorOnce(res, error);
  return { kind: "error", code: error.code, why };
}

function authorize(
  req: HttpRequest,
  ctx: TwirpContext,
  route: MethodRoute,
  request: Message,
): { error: TwirpError; why: string } | undefined {
  const grant = route.stub.grant;
  if (!grant.enforced) return undefined;
  const header = req.header("authorization") ?? "";
  const token = (header.startsWith("Bearer ") ? header.slice(7) : header).trim();
  const verified = ctx.verifier.verify(token);
  if (!verified.ok) {
    return { error: new TwirpError("unauthenticated", "mock: unauthenticated"), why: verified.reason };
  }
  const denial = denialReason(grant, verified.claims, route.stub.method.input, request);
  if (denial === undefined) return undefined;
  return { error: new TwirpError("permission_denied", `mock: permission_denied: ${denial}`), why: denial };
}

function decodeOverride(stub: MethodStub, control: Control): Message | ControlError | undefined {
  if (control.response === undefined) return undefined;
  try {
    return decodeJson(stub.method.output, control.response);
  } catch (err) {
    return invalidControl(`response does not decode into ${stub.method.output.typeName}: ${(err as Error).message}`);
  }
}

function naturalLatency(stub: MethodStub | undefined, request: Message | undefined): number {
  const latency = stub?.naturalLatency;
  if (latency === undefined) return 0;
  if (latency.whenTrue === undefined) return latency.ms;
  const field = stub!.method.input.fields.find((f) => f.name === latency.whenTrue);
  const value = field === undefined || request === undefined ? false : (request as unknown as Record<string, unknown>)[field.localName];
  return value === true ? latency.ms : 0;
}

function send(res: HttpResponse, codec: Codec, region: string, body: string | Uint8Array): void {
  res.send(
    200,
    codec === "json"
      ? { "Content-Type": "application/json", "X-Lk-Mock-Region": region }
      : { "Content-Type": "application/protobuf", "X-Lk-Mock-Region": region },
    body,
  );
}

function writeTwirpErrorOnce(res: HttpResponse, error: TwirpError): void {
  if (!res.finished) writeTwirpError(res, error);
}
