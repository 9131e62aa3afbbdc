// /settings/regions (REFERENCE §4.4): not subject to auth, failures, delays or the 451 pin check;
// `regionsStatus` replaces the answer and `pinnedRegions` filters the list.
import type { IncomingMessage, ServerResponse } from "node:http";
import { create, toJsonString } from "@bufbuild/protobuf";
import { RegionSettingsSchema } from "../../generated/livekit_rtc_pb.js";
import { ControlError } from "../control/control-error.js";
import { parseControl } from "../control/parse-control.js";
import { sendJson } from "../shared/http-io.js";
import type { Outcome } from "../shared/outcome.js";
import type { Region } from "../shared/region.js";
import { controlFailure, writeTwirpError } from "../twirp/twirp-errors.js";
import type { ListenerContext } from "./listener-context.js";

export function handleRegions(req: IncomingMessage, res: ServerResponse, ctx: ListenerContext): Outcome {
  let control;
  try {
    control = parseControl((name) => req.headersDistinct[name]?.[0]);
  } catch (err) {
    if (!(err instanceof ControlError)) throw err;
    const error = controlFailure(err);
    writeTwirpError(res, error);
    return { kind: "error", code: error.code, why: error.message };
  }
  if (control.regionsStatus !== undefined && control.regionsStatus !== 200) {
    res.writeHead(control.regionsStatus, { "Content-Length": 0 });
    res.end();
    return { kind: "success", why: `regionsStatus ${control.regionsStatus}` };
  }
  sendJson(res, 200, regionSettingsJson(ctx.regions, control.pinnedRegions), {
    "Cache-Control": "max-age=0",
    "X-Lk-Mock-Region": String(ctx.region.index),
  });
  return {
    kind: "success",
    why: control.pinnedRegions.length > 0 ? `regions pinned to ${control.pinnedRegions.join(", ")}` : "all regions",
  };
}

/** The regions a client may use: all of them, or only the pinned ones, in their original order. */
export function regionSettingsJson(regions: readonly Region[], pinnedRegions: readonly string[]): string {
  const listed = pinnedRegions.length === 0 ? regions : regions.filter((r) => pinnedRegions.includes(r.name));
  const settings = create(RegionSettingsSchema, {
    regions: listed.map((r) => ({ region: r.name, url: r.url, distance: BigInt(r.index) })),
  });
  return toJsonString(RegionSettingsSchema, settings);
}
