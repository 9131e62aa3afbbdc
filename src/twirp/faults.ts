// How a failing region fails (the control's `failMode`, REFERENCE §4.3 for `status`, `drop` and the
// legacy `delay`). Beyond the original: transport faults that only a broken network or a proxy
// produces, each shaped so that a client sees exactly that fault and nothing else.
import type { HeaderFields, HttpResponse } from "../http/http-response.js";
import { formatHead } from "../http/format-head.js";
import type { Outcome } from "../shared/outcome.js";
import type { RegionFailure } from "./fault-plan.js";
import { finalStatus, TwirpError, twirpErrorAnswer, writeTwirpError, type Answer } from "./twirp-errors.js";

export interface FailureContext {
  /** How long the legacy `delay` mode sleeps. */
  readonly legacyDelayMs: number;
  readonly slowBytesPerSec: number;
  /** The answer the request would get without the failure (what `slow-body` sends). */
  success(): Answer;
  /** Headers an HTTP answer of this call carries, given how the call ends (the echo). */
  headersFor(outcome: Outcome, status: number): HeaderFields;
}

/** Bytes that no HTTP client can read as a status line. */
const garbage = Buffer.from("\u0016\u0003\u0001\u0000\u00a5 this is not HTTP \u00ff\u00fe\r\n\r\n", "latin1");

export async function runFailure(res: HttpResponse, failure: RegionFailure, context: FailureContext): Promise<Outcome> {
  const why = failure.mode === "status" ? failure.why : `${failure.why} (failMode ${failure.mode})`;
  switch (failure.mode) {
    case "status":
      return answerStatus(res, failure, why, context);
    case "delay":
      if (!(await res.wait(context.legacyDelayMs))) {
        return { kind: "client-gone", why: `client went away during the ${context.legacyDelayMs} ms failMode delay` };
      }
      return answerStatus(res, failure, failure.why, context);
    case "drop":
      res.drop();
      return { kind: "dropped", why };
    case "reset": {
      const { socket } = res.takeOver();
      socket.resetAndDestroy();
      return { kind: "fault", fault: "reset", why };
    }
    case "hang":
      // Until the client stops sending: after its FIN nothing can end the wait, so the connection closes.
      await new Promise<void>((resolve) => res.onInputEnd(resolve));
      res.drop();
      return { kind: "fault", fault: "hang", why: `${why}; the client went away` };
    case "close-after-headers":
    case "truncated-body": {
      // A 1xx has no body to break: these faults break the 200 that follows an interim answer,
      // and a 101's is a 200 too.
      const failed = statusFailure(failure);
      const error = failed.status < 200 ? new TwirpError(failed.code, failed.message, failed.meta, 200) : failed;
      const answer = twirpErrorAnswer(
        error,
        context.headersFor({ kind: "fault", fault: failure.mode, status: error.status, why }, error.status),
      );
      const body = Buffer.from(answer.body);
      // Some bytes but fewer than announced; none at all after the headers.
      const sent = failure.mode === "truncated-body" ? body.subarray(0, Math.max(1, Math.floor(body.length / 2))) : Buffer.alloc(0);
      const head = formatHead(answer.status, answer.headers, { length: body.length, connection: "close" });
      const { socket } = res.takeOver();
      socket.end(Buffer.concat([Buffer.from(head), sent]));
      return { kind: "fault", fault: failure.mode, status: answer.status, why };
    }
    case "garbage": {
      const { socket } = res.takeOver();
      socket.end(garbage);
      return { kind: "fault", fault: "garbage", why };
    }
    case "intermediary": {
      const status = failure.status ?? 502;
      const outcome: Outcome = { kind: "fault", fault: "intermediary", status, why };
      res.send(status, { "Content-Type": "text/html", ...context.headersFor(outcome, status) }, intermediaryPage(status));
      return outcome;
    }
    case "slow-body":
      return dribble(res, context.success(), context, why);
  }
}

/** A `status` failure as the original words it: `mock failure (status N)`, code derived from N. */
export function statusFailure(failure: Pick<RegionFailure, "status" | "twirpCode" | "meta">): TwirpError {
  const status = failure.status === undefined || failure.status < 100 || failure.status > 599 ? 503 : failure.status;
  const code = failure.twirpCode !== "" ? failure.twirpCode : derivedCode(status);
  if (Object.keys(failure.meta).length > 0) return new TwirpError(code, `mock failure (status ${status})`, failure.meta, status);
  // Errors are immutable answers, and a failing region answers the same few over and over.
  const key = `${status} ${code}`;
  let error = plainFailures.get(key);
  if (error === undefined) {
    error = new TwirpError(code, `mock failure (status ${status})`, {}, status);
    if (plainFailures.size < 1024) plainFailures.set(key, error);
  }
  return error;
}

const plainFailures = new Map<string, TwirpError>();

function answerStatus(res: HttpResponse, failure: RegionFailure, why: string, context: FailureContext): Outcome {
  const error = statusFailure(failure);
  const outcome: Outcome = { kind: "error", code: error.code, why };
  writeTwirpError(res, error, context.headersFor(outcome, finalStatus(error.status)));
  return outcome;
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

const statusTitles: Readonly<Record<number, string>> = {
  502: "Bad Gateway",
  503: "Service Temporarily Unavailable",
  504: "Gateway Time-out",
};

/** The page nginx answers when its upstream fails: what a load balancer in front of LiveKit sends. */
function intermediaryPage(status: number): string {
  const title = `${status} ${statusTitles[status] ?? "Bad Gateway"}`;
  return `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
}

/** The correct answer, its head at once and its body at `slowBytesPerSec`; the connection ends after it. */
async function dribble(res: HttpResponse, answer: Answer, context: FailureContext, why: string): Promise<Outcome> {
  const body = Buffer.from(answer.body);
  const echo = context.headersFor({ kind: "fault", fault: "slow-body", status: answer.status, why }, answer.status);
  const head = formatHead(answer.status, { ...answer.headers, ...echo }, { length: body.length, connection: "close" });
  const { socket } = res.takeOver();
  socket.write(head);
  // Ten writes a second, or one byte at a time when that is slower.
  const perTick = Math.max(1, Math.floor(context.slowBytesPerSec / 10));
  const tickMs = (perTick / context.slowBytesPerSec) * 1000;
  let sent = 0;
  const finished = await new Promise<boolean>((resolve) => {
    socket.once("close", () => resolve(sent >= body.length));
    const tick = (): void => {
      if (socket.destroyed) return;
      const next = body.subarray(sent, sent + perTick);
      sent += next.length;
      if (sent >= body.length) {
        socket.end(next);
        return;
      }
      socket.write(next);
      setTimeout(tick, tickMs);
    };
    setTimeout(tick, tickMs);
  });
  if (!finished) return { kind: "client-gone", why: `${why}; the client went away after ${sent} of ${body.length} body bytes` };
  return { kind: "fault", fault: "slow-body", status: answer.status, why };
}
