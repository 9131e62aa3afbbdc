// The request line and headers of one HTTP/1.x request, read as Go's net/http reads them where it
// matters to a client: bare LF line endings accepted, header names matched case-insensitively and
// `Get` returning the first value, Content-Length and Transfer-Encoding rules, a Host required on
// HTTP/1.1. Header values are UTF-8, as clients send them (a control header may carry "é").

export interface RequestHead {
  readonly method: string;
  /** The request target as sent, query included. */
  readonly target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minorVersion: number;
  /** Lower-case names and their values, in arrival order (a name may repeat). */
  readonly names: readonly string[];
  readonly values: readonly string[];
  /** Bytes to read as the body when it is not chunked (0 without a body). */
  readonly contentLength: number;
  readonly chunked: boolean;
  /** Whether the client allows the connection to stay open after the answer. */
  readonly keepAlive: boolean;
  readonly expectContinue: boolean;
  /** `Connection: upgrade` with an `Upgrade` header: a protocol switch is asked for. */
  readonly upgrade: boolean;
}

export type HeadResult =
  | { readonly kind: "incomplete" }
  | { readonly kind: "head"; readonly head: RequestHead; /** Offset just past the blank line. */ readonly end: number }
  | { readonly kind: "refused"; readonly problem: HeadProblem };

export interface HeadProblem {
  readonly status: number;
  /** Lower-case, naming what was wrong. */
  readonly reason: string;
}

const incomplete: HeadResult = { kind: "incomplete" };
/** Header names seen before, already checked and lower-cased: clients send the same few each time. */
const knownNames = new Map<string, string>();
const knownNamesLimit = 512;
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const badValueChar = /[\x00-\x08\x0a-\x1f\x7f]/;
const badTargetChar = /[\x00-\x20\x7f]/;

/**
 * Parses the head that starts at `start` in `buf` (bytes up to `end` are valid). Leading blank
 * lines are skipped, as RFC 9112 asks of a server. `limit` bounds the head's size in bytes.
 */
export function parseHead(buf: Buffer, start: number, end: number, limit: number): HeadResult {
  while (start < end && (buf[start] === 13 || buf[start] === 10)) start++;
  let lineStart = start;
  let headEnd = -1;
  for (;;) {
    const newline = buf.indexOf(10, lineStart);
    if (newline === -1 || newline >= end) break;
    if (newline === lineStart || (newline === lineStart + 1 && buf[lineStart] === 13)) {
      headEnd = newline + 1;
      break;
    }
    lineStart = newline + 1;
    if (lineStart - start > limit) break;
  }
  if (headEnd === -1 || headEnd - start > limit) {
    if (headEnd === -1 && end - start <= limit) return incomplete;
    return refused(431, `the request line and headers exceed the ${limit}-byte limit`);
  }
  const text = buf.toString("utf8", start, headEnd);
  const lines = text.split("\n");
  // The last two entries are the blank line and the nothing after the final newline.
  const lastHeaderLine = lines.length - 3;
  const requestLine = stripCr(lines[0]!);
  const firstSpace = requestLine.indexOf(" ");
  const lastSpace = requestLine.lastIndexOf(" ");
  if (firstSpace <= 0 || lastSpace === firstSpace) return refused(400, `malformed request line ${quote(requestLine)}`);
  const method = requestLine.slice(0, firstSpace);
  const target = requestLine.slice(firstSpace + 1, lastSpace);
  const version = requestLine.slice(lastSpace + 1);
  if (method !== "POST" && method !== "GET" && !token.test(method)) return refused(400, `invalid method ${quote(method)}`);
  if (target === "" || badTargetChar.test(target)) return refused(400, `invalid request target ${quote(target)}`);
  let minorVersion: number;
  if (version === "HTTP/1.1") minorVersion = 1;
  else if (version === "HTTP/1.0") minorVersion = 0;
  else if (/^HTTP\/\d\.\d$/.test(version)) return refused(505, `unsupported protocol version ${quote(version)}`);
  else return refused(400, `malformed HTTP version ${quote(version)}`);

  const names: string[] = [];
  const values: string[] = [];
  let contentLength: string | undefined;
  let transferEncoding: string | undefined;
  let connection = "";
  let hosts = 0;
  let expect: string | undefined;
  let hasUpgrade = false;
  for (let i = 1; i <= lastHeaderLine; i++) {
    const line = stripCr(lines[i]!);
    const first = line.charCodeAt(0);
    if (first === 32 || first === 9) return refused(400, "obsolete line folding in a header is not supported");
    const colon = line.indexOf(":");
    if (colon <= 0) return refused(400, `malformed header line ${quote(line)}`);
    const rawName = line.slice(0, colon);
    let name = knownNames.get(rawName);
    if (name === undefined) {
      if (!token.test(rawName)) return refused(400, `invalid header name ${quote(rawName)}`);
      name = rawName.toLowerCase();
      if (knownNames.size < knownNamesLimit) knownNames.set(rawName, name);
    }
    const value = trimSpaces(line, colon + 1);
    if (badValueChar.test(value)) return refused(400, `invalid value for header ${quote(rawName)}`);
    names.push(name);
    values.push(value);
    switch (name) {
      case "content-length":
        if (!/^\d+$/.test(value)) return refused(400, `invalid Content-Length ${quote(value)}`);
        if (contentLength !== undefined && contentLength !== value) return refused(400, "conflicting Content-Length headers");
        contentLength = value;
        break;
      case "transfer-encoding":
        if (transferEncoding !== undefined) return refused(501, "more than one Transfer-Encoding header");
        transferEncoding = value;
        break;
      case "connection":
        connection = connection === "" ? value.toLowerCase() : `${connection},${value.toLowerCase()}`;
        break;
      case "host":
        hosts++;
        break;
      case "expect":
        expect = value.toLowerCase();
        break;
      case "upgrade":
        hasUpgrade = true;
        break;
    }
  }
  if (minorVersion === 1 && hosts === 0) return refused(400, "missing required Host header");
  if (hosts > 1) return refused(400, "too many Host headers");
  let chunked = false;
  if (transferEncoding !== undefined) {
    if (transferEncoding.toLowerCase() !== "chunked") return refused(501, `unsupported Transfer-Encoding ${quote(transferEncoding)}`);
    // Go drops Content-Length when the body is chunked (RFC 9112 §6.3).
    chunked = true;
  }
  const length = chunked || contentLength === undefined ? 0 : Number(contentLength);
  if (!Number.isSafeInteger(length)) return refused(400, `invalid Content-Length ${quote(contentLength!)}`);
  if (expect !== undefined && expect !== "100-continue") return refused(417, `unsupported Expect ${quote(expect)}`);
  const tokens = connection === "" ? [] : connection.split(",").map((t) => t.trim());
  const keepAlive = minorVersion === 1 ? !tokens.includes("close") : tokens.includes("keep-alive");
  return {
    kind: "head",
    head: {
      method,
      target,
      minorVersion,
      names,
      values,
      contentLength: length,
      chunked,
      keepAlive,
      expectContinue: expect === "100-continue" && minorVersion === 1,
      upgrade: hasUpgrade && tokens.includes("upgrade"),
    },
    end: headEnd,
  };
}

function refused(status: number, reason: string): HeadResult {
  return { kind: "refused", problem: { status, reason } };
}

function stripCr(line: string): string {
  return line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
}

/** Go trims spaces and tabs only (textproto.TrimString), not every Unicode space. */
function trimSpaces(line: string, from: number): string {
  let a = from;
  let b = line.length;
  while (a < b && (line.charCodeAt(a) === 32 || line.charCodeAt(a) === 9)) a++;
  while (b > a && (line.charCodeAt(b - 1) === 32 || line.charCodeAt(b - 1) === 9)) b--;
  return line.slice(a, b);
}

function quote(text: string): string {
  return JSON.stringify(text.length > 200 ? `${text.slice(0, 200)}…` : text);
}
