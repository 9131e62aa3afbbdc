// The Twirp request pipeline, in the original's exact order (REFERENCE §4.1):
// decode → control → auth → pin (451) → delay → sipStatus → failRegions → success.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Message } from "@bufbuild/protobuf";
import { denialReason } from "../auth/authorize.js";
import { ControlError, invalidControl } from "../control/control-error.js";
import { parseControl, type Control } from "../control/parse-control.js";
import { BodyReadError, readBody, waitUnlessClosed } from "../shared/http-io.js";
import type { Outcome } from "../shared/outcome.js";
import { codecFromContentType, contentTypeOf, decodeJson, decodeRequest, encodeResponse, type Codec } from "./codec.js";
import { failRegion } from "./faults.js";
import type { MethodRoute } from "./method-routes.js";
import type { MethodStub } from "./method-stub.js";
import { populate } from "./populate.js";
import { sipStatusError, sipStatusMethods } from "./sip-status.js";
import type { TwirpContext } from "./twirp-context.js";
import { badRoute, bodyFailure, controlFailure, TwirpError, writeTwirpError } from "./twirp-errors.js";

const pinnedBody = Buffer.from("project not allowed in this region.");

export async function handleTwirp(
  req: IncomingMessage,
  res: ServerResponse,
  ctx: TwirpContext,
  key: string,
  path: string,
): Promise<Outcome> {
  const method = req.method ?? "GET";
  if (method !== "POST") {
    return fail(res, badRoute(`unsupported method ${JSON.stringify(method)} (only POST is allowed)`, method, path));
  }
  const contentType = req.headers["content-type"];
  const codec = codecFromContentType(contentType);
  if (codec === undefined) {
    return fail(res, badRoute(`unexpected Content-Type: ${JSON.stringify(contentType ?? "")}`, method, path));
  }
  const route = ctx.routes.get(key);

  let body: Buffer;
  try {
    body = await readBody(req);
  } catch (err) {
    if (!(err instanceof BodyReadError)) throw err;
    // The rest of an oversized body is not read: the connection cannot be reused.
    res.setHeader("Connection", "close");
    return fail(res, bodyFailure(err));
  }
  let request: Message | undefined;
  let control: Control;
  try {
    if (route !== undefined) request = decodeRequest(route.stub.method.input, body, codec);
    control = parseControl((name) => req.headersDistinct[name]?.[0]);
  } catch (err) {
    if (err instanceof TwirpError) return fail(res, err);
    if (err instanceof ControlError) return fail(res, controlFailure(err));
    throw err;
  }
  const override = route === undefined ? undefined : decodeOverride(route.stub, control);
  if (override instanceof ControlError) return fail(res, controlFailure(override));

  if (route !== undefined && request !== undefined && !control.skipAuth && route.stub.grant.enforced) {
    const denied = await authorize(req, ctx, route, request);
    if (denied !== undefined) return fail(res, denied.error, denied.why);
  }

  const regionName = ctx.region.name;
  if (control.pinnedRegions.length > 0 && !control.pinnedRegions.includes(regionName)) {
    // Plain text with no Content-Type of its own: Go sniffs one, and Go clients then see an
    // "intermediary" error, which is what the SDKs' region failover expects.
    res.writeHead(451, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": pinnedBody.length, "X-Lk-Mock-Region": "" });
    res.end(pinnedBody);
    return { kind: "pinned", why: `pinned to ${control.pinnedRegions.join(", ")}` };
  }

  const delay = control.delayMs ?? naturalLatency(route?.stub, request);
  if (delay > 0 && !(await waitUnlessClosed(delay, res))) {
    return { kind: "client-gone", why: `client went away during the ${delay} ms delay` };
  }

  if (control.sipStatus !== undefined && sipStatusMethods.has(key)) {
    return fail(res, sipStatusError(control.sipStatus), `sipStatus ${control.sipStatus.code}`);
  }

  if (control.failRegions.includes(ctx.region.index)) {
    return failRegion(req, res, control, ctx.region.index);
  }

  res.setHeader("X-Lk-Mock-Region", String(ctx.region.index));
  if (route === undefined || request === undefined) {
    send(res, codec, codec === "json" ? Buffer.from("{}") : Buffer.alloc(0));
    return { kind: "success", why: `no such method ${key}: empty success, as the original answers` };
  }
  const response = override ?? populate(route.populatePlan, route.stub.method.input, request);
  send(res, codec, encodeResponse(route.stub.method.output, response, codec));
  return { kind: "success", why: override === undefined ? "populated" : "response override" };
}

function fail(res: ServerResponse, error: TwirpError, why: string = error.message): Outcome {
  writeTwirpErrorOnce(res, error);
  return { kind: "error", code: error.code, why };
}

async function authorize(
  req: IncomingMessage,
  ctx: TwirpContext,
  route: MethodRoute,
  request: Message,
): Promise<{ error: TwirpError; why: string } | undefined> {
  const grant = route.stub.grant;
  if (!grant.enforced) return undefined;
  const header = req.headers.authorization ?? "";
  const token = (header.startsWith("Bearer ") ? header.slice(7) : header).trim();
  const verified = await ctx.verifier.verify(token);
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

function send(res: ServerResponse, codec: Codec, body: Buffer): void {
  res.writeHead(200, { "Content-Type": contentTypeOf(codec), "Content-Length": body.length });
  res.end(body);
}

function writeTwirpErrorOnce(res: ServerResponse, error: TwirpError): void {
  if (!res.headersSent && !res.destroyed) writeTwirpError(res, error);
}
