// One event's delivery as the notifier's HTTP client does it (protocol webhook
// resource_url_notifier.go newHTTPClient over hashicorp/go-retryablehttp v0.7.8): up to 4 retries
// of the same request (same body, same token, so the same event id), each attempt given 10 s to
// answer, waits of 1 s·2^n capped at 30 s, a 429 or 503's Retry-After honoured up to that cap.
// Retried: transport errors and timeouts, 429, and 5xx except 501; any other answer ends it.
//
// Unlike Go's client, redirects are not followed: a 3xx is the final answer, so an allowed host
// cannot bounce a signed request to one that is not allowed.
import { request as httpRequest, type ClientRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import type { SignedWebhook } from "./sign-webhook.js";
import { targetLookup } from "./webhook-target.js";

/** webhook/consts.go: a custom type so that receivers check the signature before parsing. */
export const webhookContentType = "application/webhook+json";
/** webhook/consts.go DefaultUserAgent; receivers pin firewall rules to it. */
export const webhookUserAgent = "LiveKit";

export interface DeliveryPolicy {
  /** retryablehttp's RetryMax (4) plus the first attempt. */
  readonly attempts: number;
  /** The notifier's defaultClientTimeout, per attempt. */
  readonly attemptTimeoutMs: number;
  readonly retryWaitMinMs: number;
  readonly retryWaitMaxMs: number;
  /** ResourceURLNotifierConfig MaxAge: an event that waited longer in its queue is dropped unsent. */
  readonly maxQueueAgeMs: number;
  /** ResourceURLNotifierConfig MaxDepth: events queued per resource beyond it are dropped. */
  readonly maxQueueDepth: number;
}

export const notifierPolicy: DeliveryPolicy = {
  attempts: 5,
  attemptTimeoutMs: 10_000,
  retryWaitMinMs: 1_000,
  retryWaitMaxMs: 30_000,
  maxQueueAgeMs: 30_000,
  maxQueueDepth: 200,
};

const shuttingDown = "the server is shutting down";

/** newHTTPClient's MaxResponseHeaderBytes: only the status of an answer is used. */
const maxResponseHeaderBytes = 64 << 10;

export interface AttemptOutcome {
  /** 1-based. */
  readonly attempt: number;
  readonly attempts: number;
  /** The receiver's HTTP status, when it answered. */
  readonly status?: number;
  /** Why there was no answer (connection refused, reset, timeout, …). */
  readonly error?: string;
  readonly latencyMs: number;
  /** The wait before the next attempt; absent after the last one. */
  readonly retryInMs?: number;
}

export interface DeliveryResult {
  /** The last answer's status, when there was one. */
  readonly status?: number;
  /** The last answer was one the notifier does not retry: Go's "sent webhook" (a 4xx included). */
  readonly sent: boolean;
  readonly attempts: readonly AttemptOutcome[];
}

export async function postWebhook(
  url: URL,
  signed: SignedWebhook,
  policy: DeliveryPolicy = notifierPolicy,
  onAttempt: (outcome: AttemptOutcome) => void = () => {},
  signal?: AbortSignal,
): Promise<DeliveryResult> {
  const attempts: AttemptOutcome[] = [];
  for (let attempt = 1; ; attempt++) {
    const started = performance.now();
    const answer = await postOnce(url, signed, policy.attemptTimeoutMs, signal);
    const latencyMs = Math.round(performance.now() - started);
    const retry = answer.status === undefined ? answer.retryable : retryableStatus(answer.status);
    const last = !retry || attempt >= policy.attempts || signal?.aborted === true;
    const retryInMs = last
      ? undefined
      : backoffMs(policy, attempt - 1, answer.status, answer.status === undefined ? undefined : answer.retryAfter);
    const outcome: AttemptOutcome = {
      attempt,
      attempts: policy.attempts,
      ...(answer.status === undefined ? { error: answer.error } : { status: answer.status }),
      latencyMs,
      ...(retryInMs === undefined ? {} : { retryInMs }),
    };
    attempts.push(outcome);
    onAttempt(outcome);
    if (retryInMs === undefined) {
      return { ...(answer.status === undefined ? {} : { status: answer.status }), sent: !retry, attempts };
    }
    if (!(await sleep(retryInMs, signal))) return { sent: false, attempts };
  }
}

type Answer =
  | { readonly status: number; readonly retryAfter: string | undefined }
  | { readonly status?: undefined; readonly error: string; readonly retryable: boolean };

function postOnce(url: URL, signed: SignedWebhook, timeoutMs: number, signal: AbortSignal | undefined): Promise<Answer> {
  if (signal?.aborted === true) return Promise.resolve({ error: shuttingDown, retryable: false });
  return new Promise((resolve) => {
    const request = url.protocol === "https:" ? httpsRequest : httpRequest;
    let req: ClientRequest;
    let settled = false;
    const settle = (answer: Answer): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      resolve(answer);
    };
    const onAbort = (): void => {
      settle({ error: shuttingDown, retryable: false });
      req.destroy();
    };
    // Header order and spelling as Go's net/http sends the notifier's request.
    const lookup = targetLookup(url);
    req = request(url, {
      method: "POST",
      agent: false,
      ...(lookup === undefined ? {} : { lookup }),
      maxHeaderSize: maxResponseHeaderBytes,
      headers: {
        "User-Agent": webhookUserAgent,
        "Content-Length": String(signed.body.length),
        Authorization: signed.token,
        "Content-Type": webhookContentType,
        "Accept-Encoding": "gzip",
      },
    });
    const timer = setTimeout(() => {
      settle({ error: `no answer within ${timeoutMs} ms`, retryable: true });
      req.destroy();
    }, timeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    req.on("response", (res: IncomingMessage) => {
      // Only the status counts; the body is discarded unread, as the notifier closes it.
      res.resume();
      res.on("error", () => {});
      settle({ status: res.statusCode ?? 0, retryAfter: headerValue(res.headers["retry-after"]) });
    });
    req.on("error", (err: NodeJS.ErrnoException) => {
      settle({ error: err.message, retryable: !certificateErrors.has(err.code ?? "") });
    });
    req.end(signed.body);
  });
}

// retryablehttp does not retry a TLS certificate failure (isCertError): it will not fix itself.
const certificateErrors = new Set([
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "ERR_TLS_CERT_ALTNAME_INVALID",
]);

/** retryablehttp's baseRetryPolicy for an answer. */
export function retryableStatus(status: number): boolean {
  return status === 429 || status === 0 || (status >= 500 && status !== 501);
}

/** The notifier's cappedBackoff over retryablehttp's DefaultBackoff; `retry` counts from 0. */
export function backoffMs(policy: DeliveryPolicy, retry: number, status: number | undefined, retryAfter: string | undefined): number {
  if ((status === 429 || status === 503) && retryAfter !== undefined) {
    const after = retryAfterMs(retryAfter);
    if (after !== undefined) return Math.min(after, policy.retryWaitMaxMs);
  }
  return Math.min(policy.retryWaitMinMs * 2 ** retry, policy.retryWaitMaxMs);
}

/** Retry-After as seconds or an HTTP date (parseRetryAfterHeader); undefined when unusable. */
function retryAfterMs(value: string): number | undefined {
  if (/^[+-]?\d+$/.test(value)) {
    const seconds = Number(value);
    return seconds < 0 ? undefined : seconds * 1000;
  }
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - Date.now());
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Resolves true after `ms`, or false at once when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted === true) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
