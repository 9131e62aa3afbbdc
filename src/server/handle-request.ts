// Dispatches one HTTP request of a region's listener along the route table, and logs what was
// answered and why. Nothing thrown below reaches the client as a stack trace.
import type { IncomingMessage, ServerResponse } from "node:http";
import { handleRegions } from "./handle-regions.js";
import { handleTwirp } from "../twirp/handle-twirp.js";
import type { Outcome } from "../shared/outcome.js";
import { sendNotFound, sendText } from "../shared/http-io.js";
import type { ListenerContext } from "./listener-context.js";
import { matchRoute, pathOf } from "./routes.js";
import { handleSelfDescription } from "./self-description.js";
import { handleSignalValidate } from "../signal/handle-validate.js";
import { handleSignalWithoutUpgrade } from "../signal/handle-without-upgrade.js";
import { TwirpError, writeTwirpError } from "../twirp/twirp-errors.js";

export async function handleRequest(req: IncomingMessage, res: ServerResponse, ctx: ListenerContext): Promise<void> {
  const started = performance.now();
  const path = pathOf(req.url);
  const route = matchRoute(path, ctx.config.twirpPrefix);
  let target = `${req.method} ${path}`;
  let outcome: Outcome;
  try {
    switch (route.kind) {
      case "twirp":
        target = route.key;
        outcome = await handleTwirp(req, res, ctx, route.key, path);
        break;
      case "regions":
        outcome = handleRegions(req, res, ctx);
        break;
      case "signal-validate":
        outcome = await handleSignalValidate(req, res, ctx);
        break;
      case "health":
        if (ctx.readiness.ready) sendText(res, 200, "ok");
        else sendText(res, 503, "starting");
        outcome = { kind: "success", why: ctx.readiness.ready ? "health" : "not every listener is bound yet" };
        break;
      case "methods":
      case "schema":
        outcome = handleSelfDescription(route.kind, res, ctx);
        break;
      case "signal":
        outcome = await handleSignalWithoutUpgrade(req, res, ctx);
        break;
      case "not-found":
        sendNotFound(res);
        outcome = { kind: "success", why: "no such path" };
        break;
    }
  } catch (err) {
    ctx.log.error(`test-server: ${target}: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    const error = new TwirpError("internal", "mock: internal error (see the server log)");
    if (!res.headersSent && !res.destroyed) writeTwirpError(res, error);
    else res.destroy();
    outcome = { kind: "error", code: error.code, why: "unexpected error" };
  }
  if (ctx.log.requestsEnabled) {
    ctx.log.request({
      region: ctx.region.name,
      target,
      status: outcome.kind === "dropped" ? "dropped" : outcome.kind === "client-gone" ? "client-gone" : res.statusCode,
      ...(outcome.kind === "error" ? { code: outcome.code } : {}),
      latencyMs: Math.round(performance.now() - started),
      why: outcome.why,
    });
  }
}
