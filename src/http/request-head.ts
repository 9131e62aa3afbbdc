// What a complete request head says: its request line, its header fields, and what they mean for
// the body and the connection. Checked in the order Go's net/http checks them, so that a head with
// several faults gets the answer the original gives (docs/spec/http.md#fields).
import { headProblem, quote, type HeadProblem } from "./head-problem.js";
import type { RequestLine } from "./request-line.js";

export interface RequestHead {
  readonly method: string;
  /** The request target as sent, query included. */
  readonly target: string;
  /** The path the target names, percent-decoded. */
  readonly path: string;
  /** 0 for HTTP/1.0; 1 for HTTP/1.1 and the later 1.x versions, which are served as 1.1. */
  readonly minorVersion: number;
  /** Lower-case names and their values, in arrival order (a name may repeat). */
  readonly names: readonly string[];
  readonly values: readonly string[];
  /** Bytes to read as the body when it is not chunked (0 without a body). */
  readonly contentLength: number;
  readonly chunked: boolean;
  /** Whether the connection may stay open after the answer. */
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
  /** `Connection: upgrade` with an `Upgrade` header: a protocol switch is asked for. */
  readonly upgrade: boolean;
}

/** Bytes Go's ValidHostHeader allows in a Host header. */
const hostByte = /^[A-Za-z0-9!$%&'()*+,\-.:;=[\]_~]*$/;
const maxContentLength = 2n ** 63n - 1n;

/**
 * The head made of `line` and the fields read; `invalidName` is the first field name Go reads but
 * refuses only after the framing checks (a name with a space in it).
 */
export function completeHead(
  line: RequestLine,
  names: readonly string[],
  values: readonly string[],
  invalidName: string | undefined,
): RequestHead | HeadProblem {
  const { major, minor } = line;
  const atLeast11 = major > 1 || (major === 1 && minor >= 1);
  // One pass over the fields for those that frame the request; the checks follow in Go's order.
  let hosts = 0;
  let host = "";
  let encodings = 0;
  let encoding = "";
  let lengths = 0;
  let length = "";
  let lengthsDiffer = false;
  let trailers: string[] | undefined;
  let expect: string | undefined;
  let connection: string[] | undefined;
  let upgrade = false;
  for (let i = 0; i < names.length; i++) {
    const value = values[i]!;
    switch (names[i]) {
      case "host":
        if (hosts++ === 0) host = value;
        break;
      case "transfer-encoding":
        if (encodings++ === 0) encoding = value;
        break;
      case "content-length":
        if (lengths++ === 0) length = value;
        else if (value !== length) lengthsDiffer = true;
        break;
      case "trailer":
        (trailers ??= []).push(value);
        break;
      case "expect":
        expect ??= value;
        break;
      case "connection":
        (connection ??= []).push(value);
        break;
      case "upgrade":
        upgrade = true;
        break;
    }
  }
  if (hosts > 1) return headProblem(400, "too many Host headers");

  // Transfer-Encoding, on HTTP/1.1 and later only: Go ignores it on HTTP/1.0.
  if (!atLeast11) encodings = 0;
  if (encodings > 1) return headProblem(501, "more than one Transfer-Encoding header");
  if (encodings === 1 && encoding.toLowerCase() !== "chunked") return headProblem(501, `unsupported Transfer-Encoding ${quote(encoding)}`);
  const chunked = encodings === 1;

  // Content-Length is checked even when the body is chunked; repeated, it must repeat one value.
  if (lengthsDiffer) return headProblem(400, "conflicting Content-Length headers");
  let contentLength = 0;
  if (lengths > 0) {
    if (!/^\d{1,19}$/.test(length) || (length.length === 19 && BigInt(length) > maxContentLength)) {
      return headProblem(400, `invalid Content-Length ${quote(length)}`);
    }
    contentLength = Number(length);
  }
  if (chunked && trailers !== undefined) {
    for (const declared of trailers) {
      for (const name of declared.split(",")) {
        const key = trimOws(name).toLowerCase();
        if (key === "transfer-encoding" || key === "trailer" || key === "content-length") {
          return headProblem(400, `the Trailer header names ${quote(trimOws(name))}`);
        }
      }
    }
  }

  // Go serves HTTP/1.x, and HTTP/2.0 only as the preface of a protocol switch it leaves to handlers.
  const preface = major === 2 && minor === 0 && line.method === "PRI" && line.target === "*";
  if (major !== 1 && !preface) return headProblem(505, `unsupported protocol version "HTTP/${major}.${minor}"`);
  const prefaceAlone = preface && names.length === 0;
  if (atLeast11 && hosts === 0 && !prefaceAlone && line.method !== "CONNECT") return headProblem(400, "missing required Host header");
  if (hosts === 1 && !hostByte.test(host)) return headProblem(400, `malformed Host header ${quote(host)}`);
  if (invalidName !== undefined) return headProblem(400, `invalid header name ${quote(invalidName)}`);

  const expectContinue = expect !== undefined && hasToken(expect, "100-continue");
  if (!expectContinue && expect !== undefined && expect !== "") return headProblem(417, `unsupported Expect ${quote(expect)}`);

  const close = connection !== undefined && connection.some((value) => hasListToken(value, "close"));
  const keepAlive =
    major === 1 && minor === 0
      ? !close && connection !== undefined && connection.some((value) => hasListToken(value, "keep-alive"))
      : !close && !prefaceAlone;
  return {
    method: line.method,
    target: line.target,
    path: line.path,
    minorVersion: atLeast11 ? 1 : 0,
    names,
    values,
    contentLength: chunked ? 0 : contentLength,
    chunked,
    // RFC 9112 §6.1: after a request with both Content-Length and chunked, the connection closes.
    keepAlive: keepAlive && !(chunked && lengths > 0),
    expectContinue: expectContinue && atLeast11 && (chunked || contentLength > 0),
    upgrade: upgrade && connection !== undefined && connection.some((value) => hasListToken(value, "upgrade")),
  };
}

/** Whether the comma-separated list `value` holds `token`, ignoring case (Go's headerValueContainsToken). */
function hasListToken(value: string, token: string): boolean {
  for (const item of value.split(",")) if (trimOws(item).toLowerCase() === token) return true;
  return false;
}

/** Go's hasToken: `token` anywhere in `value` between spaces, tabs, commas or the ends, ignoring case. */
function hasToken(value: string, token: string): boolean {
  const lower = value.toLowerCase();
  const boundary = (at: number): boolean => at < 0 || at >= value.length || " ,\t".includes(value[at]!);
  for (let at = lower.indexOf(token); at !== -1; at = lower.indexOf(token, at + 1)) {
    if (boundary(at - 1) && boundary(at + token.length)) return true;
  }
  return false;
}

/** Without the spaces and tabs around it (RFC 9110's OWS; not every Unicode space). */
function trimOws(text: string): string {
  let from = 0;
  let to = text.length;
  while (from < to && (text[from] === " " || text[from] === "\t")) from++;
  while (to > from && (text[to - 1] === " " || text[to - 1] === "\t")) to--;
  return text.slice(from, to);
}
