// Dispatches one HTTP request of a region's listener along the route table, and logs what was
// answered and why. Nothing thrown below reaches the client as a stack trace. The signal endpoints
// are imported on first use: they need the signal protocol's descriptors, which a server that only
// answers Twirp calls never builds.
import { sendNotFound, sendText } from "../http/answers.js";
import type { HeadProblem } from "../http/head-problem.js";
import type { HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import { handleTwirp } from "../twirp/handle-twirp.js";
import { TwirpError, writeTwirpError } from "../twirp/twirp-errors.js";
import { handleJournal } from "./handle-journal.js";
import { handleState } from "./handle-state.js";
import { handleRegions } from "./handle-regions.js";
import type { ListenerContext } from "./listener-context.js";
import { matchRoute } from "./routes.js";
import { handleSelfDescription } from "./self-description.js";
import { handleTestWebhooks } from "./handle-test-webhooks.js";

export async function handleRequest(req: HttpRequest, res: HttpResponse, ctx: ListenerContext): Promise<void> {
  const path = req.path;
  const route = matchRoute(req.method, path, ctx.config.twirpPrefix);
  let target = route.kind === "twirp" ? route.key : `${req.method} ${path}`;
  let outcome: Outcome;
  try {
    switch (route.kind) {
      case "twirp":
        outcome = await handleTwirp(req, res, ctx, route.key, path);
        break;
      case "regions":
        outcome = handleRegions(req, res, ctx);
        break;
      case "signal-validate":
        outcome = await (await import("../signal/handshake/handle-validate.js")).handleSignalValidate(req, res, ctx);
        break;
      case "health":
        if (ctx.readiness.ready) sendText(res, 200, "ok");
        else sendText(res, 503, "starting");
        outcome = { kind: "success", why: ctx.readiness.ready ? "health" : "not every listener is bound yet" };
        break;
      case "journal":
        outcome = await handleJournal(req, res, ctx, route.key);
        break;
      case "state":
        outcome = await handleState(req, res, ctx, route.key);
        break;
      case "methods":
      case "schema":
        outcome = await handleSelfDescription(route.kind, res, ctx);
        break;
      case "webhooks":
        outcome = await handleTestWebhooks(req, res, ctx);
        break;
      case "signal":
        // Go serves a request with an Upgrade header like any other on every other path.
        outcome = req.wantsUpgrade
          ? await (await import("../signal/handshake/handle-upgrade.js")).handleSignalUpgrade(req, res, ctx)
          : await (await import("../signal/handshake/handle-without-upgrade.js")).handleSignalWithoutUpgrade(req, res, ctx);
        break;
      case "server-options":
        outcome = await answerServerOptions(req, res);
        break;
      case "not-found":
        sendNotFound(res);
        outcome = { kind: "success", why: "no such path" };
        break;
    }
  } catch (err) {
    ctx.log.error(`test-server: ${target}: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    const error = new TwirpError("internal", "mock: internal error (see the server log)");
    // An answer if one can still be sent; otherwise the connection ends, even a taken-over one.
    if (!res.finished) writeTwirpError(res, error);
    else res.abort();
    outcome = { kind: "error", code: error.code, why: "unexpected error" };
  }
  if (ctx.log.requestsEnabled) logOutcome(ctx, target, res, req.arrivedAt, outcome);
}

/** Go's answer to `OPTIONS *`: 200 with an empty body; a body past 4 KiB is not read and closes the connection. */
async function answerServerOptions(req: HttpRequest, res: HttpResponse): Promise<Outcome> {
  if (req.hasBody) {
    const body = await req.body().catch(() => undefined);
    if (body === undefined || body.length > 4096) res.closeAfterAnswer();
  }
  res.send(200, {});
  return { kind: "success", why: "OPTIONS * is answered by the server" };
}

/** A request that could not be read: a Twirp error naming the problem, then the connection closes. */
export function refuseRequest(problem: HeadProblem, res: HttpResponse, ctx: ListenerContext): void {
  const error = new TwirpError("malformed", `malformed HTTP request: ${problem.reason}`, {}, problem.status);
  writeTwirpError(res, error);
  if (ctx.log.requestsEnabled) logOutcome(ctx, "HTTP", res, performance.now(), { kind: "error", code: error.code, why: error.message });
}

function logOutcome(ctx: ListenerContext, target: string, res: HttpResponse, arrivedAt: number, outcome: Outcome): void {
  ctx.log.request({
    region: ctx.region.name,
    target,
    status: outcomeStatus(outcome, res),
    ...(outcome.kind === "error" ? { code: outcome.code } : {}),
    latencyMs: Math.round(performance.now() - arrivedAt),
    why: outcome.why,
  });
}

function outcomeStatus(outcome: Outcome, res: HttpResponse): number | string {
  if (outcome.kind === "dropped" || outcome.kind === "client-gone") return outcome.kind;
  if (outcome.kind === "fault") return outcome.status === undefined ? outcome.fault : `${outcome.status} ${outcome.fault}`;
  return outcome.status ?? res.status;
}
