// The one error module: Twirp codes, their HTTP statuses (twirp's ServerHTTPStatusFromErrorCode,
// one code per line), and the single way an error reaches the wire.
import type { ControlError } from "../control/control-error.js";
import type { BodyReadError } from "../http/http-request.js";
import type { HeaderFields, HttpResponse } from "../http/http-response.js";
import { isInterim } from "../http/status-text.js";

export const twirpHttpStatus = {
  canceled: 408,
  unknown: 500,
  invalid_argument: 400,
  malformed: 400,
  deadline_exceeded: 408,
  not_found: 404,
  bad_route: 404,
  already_exists: 409,
  permission_denied: 403,
  unauthenticated: 401,
  resource_exhausted: 429,
  failed_precondition: 412,
  aborted: 409,
  out_of_range: 400,
  unimplemented: 501,
  internal: 500,
  unavailable: 503,
  data_loss: 500,
} as const;

export type TwirpCode = keyof typeof twirpHttpStatus;

/**
 * An error answered as `{code,msg[,meta]}` JSON. `status` defaults to the code's; the mock's
 * configurable failures set it explicitly, and may carry a code twirp does not define (the
 * control header's `failTwirpCode` is used verbatim, as the original does).
 */
export class TwirpError extends Error {
  override name = "TwirpError";
  readonly status: number;
  constructor(
    readonly code: TwirpCode | (string & {}),
    msg: string,
    readonly meta: Readonly<Record<string, string>> = {},
    status?: number,
    /** The SIP status path writes through a JSON encoder: newline at the end, HTML escaped. */
    readonly encoderStyle = false,
  ) {
    // An answer, not a fault of ours: no stack trace is captured, which cost more than the whole
    // rest of a failing region's answer (bench/README.md).
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(msg);
    Error.stackTraceLimit = stackTraceLimit;
    this.status = status ?? twirpHttpStatus[code as TwirpCode] ?? 500;
  }
}

export function isTwirpError(err: unknown): err is TwirpError {
  return err instanceof Error && err.name === "TwirpError";
}

/** `bad_route` exactly as a generated Twirp server words it. */
export function badRoute(msg: string, method: string, path: string): TwirpError {
  return new TwirpError("bad_route", msg, { twirp_invalid_route: `${method} ${path}` });
}

/** A refused control header is the client's mistake: 400 `invalid_argument`, its message as is. */
export function controlFailure(err: ControlError): TwirpError {
  return new TwirpError("invalid_argument", err.message);
}

/** A body too large or badly framed is `malformed`, as a real Twirp server says it; an aborted upload is `canceled`. */
export function bodyFailure(err: BodyReadError): TwirpError {
  return new TwirpError(err.reason === "aborted" ? "canceled" : "malformed", err.message);
}

/** An answer ready to be sent, or broken on purpose by a fault. */
export interface Answer {
  readonly status: number;
  readonly headers: HeaderFields;
  readonly body: string | Uint8Array;
}

/**
 * The error as the mock answers it. The mock always sends `X-Lk-Mock-Region` with an empty value
 * on errors (REFERENCE §4.5). `Content-Type` is exactly `application/json`: the Node SDK ignores
 * error bodies of any other type, and Go clients reject any key besides code, msg and meta.
 * A 1xx status is answered as Go's net/http answers the original's `WriteHeader`
 * (docs/spec/control.md#informational-status): 101 alone, with no body; any other 1xx as an
 * interim answer with the same headers (`informational`), then the body under a 200. A 204 or 304
 * has no body (and a 304 no Content-Type).
 */
export function twirpErrorAnswer(
  err: TwirpError,
  extraHeaders: HeaderFields = {},
): Answer & { readonly body: string; readonly informational: number | undefined } {
  const body: { code: string; msg: string; meta?: Record<string, string> } = { code: err.code, msg: err.message };
  if (Object.keys(err.meta).length > 0) body.meta = sortedRecord(err.meta);
  let text = JSON.stringify(body);
  if (err.encoderStyle) text = `${escapeHtml(text)}\n`;
  const informational = isInterim(err.status) ? err.status : undefined;
  const status = finalStatus(err.status);
  if (status === 304) return { status, headers: { "X-Lk-Mock-Region": "", ...extraHeaders }, body: "", informational };
  const headers = { "Content-Type": "application/json", "X-Lk-Mock-Region": "", ...extraHeaders };
  return { status, headers, body: status === 204 || status === 101 ? "" : text, informational };
}

/** The status of the final answer to an error of `status`: 200 after an interim 1xx. */
export function finalStatus(status: number): number {
  return isInterim(status) ? 200 : status;
}

/** Writes the error (see twirpErrorAnswer). */
export function writeTwirpError(res: HttpResponse, err: TwirpError, extraHeaders?: HeaderFields): void {
  const answer = twirpErrorAnswer(err, extraHeaders);
  if (answer.informational !== undefined) res.sendInformational(answer.informational, answer.headers);
  res.send(answer.status, answer.headers, answer.body);
}

function sortedRecord(record: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

// Go's json.Encoder escapes these so the output is safe inside HTML; the SIP error path uses it.
function escapeHtml(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
