// /settings/regions (REFERENCE §4.4): not subject to auth, failures, delays or the 451 pin check;
// `regionsStatus` replaces the answer and `pinnedRegions` filters the list.
import { ControlError } from "../control/control-error.js";
import { controlHeaderPrefix, parseControlLines, type Control } from "../control/parse-control.js";
import { sendJson } from "../http/answers.js";
import type { HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import { isInterim } from "../http/status-text.js";
import type { Outcome } from "../shared/outcome.js";
import type { Region } from "../shared/region.js";
import { controlJson } from "../twirp/call-record.js";
import { controlFailure, writeTwirpError } from "../twirp/twirp-errors.js";
import type { ListenerContext } from "./listener-context.js";

export function handleRegions(req: HttpRequest, res: HttpResponse, ctx: ListenerContext): Outcome {
  let control: Control;
  try {
    control = parseControlLines(req.headersStartingWith(controlHeaderPrefix));
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    const error = controlFailure(err);
    writeTwirpError(res, error);
    return { kind: "error", code: error.code, why: error.message };
  }
  let outcome: Outcome;
  if (control.regionsStatus !== undefined && control.regionsStatus !== 200) {
    // A 1xx other than 101 is interim in Go's net/http: it goes out, then the final answer is a 200
    // (docs/spec/control.md#informational-status).
    const status = control.regionsStatus;
    if (isInterim(status)) res.sendInformational(status);
    res.send(isInterim(status) ? 200 : status, {});
    outcome = { kind: "success", why: `regionsStatus ${control.regionsStatus}` };
  } else {
    sendJson(res, 200, regionSettingsJson(ctx.regions, control.pinnedRegions), {
      "Cache-Control": "max-age=0",
      "X-Lk-Mock-Region": ctx.region.indexText,
    });
    outcome = {
      kind: "success",
      why: control.pinnedRegions.length > 0 ? `regions pinned to ${control.pinnedRegions.join(", ")}` : "all regions",
    };
  }
  // Discovery is part of what an SDK's failover did, so it is journaled like the calls.
  if (control.journal !== undefined) {
    ctx.journal.record(control.journal, req.arrivedAt, {
      kind: "regions",
      region: ctx.region.name,
      path: req.path,
      route: "regions",
      httpMethod: req.method,
      status: res.status,
      code: null,
      outcome: "answered",
      why: outcome.why,
      control: controlJson(control),
      requestId: req.header("x-request-id") ?? null,
      userAgent: req.header("user-agent") ?? null,
      tookMs: Math.round((performance.now() - req.arrivedAt) * 1000) / 1000,
    });
  }
  return outcome;
}

/**
 * The regions a client may use (all of them, or only the pinned ones, in their original order), as
 * protojson writes a livekit.RegionSettings: `distance` is an int64 (a string) and omitted when 0,
 * an empty list is omitted. Written by hand so that discovery needs none of the protocol's
 * descriptors (test/server/regions.test.ts checks it against protobuf-es).
 */
export function regionSettingsJson(regions: readonly Region[], pinnedRegions: readonly string[]): string {
  const listed = pinnedRegions.length === 0 ? regions : regions.filter((r) => pinnedRegions.includes(r.name));
  if (listed.length === 0) return "{}";
  return JSON.stringify({
    regions: listed.map((r) =>
      r.index === 0 ? { region: r.name, url: r.url } : { region: r.name, url: r.url, distance: String(r.index) },
    ),
  });
}
