// The Twirp request pipeline, in the original's exact order (REFERENCE §4.1):
// decode → control → auth → pin (451) → delay → sipStatus → failing region → success.
// A call that names a journal key is recorded once it is over (and, one that waits, from the moment
// it starts to wait); one that asks for an echo carries its record in `X-Lk-Mock-Echo` on whatever
// HTTP answer it gets. A plain success then sends the call's webhook events when the control asks
// for them. In stateful mode (a `state` key, or the server-wide world) a method whose service keeps
// state is answered from the world at the success point, so that a call refused or failed on the
// way changes nothing; its events come from the world's changes.
import type { JsonObject, Message } from "@bufbuild/protobuf";
import { denialReason } from "../auth/authorize.js";
import type { TokenResult } from "../auth/verify-token.js";
import { ControlError, invalidControl } from "../control/control-error.js";
import { controlHeaderPrefix, parseControlLines, type Control } from "../control/parse-control.js";
import { BodyReadError, type HttpRequest } from "../http/http-request.js";
import type { HeaderFields, HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import { decodeStrictProtojson, ProtojsonError } from "../shared/strict-protojson.js";
import type { Destination } from "../webhooks/webhook-notifier.js";
import { WebhookTargetError } from "../webhooks/webhook-target.js";
import { WebhooksConfigError } from "../webhooks/webhooks-config.js";
import { callEntry, createCallRecord, echoHeaderValue, type CallRecord } from "./call-record.js";
import { codecFromContentType, decodeRequest, encodeResponse, type Codec } from "./codec.js";
import { decodeOffThread, offThreadBodyBytes } from "./decode-off-thread.js";
import { regionDelayMs, regionFailure } from "./fault-plan.js";
import { runFailure } from "./faults.js";
import type { MethodRoute } from "./method-routes.js";
import type { MethodStub } from "./method-stub.js";
import { populate } from "./populate.js";
import { sipStatusError, sipStatusMethods } from "./sip-status.js";
import { isStateError } from "../state/state-error.js";
import type { TwirpContext } from "./twirp-context.js";
import {
  badRoute,
  bodyFailure,
  controlFailure,
  finalStatus,
  TwirpError,
  twirpErrorAnswer,
  writeTwirpError,
  type Answer,
} from "./twirp-errors.js";

const pinnedBody = "project not allowed in this region.";
const emptyBody = new Uint8Array(0);
const noHeaders: HeaderFields = {};

export async function handleTwirp(req: HttpRequest, res: HttpResponse, ctx: TwirpContext, key: string, path: string): Promise<Outcome> {
  const call = new TwirpCall(req, res, ctx, key, path);
  let outcome: Outcome = { kind: "error", code: "internal", why: "unexpected error" };
  try {
    outcome = await call.run();
    return outcome;
  } finally {
    const journal = call.record.control?.journal;
    if (journal !== undefined) {
      const entry = call.entry(outcome, outcome.status ?? res.status);
      if (call.inProgress !== undefined) call.inProgress(entry);
      else ctx.journal.record(journal, req.arrivedAt, entry);
    }
  }
}

class TwirpCall {
  readonly record: CallRecord = createCallRecord();
  private route: MethodRoute | undefined;
  /** The response message of the last answer built, for the webhook events. */
  private answered: Message | undefined;
  /** The world's answer, in stateful mode for a method whose service keeps state. */
  private fromState: Message | TwirpError | undefined;
  /** Finishes the journal entry written when the call began to wait, if it did. */
  inProgress: ((entry: JsonObject) => void) | undefined;

  constructor(
    private readonly req: HttpRequest,
    private readonly res: HttpResponse,
    private readonly ctx: TwirpContext,
    private readonly key: string,
    private readonly path: string,
  ) {}

  async run(): Promise<Outcome> {
    const found = this.ctx.routes.route(this.key);
    this.route = found instanceof Promise ? await found : found;
    const { req, res, ctx, key, route, record } = this;
    // Read first so that every call with a valid control is journaled, even one refused early;
    // a control's own mistakes are reported after the body's, as before.
    let controlError: ControlError | undefined;
    try {
      record.control = parseControlLines(req.headersStartingWith(controlHeaderPrefix));
    } catch (err) {
      if (!(err instanceof ControlError)) throw err;
      controlError = err;
    }

    const method = req.method;
    if (method !== "POST") {
      return this.fail(badRoute(`unsupported method ${JSON.stringify(method)} (only POST is allowed)`, method, this.path));
    }
    const contentType = req.header("content-type");
    const codec = codecFromContentType(contentType);
    if (codec === undefined) return this.fail(badRoute(`unexpected Content-Type: ${JSON.stringify(contentType ?? "")}`, method, this.path));
    record.codec = codec;

    let body: Buffer;
    try {
      body = await req.body();
    } catch (err) {
      if (!(err instanceof BodyReadError)) throw err;
      // The rest of an oversized body is not read: the connection cannot be reused.
      res.closeAfterAnswer();
      return this.fail(bodyFailure(err));
    }
    let request: Message | undefined;
    if (route !== undefined) {
      const schema = route.stub.method.input;
      try {
        if (body.length >= offThreadBodyBytes) {
          // A world keeps what a stateful call says, so it gets the whole request.
          const whole = (record.control?.state ?? ctx.state.serverWide) !== undefined;
          request = await decodeOffThread(key, schema, body, codec, whole);
          record.requestSummarized = !whole;
        } else {
          request = decodeRequest(schema, body, codec);
        }
      } catch (err) {
        if (err instanceof TwirpError) return this.fail(err);
        throw err;
      }
      record.request = request;
    }
    if (controlError !== undefined) return this.fail(controlFailure(controlError));
    const control = record.control!;
    const override = route === undefined ? undefined : decodeOverride(route.stub, control);
    if (override instanceof ControlError) return this.fail(controlFailure(override));
    let webhooks: Destination | undefined;
    try {
      webhooks = webhookDestination(ctx, control);
    } catch (err) {
      if (err instanceof ControlError) return this.fail(controlFailure(err));
      throw err;
    }

    if (route !== undefined && request !== undefined && !control.skipAuth && route.stub.grant.enforced) {
      let verified = this.verifyToken();
      if (verified instanceof Promise) verified = await verified;
      const denied = this.authorize(route, request, verified);
      if (denied !== undefined) return this.fail(denied.error, denied.why);
    } else if (control.journal !== undefined || control.echo) {
      // Not checked here, but the journal still says whose token it was.
      const verified = this.verifyToken();
      record.token = verified instanceof Promise ? await verified : verified;
    }

    if (control.pinnedRegions.length > 0 && !control.pinnedRegions.includes(ctx.region.name)) {
      // Plain text with no Content-Type of its own: Go sniffs one, and Go clients then see an
      // "intermediary" error, which is what the SDKs' region failover expects.
      const outcome: Outcome = { kind: "pinned", why: `pinned to ${control.pinnedRegions.join(", ")}` };
      res.send(451, { "Content-Type": "text/plain; charset=utf-8", "X-Lk-Mock-Region": "", ...this.echo(outcome, 451) }, pinnedBody);
      return outcome;
    }

    const delay = regionDelayMs(control, ctx.region.index) ?? naturalLatency(route?.stub, request);
    if (delay > 0) this.beginWaiting();
    if (delay > 0 && !(await res.wait(delay))) {
      return { kind: "client-gone", why: `client went away during the ${delay} ms delay` };
    }

    if (control.sipStatus !== undefined && sipStatusMethods.has(key)) {
      return this.fail(await sipStatusError(control.sipStatus), `sipStatus ${control.sipStatus.code}`);
    }

    const failure = regionFailure(control, ctx.region.index, Date.now(), (journal, n) => ctx.journal.countTowardFailFirst(journal, n));
    // The one check the stateless default pays for the stateful mode (docs/spec/stateful.md#when).
    const world = control.state ?? ctx.state.serverWide;
    // A slow-body fault sends the true answer, so the world changes for it; other faults answer nothing.
    if (world !== undefined && (failure === undefined || failure.mode === "slow-body") && route !== undefined && request !== undefined) {
      if (override === undefined) await this.answerFromState(world, request, webhooks);
      if (this.fromState instanceof TwirpError && failure === undefined) return this.fail(this.fromState);
    }
    if (failure !== undefined) {
      if (failure.mode === "hang" || failure.mode === "slow-body" || failure.mode === "delay") this.beginWaiting();
      return runFailure(res, failure, {
        legacyDelayMs: control.legacyDelayMs,
        slowBytesPerSec: control.slowBytesPerSec,
        success: () => this.success(codec, request, override, control, noHeaders),
        headersFor: (outcome, status) => this.echo(outcome, status),
      });
    }

    const why =
      route === undefined || request === undefined
        ? `no such method ${key}: empty success, as the original answers`
        : override !== undefined
          ? "response override"
          : this.fromState !== undefined
            ? `state ${world!}`
            : "populated";
    const outcome: Outcome = { kind: "success", why };
    const answer = this.success(codec, request, override, control, this.echo(outcome, 200));
    res.send(answer.status, answer.headers, answer.body);
    // Only here: failures, drops and faults (even those that send the answer) emit nothing; an
    // answer from the world has sent its events already.
    if (webhooks !== undefined && request !== undefined && this.answered !== undefined && this.fromState === undefined) {
      const journal = control.journal === undefined ? {} : { journal: { journal: ctx.journal, key: control.journal } };
      void ctx.webhooks.notifyCall(webhooks, key, request, this.answered, { region: ctx.region.name, ...journal });
    }
    return outcome;
  }

  /**
   * Puts the call in the journal before a wait, so that a client that gives up meanwhile finds it
   * there (docs/spec/journal.md#in-progress); the entry is finished where it stands.
   */
  private beginWaiting(): void {
    const journal = this.record.control?.journal;
    if (journal === undefined || this.inProgress !== undefined) return;
    this.inProgress = this.ctx.journal.begin(journal, this.req.arrivedAt, this.entry(undefined, 0));
  }

  /** The journal entry of this call, as it ended (or in progress, without an outcome). */
  entry(outcome: Outcome | undefined, status: number) {
    return callEntry(this.record, this.req, this.ctx, this.route, this.key, outcome, status);
  }

  private success(
    codec: Codec,
    request: Message | undefined,
    override: Message | undefined,
    control: Control,
    extra: HeaderFields,
  ): Answer {
    const route = this.route;
    const headers = {
      "Content-Type": codec === "json" ? "application/json" : "application/protobuf",
      "X-Lk-Mock-Region": this.ctx.region.indexText,
      ...extra,
    };
    if (route === undefined || request === undefined) return { status: 200, headers, body: codec === "json" ? "{}" : emptyBody };
    if (this.fromState instanceof TwirpError) return twirpErrorAnswer(this.fromState, extra);
    const response = override ?? this.fromState ?? populate(route.populatePlan, request, control.listSize);
    this.answered = response;
    return { status: 200, headers, body: encodeResponse(route.stub.method.output, response, codec) };
  }

  /** The world `key`'s answer, kept in `fromState`; a refusal becomes the Twirp error it names. */
  private async answerFromState(key: string, request: Message, webhooks: Destination | undefined): Promise<void> {
    const { ctx, record } = this;
    const journal = record.control?.journal;
    const cause = { region: ctx.region.name, ...(journal === undefined ? {} : { journal: { journal: ctx.journal, key: journal } }) };
    try {
      this.fromState = await ctx.state.answer(key, this.key, request, cause, webhooks);
    } catch (err) {
      if (!isStateError(err)) throw err;
      this.fromState = new TwirpError(err.code, err.message, err.meta);
    }
  }

  private fail(error: TwirpError, why: string = error.message): Outcome {
    const outcome: Outcome = { kind: "error", code: error.code, why };
    if (!this.res.finished) writeTwirpError(this.res, error, this.echo(outcome, finalStatus(error.status)));
    return outcome;
  }

  /** `X-Lk-Mock-Echo` for an answer about to be sent, when the control asks for it. */
  private echo(outcome: Outcome, status: number): HeaderFields {
    if (this.record.control?.echo !== true) return noHeaders;
    return { "X-Lk-Mock-Echo": echoHeaderValue(this.entry(outcome, status)) };
  }

  private verifyToken() {
    const header = this.req.header("authorization") ?? "";
    return this.ctx.verifier.verify((header.startsWith("Bearer ") ? header.slice(7) : header).trim());
  }

  private authorize(route: MethodRoute, request: Message, verified: TokenResult): { error: TwirpError; why: string } | undefined {
    const grant = route.stub.grant;
    if (!grant.enforced) return undefined;
    this.record.token = verified;
    if (!verified.ok) {
      return { error: new TwirpError("unauthenticated", "mock: unauthenticated"), why: verified.reason };
    }
    const denial = denialReason(grant, verified.claims, route.stub.method.input, request);
    if (denial === undefined) return undefined;
    return { error: new TwirpError("permission_denied", `mock: permission_denied: ${denial}`), why: denial };
  }
}

/** Where the control's webhooks go; a target the server may not post to is a control error. */
function webhookDestination(ctx: TwirpContext, control: Control): Destination | undefined {
  if (control.webhooks === undefined) return undefined;
  try {
    return ctx.webhooks.destination(control.webhooks);
  } catch (err) {
    if (err instanceof WebhookTargetError) throw invalidControl(`X-Lk-Mock field webhooks.url ${err.message}`);
    if (err instanceof WebhooksConfigError) throw invalidControl(`X-Lk-Mock field ${err.message}`);
    throw err;
  }
}

/**
 * The `response` override, as strictly as the project promises (docs/spec/control.md#response-override):
 * a field the response message does not have, an unknown enum name or a value of the wrong type
 * is refused, naming where it sits, where the original would drop it and answer something else.
 */
function decodeOverride(stub: MethodStub, control: Control): Message | ControlError | undefined {
  if (control.response === undefined) return undefined;
  try {
    return decodeStrictProtojson(stub.method.output, control.response, ["response"]);
  } catch (err) {
    if (err instanceof ProtojsonError) return invalidControl(err.message);
    throw err;
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
