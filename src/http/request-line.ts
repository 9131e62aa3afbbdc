// The first line of a request: method, target and version, split and checked as Go's net/http
// does (docs/spec/http.md#request-line). Whether the version is served is decided once the
// fields are read, in Go's order (request-head.ts).
import { headProblem, isHeadProblem, quote, type HeadProblem } from "./head-problem.js";
import { parseRequestTarget } from "./request-target.js";

export interface RequestLine {
  readonly method: string;
  /** The request target as sent, query included. */
  readonly target: string;
  /** The path the target names, percent-decoded. */
  readonly path: string;
  readonly major: number;
  readonly minor: number;
}

const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Reads a request line (line ending removed; a character per byte). */
export function parseRequestLine(text: string): RequestLine | HeadProblem {
  // Go cuts at the first two spaces: whatever follows the second is the version.
  const firstSpace = text.indexOf(" ");
  const secondSpace = firstSpace === -1 ? -1 : text.indexOf(" ", firstSpace + 1);
  if (secondSpace === -1) return headProblem(400, `malformed request line ${quote(text)}`);
  const method = text.slice(0, firstSpace);
  const target = text.slice(firstSpace + 1, secondSpace);
  const version = text.slice(secondSpace + 1);
  if (method !== "GET" && method !== "POST" && !token.test(method)) return headProblem(400, `invalid method ${quote(method)}`);
  let major = 1;
  let minor = 1;
  if (version === "HTTP/1.0") {
    minor = 0;
  } else if (version !== "HTTP/1.1") {
    // HTTP/<digit>.<digit>, nothing else (Go's http.ParseHTTPVersion).
    const digits = /^HTTP\/(\d)\.(\d)$/.exec(version);
    if (digits === null) return headProblem(400, `malformed HTTP version ${quote(version)}`);
    major = Number(digits[1]);
    minor = Number(digits[2]);
  }
  const parsed = parseRequestTarget(target, method);
  if (isHeadProblem(parsed)) return parsed;
  return { method, target, path: parsed.path, major, minor };
}
