// A failing region (REFERENCE §4.3): `drop` closes the socket without a byte, legacy `delay`
// sleeps and then fails like `status`, and `status` answers a Twirp error with a derived code.
import type { Control } from "../control/parse-control.js";
import type { HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import { TwirpError, writeTwirpError } from "./twirp-errors.js";

export async function failRegion(res: HttpResponse, control: Control, regionIndex: number): Promise<Outcome> {
  const why = `failRegions includes ${regionIndex}`;
  if (control.failMode === "drop") {
    res.drop();
    return { kind: "dropped", why: `${why} (failMode drop)` };
  }
  if (control.failMode === "delay" && !(await res.wait(control.legacyDelayMs))) {
    return { kind: "client-gone", why: `client went away during the ${control.legacyDelayMs} ms failMode delay` };
  }
  const error = statusFailure(control);
  writeTwirpError(res, error);
  return { kind: "error", code: error.code, why };
}

export function statusFailure(control: Control): TwirpError {
  const status = control.failStatus === undefined || control.failStatus < 100 || control.failStatus > 599 ? 503 : control.failStatus;
  const code = control.failTwirpCode !== "" ? control.failTwirpCode : derivedCode(status);
  return new TwirpError(code, `mock failure (status ${status})`, {}, status);
}

function derivedCode(status: number): string {
  switch (status) {
    case 400:
      return "invalid_argument";
    case 401:
      return "unauthenticated";
    case 403:
      return "permission_denied";
    case 404:
      return "not_found";
    case 429:
      return "resource_exhausted";
    default:
      return status >= 500 ? "unavailable" : "internal";
  }
}
