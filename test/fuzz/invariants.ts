// What every answer must satisfy, whatever was sent: no 5xx unless a control asked for one (or the
// answer is one of the documented protocol refusals), no stack trace or file path in a body that
// the request did not put there itself, and every refusal a Twirp error `{code,msg[,meta]}` whose
// msg names the problem (or one of the documented plain answers of the other routes).
import type { Answer, RawRequest } from "./raw-http.js";

export interface Sent {
  readonly request: RawRequest | Uint8Array;
  readonly answer: Answer;
}

/** Problems with one answer; empty when it is fine. */
export function answerProblems({ request, answer }: Sent): string[] {
  if (answer.kind === "timeout") {
    if (!(request instanceof Uint8Array) && mayGoUnanswered(request)) return [];
    return ["no answer within the timeout"];
  }
  if (answer.kind === "closed") {
    // Dropping the connection is an answer only to failMode drop, a signal mode, or bytes that
    // never formed a request (the server may close without a word on a half-sent head).
    if (request instanceof Uint8Array || controlHeaders(request).length > 0 || isSignalPath(request)) return [];
    return [
      `connection closed without an answer${answer.partial.length > 0 ? ` after ${JSON.stringify(answer.partial.toString("latin1").slice(0, 80))}` : ""}`,
    ];
  }
  const problems: string[] = [];
  // An answer to HEAD carries the headers of the answer to GET and no body.
  if (!(request instanceof Uint8Array) && request.method === "HEAD") {
    return answer.status >= 500 && answer.status !== 501 && answer.status !== 505 && controlHeaders(request).length === 0
      ? [`answered HEAD with ${answer.status}`]
      : [];
  }
  const text = answer.body.toString("utf8");
  const contentType = answer.headers.get("content-type")?.[0];
  const twirp = contentType === "application/json" && answer.status >= 400 ? parseTwirpError(text) : undefined;
  if (typeof twirp === "string") problems.push(twirp);
  const error = typeof twirp === "object" ? twirp : undefined;

  if (answer.status >= 500 && !deliberateServerError(request, answer.status, text, error)) {
    problems.push(`answered ${answer.status} without a control asking for it: ${text.slice(0, 200)}`);
  }
  if (error !== undefined) {
    const unnamed = unnamedProblem(request, error);
    if (unnamed !== undefined) problems.push(unnamed);
  }
  if (answer.status >= 400 && !(request instanceof Uint8Array) && request.target.startsWith("/twirp/") && error === undefined) {
    // Under the prefix only the pinned-region answer is plain text
    // (docs/spec/regions.md#pinned-regions); the HTTP layer's own refusals are Twirp errors too.
    const controlled = controlHeaders(request).length > 0;
    const pinned = answer.status === 451 && text === "project not allowed in this region.";
    if (!(controlled && (pinned || isIntermediaryPage(contentType, text)))) {
      problems.push(`refusal ${answer.status} under the Twirp prefix is not a Twirp error: ${contentType} ${text.slice(0, 200)}`);
    }
  }
  for (const leak of leaks(text, request)) problems.push(`the body leaks ${JSON.stringify(leak)}`);
  return problems;
}

/** `{code,msg[,meta]}` with nothing else, or why not. */
export function parseTwirpError(text: string): { code: string; msg: string; meta?: Record<string, string> } | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return `an application/json refusal that is not JSON: ${text.slice(0, 200)}`;
  }
  if (json === null || typeof json !== "object" || Array.isArray(json))
    return `a refusal body that is not an object: ${text.slice(0, 200)}`;
  const body = json as Record<string, unknown>;
  const extra = Object.keys(body).filter((k) => k !== "code" && k !== "msg" && k !== "meta");
  if (extra.length > 0) return `a Twirp error with extra keys ${extra.join(", ")}`;
  if (typeof body["code"] !== "string" || typeof body["msg"] !== "string")
    return `a Twirp error without a string code and msg: ${text.slice(0, 200)}`;
  const meta = body["meta"];
  if (meta !== undefined && (meta === null || typeof meta !== "object" || Object.values(meta).some((v) => typeof v !== "string"))) {
    return `a Twirp error whose meta is not an object of strings: ${text.slice(0, 200)}`;
  }
  return body as { code: string; msg: string; meta?: Record<string, string> };
}

function deliberateServerError(
  request: RawRequest | Uint8Array,
  status: number,
  text: string,
  error: { code: string; msg: string } | undefined,
): boolean {
  // The HTTP layer's answers to what Go's net/http also refuses with 501 and 505.
  if ((status === 501 || status === 505) && error?.code === "malformed" && error.msg.startsWith("malformed HTTP request: ")) return true;
  if (request instanceof Uint8Array) return false;
  const controlled = controlHeaders(request).length > 0;
  if (controlled && error !== undefined && error.msg === `mock failure (status ${status})`) return true;
  if (controlled && error !== undefined && /^(twirp error unknown: )?sip status: /.test(error.msg)) return true;
  if (controlled && request.target.split("?")[0] === "/settings/regions" && text === "") return true;
  // failMode intermediary: a load balancer's HTML page.
  if (controlled && isIntermediaryPage(undefined, text)) return true;
  // The signal modes validate_500 (validate answers the text, the upgrade an empty body).
  if (isSignalPath(request) && status === 500 && (text === "internal server error" || text === "")) return true;
  return false;
}

/** Why a Twirp error's msg does not say what was wrong, or undefined when it does. */
function unnamedProblem(request: RawRequest | Uint8Array, error: { code: string; msg: string }): string | undefined {
  const { code, msg } = error;
  const controlled = !(request instanceof Uint8Array) && controlHeaders(request).length > 0;
  if (controlled && (/^mock failure \(status \d{3}\)$/.test(msg) || /^(twirp error unknown: )?sip status: /.test(msg))) return undefined;
  const named: Record<string, RegExp> = {
    malformed:
      /^(the (json|protobuf) request could not be decoded: \S|malformed HTTP request: \S|the request body exceeds the \d+-byte limit$|the chunked request body is malformed: \S)/,
    invalid_argument: /^mock: invalid control: \S/,
    bad_route: /^(unsupported method ".*" \(only POST is allowed\)|unexpected Content-Type: ".*"|no handler for path ".*")$/,
    unauthenticated: /^mock: unauthenticated$/,
    permission_denied: /^mock: permission_denied: \S/,
    canceled: /\S/,
  };
  const pattern = named[code];
  if (pattern === undefined) return `an unexpected Twirp code ${JSON.stringify(code)}: ${msg.slice(0, 200)}`;
  return pattern.test(msg) ? undefined : `a ${code} error whose msg does not name the problem: ${JSON.stringify(msg.slice(0, 200))}`;
}

const leakPatterns: readonly RegExp[] = [
  // A stack frame: "    at fn (file:///x/y.js:1:2)" or "at async x (/a/b.ts:3:4)".
  /\bat (?:async )?[\w$.<>[\] ]*\(?(?:file:\/\/|node:|\/)[^\s)]*:\d+:\d+\)?/g,
  // An absolute path into the machine's file system.
  /(?:file:\/\/)?\/(?:work|home|root|usr|tmp|opt|app|var|etc|srv|mnt|proc)\/[\w.@+-]+(?:\/[\w.@+-]+)*/g,
  /node_modules/g,
  /\b[\w-]+\.(?:ts|js|mjs|cjs):\d+/g,
  /\b(?:TypeError|RangeError|ReferenceError|SyntaxError): /g,
];

/** Stack traces and file paths in `text` that the request did not send itself. */
function leaks(text: string, request: RawRequest | Uint8Array): string[] {
  const found: string[] = [];
  const sent = requestText(request);
  const cwd = process.cwd();
  if (text.includes(cwd) && !sent.includes(cwd)) found.push(cwd);
  for (const pattern of leakPatterns) {
    for (const match of text.matchAll(pattern)) {
      if (!sent.includes(match[0]) && !sent.includes(JSON.stringify(match[0]).slice(1, -1))) found.push(match[0]);
    }
  }
  return found;
}

const requestTexts = new WeakMap<object, string>();

/** The request as text, both as UTF-8 and byte for byte, and with JSON string escapes undone. */
function requestText(request: RawRequest | Uint8Array): string {
  const known = requestTexts.get(request);
  if (known !== undefined) return known;
  const parts: string[] = [];
  const add = (bytes: Uint8Array | string): void => {
    const buffer = typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes);
    parts.push(buffer.toString("utf8"), buffer.toString("latin1"));
  };
  if (request instanceof Uint8Array) add(request);
  else {
    add(request.method);
    add(request.target);
    add(decodeURIComponentSafe(request.target));
    for (const [name, value] of request.headers) {
      add(name);
      add(value);
      if (name.toLowerCase() === "authorization")
        add(tokenPayloads(typeof value === "string" ? value : Buffer.from(value).toString("latin1")));
    }
    if (request.body !== undefined) add(request.body);
    for (const [, value] of new URLSearchParams(request.target.split("?")[1] ?? "")) add(tokenPayloads(value));
  }
  const text = parts.join("\n");
  requestTexts.set(request, text);
  return text;
}

/** The decoded segments of anything that looks like a JWT, since errors may quote its claims. */
function tokenPayloads(value: string): string {
  return value
    .split(/[\s.]+/)
    .map((segment) => Buffer.from(segment, "base64url").toString("utf8"))
    .join("\n");
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The nginx page failMode `intermediary` answers. */
function isIntermediaryPage(contentType: string | undefined, text: string): boolean {
  return (contentType === undefined || contentType === "text/html") && text.startsWith("<html>") && text.includes("<center>nginx</center>");
}

/** failMode hang never answers, and slow-body may take longer than the client waits. */
function mayGoUnanswered(request: RawRequest): boolean {
  return /hang|slow/i.test(controlText(request));
}

/**
 * How long a case waits for its answer: `briefMs` where a control may ask for none (a hang, a
 * slow body), else long enough for any busy machine (a timeout there is a finding).
 */
export function answerWaitMs(request: RawRequest | Uint8Array, briefMs: number): number {
  return !(request instanceof Uint8Array) && mayGoUnanswered(request) ? briefMs : 30_000;
}

function controlText(request: RawRequest): string {
  return request.headers
    .filter(([name]) => name.toLowerCase().startsWith("x-lk-mock"))
    .map(([, value]) => (typeof value === "string" ? value : Buffer.from(value).toString("utf8")))
    .join("\n");
}

export function controlHeaders(request: RawRequest): string[] {
  return request.headers.map(([name]) => name.toLowerCase()).filter((name) => name.startsWith("x-lk-mock"));
}

function isSignalPath(request: RawRequest | Uint8Array): boolean {
  return !(request instanceof Uint8Array) && /^\/rtc(\/v1)?(\/validate)?(\?|$)/.test(request.target);
}
