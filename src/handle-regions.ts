// /settings/regions (REFERENCE §4.4): not subject to auth, failures, delays or the 451 pin check;
// `regionsStatus` replaces the answer and `pinnedRegions` filters the list.
import type { IncomingMessage, ServerResponse } from "node:http";
import { parseControl } from "./control/parse-control.js";
import { sendJson } from "./http-io.js";
import type { ListenerContext } from "./listener-context.js";
import { regionSettingsJson } from "./regions.js";
import type { TwirpOutcome } from "./handle-twirp.js";
import { TwirpError, writeTwirpError } from "./twirp-errors.js";

export function handleRegions(req: IncomingMessage, res: ServerResponse, ctx: ListenerContext): TwirpOutcome {
  let control;
  try {
    control = parseControl((name) => req.headersDistinct[name]?.[0]);
  } catch (err) {
    if (!(err instanceof TwirpError)) throw err;
    writeTwirpError(res, err);
    return { kind: "error", error: err, why: err.message };
  }
  if (control.regionsStatus !== undefined && control.regionsStatus !== 200) {
    res.writeHead(control.regionsStatus, { "Content-Length": 0 });
    res.end();
    return { kind: "success", why: `regionsStatus ${control.regionsStatus}` };
  }
  sendJson(res, 200, regionSettingsJson(ctx.shared.regions, control.pinnedRegions), {
    "Cache-Control": "max-age=0",
    "X-Lk-Mock-Region": String(ctx.region.index),
  });
  return {
    kind: "success",
    why: control.pinnedRegions.length > 0 ? `regions pinned to ${control.pinnedRegions.join(", ")}` : "all regions",
  };
}
