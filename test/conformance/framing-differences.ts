// Every way our HTTP layer deliberately frames requests differently from the original Go test
// server, listed once (docs/differences.md has the same table for people). The framing
// differential (framing-differential.test.ts) asserts each of these AS a difference on the shapes
// it names: the shape must differ, and exactly as `check` describes. Any other difference fails.
import { showObservation, type FramingAnswer, type FramingObservation } from "./framing/observe-framing.js";

export interface FramingDifference {
  readonly id: string;
  /** What differs. */
  readonly what: string;
  /** Why ours differs on purpose. */
  readonly reason: string;
  /** The ids of the framing shapes that show it. */
  readonly shapes: readonly string[];
  /** What is wrong with the observed difference, or undefined when it is as described. */
  readonly check: (ours: FramingObservation, original: FramingObservation, node: FramingObservation) => string | undefined;
}

export const framingDifferences: readonly FramingDifference[] = [
  {
    id: "blank-lines-before-request",
    what: "blank lines (CRLF or LF) before a request line: ours skips them, every byte counted toward the head limit (past it: 431); the original answers 400 (it skips at most four CR or LF bytes, and only after a POST)",
    reason:
      "RFC 9112 §2.2 asks a server to ignore at least one empty line before a request line, and llhttp (node:http) skips them; counting them in the head limit keeps their cost bounded",
    shapes: ["leading-crlf", "leading-lf", "ten-thousand-blank-lines", "a-megabyte-of-blank-lines"],
    check: (ours, original) =>
      first(
        expect(original, "the original", [{ status: 400, by: "server" }], false),
        ours.answers.length === 1 && (ours.answers[0]!.status === 200 || (ours.answers[0]!.status === 431 && !ours.open))
          ? undefined
          : `ours ${showObservation(ours)} is neither the request's answer nor 431`,
      ),
  },
  {
    id: "unreadable-chunked-body",
    what: "a chunked body the original's reader cannot read either (bad size, bare CR or LF, data not followed by CRLF, a size line over 4 KiB, a trailer that is not a field or over 4 KiB): ours answers 400 malformed naming the fault (`the chunked request body is malformed: …`); the original's handler ignores the read error and answers 200 with what it decoded before it; both close",
    reason:
      "strict input, as for a body that does not decode (the parity matrix's undecodable-body): a body the server could not read is not answered as if it had been; the connection closes in both, so nothing after it is misread",
    shapes: [
      "chunk-extension-space-before",
      "chunk-line-4095-bytes",
      "chunk-size-leading-space",
      "chunk-size-leading-tab",
      "chunk-size-leading-vt",
      "chunk-size-leading-ff",
      "chunk-size-leading-nbsp",
      "chunk-size-0x",
      "chunk-size-17-digits",
      "chunk-size-bare-lf",
      "chunk-size-bare-cr",
      "chunk-data-bare-lf",
      "chunk-data-no-crlf",
      "chunk-data-longer-than-size",
      "chunk-last-bare-lf",
      "chunk-final-bare-lf",
      "trailer-request-line",
      "trailer-no-colon",
      "trailer-4097-bytes",
    ],
    check: (ours, original) =>
      first(expect(ours, "ours", [{ status: 400, by: "handler", body: "(refused)" }], false), answeredOnce(original, 200, false)),
  },
  {
    id: "chunked-as-strict-as-llhttp",
    what: "chunked framing Go's reader accepts and llhttp refuses (an empty extension, a space or a control byte in an extension, a space after the size, a Content-Length or Transfer-Encoding trailer, a folded trailer): ours refuses it with 400 malformed and closes; the original reads the body and keeps the connection",
    reason:
      "these are the discrepancies chunked request smuggling is built on: ours accepts only what both Go's reader and llhttp accept, and refusing is allowed where the original is lax and llhttp refuses",
    shapes: [
      "chunk-extension-empty",
      "chunk-extension-space-after",
      "chunk-extension-control-byte",
      "chunk-size-trailing-space",
      "trailer-content-length",
      "trailer-transfer-encoding",
      "trailer-folded",
    ],
    check: (ours, original, node) =>
      first(
        expect(ours, "ours", [{ status: 400, by: "handler", body: "(refused)" }], false),
        expect(original, "the original", [{ status: 200, by: "handler", body: "ab" }], true),
        expect(node, "node:http", [{ status: 400, by: "server" }], false),
      ),
  },
  {
    id: "content-length-with-chunked-closes",
    what: "a request with both Content-Length and Transfer-Encoding: chunked: both read the chunked body and answer alike; ours then closes the connection, the original keeps it and reads what follows as the next request",
    reason: "RFC 9112 §6.1: a server MUST close the connection after answering such a request; llhttp refuses it outright",
    shapes: ["cl-then-te", "te-then-cl", "cl-te-then-pipelined"],
    check: (ours, original) =>
      first(
        sameAnswer(ours.answers[0], original.answers[0]),
        ours.answers.length === 1 && !ours.open ? undefined : `ours ${showObservation(ours)} did not close after one answer`,
        original.open ? undefined : "the original closed",
      ),
  },
  {
    id: "body-cut-short",
    what: "a body cut short by the client's FIN: ours answers 408 canceled (`the client ended the connection before the request body was complete`); the original decodes what arrived and answers 200; both close",
    reason: "strict input: a request whose body never arrived whole is not answered as if it had",
    shapes: ["cl-longer-than-body-then-fin", "fin-mid-body", "fin-mid-chunked-body"],
    check: (ours, original) =>
      first(expect(ours, "ours", [{ status: 408, by: "handler", body: "(refused)" }], false), answeredOnce(original, 200, false)),
  },
  {
    id: "body-limit",
    what: "a body over 4 MiB: ours answers 400 malformed (`the request body exceeds the 4194304-byte limit`) without reading it and closes; the original reads a body of any size",
    reason: "what one request may hold is bounded (docs/limits.md); LiveKit requests are far smaller",
    shapes: ["body-of-5-mib"],
    check: (ours, original) =>
      first(expect(ours, "ours", [{ status: 400, by: "handler", body: "(refused)" }], false), answeredOnce(original, 200, true)),
  },
];

function first(...problems: (string | undefined)[]): string | undefined {
  return problems.find((p) => p !== undefined);
}

function expect(o: FramingObservation, who: string, answers: readonly FramingAnswer[], open: boolean): string | undefined {
  const same =
    o.open === open &&
    o.answers.length === answers.length &&
    o.answers.every((a, i) => a.status === answers[i]!.status && a.by === answers[i]!.by && a.body === answers[i]!.body);
  return same ? undefined : `${who} ${showObservation(o)}`;
}

function answeredOnce(o: FramingObservation, status: number, open: boolean): string | undefined {
  const answer = o.answers[0];
  return o.answers.length === 1 && answer!.status === status && answer!.by === "handler" && o.open === open
    ? undefined
    : `the original ${showObservation(o)}`;
}

function sameAnswer(a: FramingAnswer | undefined, b: FramingAnswer | undefined): string | undefined {
  return a !== undefined && b !== undefined && a.status === b.status && a.by === b.by && a.body === b.body
    ? undefined
    : `the first answers differ: ${JSON.stringify(a)} and ${JSON.stringify(b)}`;
}
