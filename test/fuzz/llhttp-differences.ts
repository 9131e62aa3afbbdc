// Where our HTTP layer frames requests differently from llhttp (node:http) on purpose, listed
// once: the framing property (properties.ts) holds ours to llhttp on every generated case except
// those one of these explains. Each follows the original (Go's net/http) where llhttp differs
// (docs/differences.md has the same list for people). Each names what in the bytes, or in the
// reason one side gave, sets it off, so that a case is excused only by the difference it shows.
import { METHODS } from "node:http";
import type { Framing } from "./framing-servers.js";

export interface FramedCase {
  /** The bytes sent, latin1. */
  readonly bytes: string;
  readonly ours: Framing;
  readonly llhttp: Framing;
}

export interface LlhttpDifference {
  readonly id: string;
  /** What differs. */
  readonly what: string;
  /** Why ours differs on purpose. */
  readonly why: string;
  /** Whether this difference accounts for the way ours and llhttp parted on `c`. */
  readonly explains: (c: FramedCase) => boolean;
}

const oursRefused = (c: FramedCase, reason: RegExp): boolean => c.ours.end !== "clean" && reason.test(c.ours.why);
const llhttpRefused = (c: FramedCase, ...codes: string[]): boolean => c.llhttp.end !== "clean" && codes.includes(c.llhttp.why);
/** The lines of the heads in `bytes` (roughly: every line; bodies rarely look like fields). */
const fieldLines = (bytes: string, name: string): string[] =>
  bytes.split(/\r?\n/).filter((line) => line.toLowerCase().startsWith(`${name}:`));

export const llhttpDifferences: readonly LlhttpDifference[] = [
  {
    id: "bare-lf",
    what: "a bare LF ending a line of the head (a bare-LF blank line ends the head): ours reads it as CRLF, as Go does; llhttp refuses it",
    why: "the original accepts it (RFC 9112 §2.2 allows a recipient to), and refusing would break clients the original serves",
    explains: (c) => /(^|[^\r])\n/.test(c.bytes) && c.llhttp.end !== "clean",
  },
  {
    id: "obs-fold",
    what: "a header line folded onto the next (obsolete line folding): ours joins it with one space, as Go does; llhttp refuses it",
    why: "the original joins folded lines, which RFC 9112 §5.2 allows in place of a 400",
    explains: (c) => /\n[ \t]/.test(c.bytes) && c.llhttp.end !== "clean",
  },
  {
    id: "lone-cr-before-request",
    what: "a lone CR (not a CRLF) before a request line: ours refuses the line with 400, as Go does; llhttp skips it",
    why: "only empty lines may come before a request line (RFC 9112 §2.2), and the original refuses anything else",
    explains: (c) => oursRefused(c, /invalid method "\\r/),
  },
  {
    id: "any-token-method",
    what: "a method that is a token but not one llhttp knows (`POT`, `PATC`): ours hands it to the handlers, as Go does; llhttp refuses it",
    why: "the original's routes answer any method (a Twirp call with another method gets bad_route, as from a real Twirp server)",
    explains: (c) => llhttpRefused(c, "HPE_INVALID_METHOD") || c.ours.requests.some((r) => !METHODS.includes(r.method)),
  },
  {
    id: "host-checked",
    what: "an HTTP/1.1 request without Host, with two Host fields, or with a Host byte Go does not allow: ours refuses it with 400, as Go does; llhttp does not look at Host",
    why: "the original refuses these heads (RFC 9112 §3.2 requires exactly one valid Host on HTTP/1.1)",
    explains: (c) => oursRefused(c, /Host header/),
  },
  {
    id: "targets-as-go",
    what: "request targets are read by Go's URL rules: ours refuses what Go refuses (a relative path, a broken percent-escape in the path, a bad authority in an absolute URL) and reads what Go reads (bytes above 0x7f, `scheme:opaque`); llhttp has a URL grammar of its own",
    why: "the original routes on the path Go's parser finds, and refuses a target it cannot parse with 400",
    explains: (c) => oursRefused(c, /invalid request target/) || llhttpRefused(c, "HPE_INVALID_URL"),
  },
  {
    id: "request-line-as-go",
    what: "a request line without two single spaces (no version, or two spaces in a row): ours refuses it with 400, as Go does; llhttp reads a line without a version as HTTP/0.9 and skips extra spaces",
    why: "the original cuts the line at its first two spaces and refuses what does not fit",
    explains: (c) => oursRefused(c, /malformed (request line|HTTP version)/),
  },
  {
    id: "versions-as-go",
    what: "HTTP/1.2 to HTTP/1.9 are served as HTTP/1.1 and other versions get 505, as from Go; llhttp refuses 1.2 to 1.9 and reads HTTP/0.9 and 2.0 heads",
    why: "the original serves any HTTP/1.x as HTTP/1.1",
    explains: (c) => oursRefused(c, /unsupported protocol version/) || llhttpRefused(c, "HPE_INVALID_VERSION"),
  },
  {
    id: "content-length-as-go",
    what: "Content-Length repeated with one value, or with tabs around it: ours reads it, as Go does; llhttp refuses it",
    why: "the original accepts a repeated identical length (RFC 9110 §8.6 allows it) and trims spaces and tabs from every value",
    explains: (c) =>
      llhttpRefused(c, "HPE_UNEXPECTED_CONTENT_LENGTH", "HPE_INVALID_CONTENT_LENGTH") &&
      (fieldLines(c.bytes, "content-length").length > 1 || /\ncontent-length:[^\r\n]*\t/i.test(c.bytes)),
  },
  {
    id: "content-length-with-chunked",
    what: "Content-Length with Transfer-Encoding: chunked: ours reads the chunked body, as Go does, and closes the connection after the answer; llhttp refuses the request",
    why: "the original reads such a request as chunked; RFC 9112 §6.1 allows that and asks for the close that ours adds",
    explains: (c) =>
      fieldLines(c.bytes, "content-length").length > 0 && fieldLines(c.bytes, "transfer-encoding").length > 0 && c.llhttp.end !== "clean",
  },
  {
    id: "transfer-encoding-as-go",
    what: "Transfer-Encoding other than one `chunked` field (a list ending in chunked, two fields, another coding): ours answers 501 as Go does, and ignores Transfer-Encoding on HTTP/1.0; llhttp reads a list ending in chunked, refuses other codings, and reads chunked on HTTP/1.0",
    why: "the original accepts exactly one `chunked` on HTTP/1.1 and ignores the field on HTTP/1.0",
    explains: (c) =>
      oursRefused(c, /Transfer-Encoding/) ||
      (/ HTTP\/1\.0\r?\n/.test(c.bytes) && fieldLines(c.bytes, "transfer-encoding").length > 0) ||
      llhttpRefused(c, "HPE_INVALID_TRANSFER_ENCODING"),
  },
  {
    id: "expect-as-go",
    what: "an Expect other than 100-continue: ours refuses it with 417 and closes, as Go does; llhttp leaves it to node:http, which answers 417 and reads on",
    why: "the original closes the connection after its 417",
    explains: (c) => oursRefused(c, /unsupported Expect/) || c.llhttp.why === "417 expectation",
  },
  {
    id: "chunked-limits-as-go",
    what: "a chunk size of more than 16 hex digits, a chunk-size line over 4 KiB, trailers over 4 KiB, or more non-data bytes than Go allows: ours refuses them, as Go's reader does; llhttp reads them",
    why: "the original's reader refuses them; ours is as strict as both readers",
    explains: (c) =>
      oursRefused(c, /16 hex digits|chunk-size line with its CRLF exceeds|trailers exceed|too large for the data they carry/),
  },
];

/** The differences that account for the way ours and llhttp parted on `c`. */
export function explanations(c: FramedCase): LlhttpDifference[] {
  return llhttpDifferences.filter((d) => d.explains(c));
}
