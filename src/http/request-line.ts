// The first line of a request: method, target and version (docs/spec/http.md#request-line).
import { headProblem, isHeadProblem, quote, type HeadProblem } from "./head-problem.js";
import { parseRequestTarget } from "./request-target.js";

export interface RequestLine {
  readonly method: string;
  /** The request target as sent, query included. */
  readonly target: string;
  /** The path the target names. */
  readonly path: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minorVersion: number;
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const badTargetChar = /[\x00-\x20\x7f]/;

/** Reads the request line held in `buf[start, end)` (line ending removed). */
export function parseRequestLine(buf: Buffer, start: number, end: number): RequestLine | HeadProblem {
  const text = buf.toString("latin1", start, end);
  const firstSpace = text.indexOf(" ");
  const lastSpace = text.lastIndexOf(" ");
  if (firstSpace <= 0 || lastSpace === firstSpace) return headProblem(400, `malformed request line ${quote(text)}`);
  const method = text.slice(0, firstSpace);
  const target = text.slice(firstSpace + 1, lastSpace);
  const version = text.slice(lastSpace + 1);
  if (method !== "POST" && method !== "GET" && !token.test(method)) return headProblem(400, `invalid method ${quote(method)}`);
  if (target === "" || badTargetChar.test(target)) return headProblem(400, `invalid request target ${quote(target)}`);
  let minorVersion: number;
  if (version === "HTTP/1.1") minorVersion = 1;
  else if (version === "HTTP/1.0") minorVersion = 0;
  else if (/^HTTP\/\d\.\d$/.test(version)) return headProblem(505, `unsupported protocol version ${quote(version)}`);
  else return headProblem(400, `malformed HTTP version ${quote(version)}`);
  const parsed = parseRequestTarget(target, method);
  if (isHeadProblem(parsed)) return parsed;
  return { method, target, path: parsed.path, minorVersion };
}

export function isRequestLine(value: RequestLine | HeadProblem): value is RequestLine {
  return (value as RequestLine).method !== undefined;
}
