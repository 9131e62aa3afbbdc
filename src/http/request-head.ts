// What a complete request head says: its request line, its header fields, and what they mean for
// the body and the connection, decided as Go's net/http decides (docs/spec/http.md#fields).
import { headProblem, quote, type HeadProblem } from "./head-problem.js";
import type { RequestLine } from "./request-line.js";

export interface RequestHead {
  readonly method: string;
  /** The request target as sent, query included. */
  readonly target: string;
  /** The path the target names. */
  readonly path: string;
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

/** The head the request line and fields make, or why it is refused. */
export function completeHead(line: RequestLine, names: readonly string[], values: readonly string[]): RequestHead | HeadProblem {
  let contentLength: string | undefined;
  let transferEncoding: string | undefined;
  let connection = "";
  let hosts = 0;
  let expect: string | undefined;
  let hasUpgrade = false;
  for (let i = 0; i < names.length; i++) {
    const value = values[i]!;
    switch (names[i]) {
      case "content-length":
        if (!/^\d+$/.test(value)) return headProblem(400, `invalid Content-Length ${quote(value)}`);
        if (contentLength !== undefined && contentLength !== value) return headProblem(400, "conflicting Content-Length headers");
        contentLength = value;
        break;
      case "transfer-encoding":
        if (transferEncoding !== undefined) return headProblem(501, "more than one Transfer-Encoding header");
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
  if (line.minorVersion === 1 && hosts === 0) return headProblem(400, "missing required Host header");
  if (hosts > 1) return headProblem(400, "too many Host headers");
  let chunked = false;
  if (transferEncoding !== undefined) {
    if (transferEncoding.toLowerCase() !== "chunked") return headProblem(501, `unsupported Transfer-Encoding ${quote(transferEncoding)}`);
    // Go drops Content-Length when the body is chunked (RFC 9112 §6.3).
    chunked = true;
  }
  const length = chunked || contentLength === undefined ? 0 : Number(contentLength);
  if (!Number.isSafeInteger(length)) return headProblem(400, `invalid Content-Length ${quote(contentLength!)}`);
  if (expect !== undefined && expect !== "100-continue") return headProblem(417, `unsupported Expect ${quote(expect)}`);
  const tokens = connection === "" ? [] : connection.split(",").map((t) => t.trim());
  const keepAlive = line.minorVersion === 1 ? !tokens.includes("close") : tokens.includes("keep-alive");
  return {
    method: line.method,
    target: line.target,
    path: line.path,
    minorVersion: line.minorVersion,
    names,
    values,
    contentLength: length,
    chunked,
    keepAlive,
    expectContinue: expect === "100-continue" && line.minorVersion === 1,
    upgrade: hasUpgrade && tokens.includes("upgrade"),
  };
}
