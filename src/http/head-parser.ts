// Reads a request head (request line, header fields, blank line) as its bytes arrive, the way llhttp
// does: each packet is read once and the parser keeps its place between packets, so the cost is
// linear in the bytes received however TCP cut them. A packet is read as one latin1 string (a
// character per byte); only a line still incomplete at its end is kept. Every byte before the end
// of the head counts toward the limit, blank lines before the request line included
// (docs/spec/http.md#reading).
import { headProblem, isHeadProblem, quote, type HeadProblem } from "./head-problem.js";
import { completeHead, type RequestHead } from "./request-head.js";
import { parseRequestLine, type RequestLine } from "./request-line.js";

export type HeadStep =
  /** All of the bytes given were read; the head is not complete yet. */
  | { readonly kind: "more" }
  /** The head is complete; `end` is the offset just past it in the bytes given. */
  | { readonly kind: "head"; readonly head: RequestHead; readonly end: number }
  | { readonly kind: "refused"; readonly problem: HeadProblem };

export interface HeadParser {
  /** Bytes of the head read so far. */
  readonly received: number;
  /** Whether a request line has begun (blank lines before it do not count). */
  readonly started: boolean;
  /** Reads `chunk` from `start` on, up to the end of the head. */
  feed(chunk: Buffer, start: number): HeadStep;
  /** Ready for the next head. */
  reset(): void;
}

const more: HeadStep = { kind: "more" };
/** Header names seen before, already checked and lower-cased: clients send the same few each time. */
const knownNames = new Map<string, string>();
const knownNamesLimit = 512;
const token = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const spacedToken = /^[!#$%&'*+\-.^_`|~0-9A-Za-z ]+$/;
const badValueByte = /[\x00-\x08\x0a-\x1f\x7f]/;
const highByte = /[\x80-\xff]/;
/** Bytes of a packet read as text at a time. */
const windowBytes = 16 * 1024;

/**
 * The field value in `text[from, to)` without the spaces and tabs around it, or undefined when it
 * holds a control byte other than a tab. Values are UTF-8, as clients send them (a control header
 * may carry "é"); `text` holds a character per byte.
 */
function valueOf(text: string, from: number, to: number): string | undefined {
  while (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  const value = text.slice(from, to);
  if (badValueByte.test(value)) return undefined;
  return highByte.test(value) ? Buffer.from(value, "latin1").toString("utf8") : value;
}

export function createHeadParser(limit: number): HeadParser {
  let received = 0;
  /** The start of a line that began in an earlier packet. */
  let carry = "";
  let requestLine: RequestLine | undefined;
  let names: string[] = [];
  let values: string[] = [];
  let invalidName: string | undefined;

  /** Reads one line of `text` (its ending removed); returns a step when the head is complete or refused. */
  function line(text: string, start: number, end: number): HeadStep | undefined {
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    if (requestLine === undefined) {
      // Blank lines before a request line are skipped (RFC 9112 §2.2), their bytes counted.
      if (end === start) return undefined;
      const parsed = parseRequestLine(text.slice(start, end));
      if (isHeadProblem(parsed)) return refuse(parsed);
      requestLine = parsed;
      return undefined;
    }
    if (end === start) {
      const head = completeHead(requestLine, names, values, invalidName);
      return isHeadProblem(head) ? refuse(head) : { kind: "head", head, end: 0 };
    }
    const first = text.charCodeAt(start);
    if (first === 32 || first === 9) {
      // Obsolete line folding (RFC 9112 §5.2): joined to the field before with one space, as Go does.
      const last = names.length - 1;
      if (last < 0) return refuse(headProblem(400, `a header line begins with a space: ${quote(text.slice(start, end))}`));
      const more = valueOf(text, start, end);
      if (more === undefined) return refuse(headProblem(400, `invalid value for header ${quote(names[last]!)}`));
      values[last] = values[last] === "" ? more : `${values[last]!} ${more}`;
      return undefined;
    }
    const colon = text.indexOf(":", start);
    if (colon === -1 || colon >= end || colon === start)
      return refuse(headProblem(400, `malformed header line ${quote(text.slice(start, end))}`));
    const rawName = text.slice(start, colon);
    let name = knownNames.get(rawName);
    if (name === undefined) {
      name = rawName.toLowerCase();
      if (token.test(rawName)) {
        if (knownNames.size < knownNamesLimit) knownNames.set(rawName, name);
      } else if (spacedToken.test(rawName)) {
        // Go reads a name with a space in it and refuses it only after the framing checks.
        invalidName ??= rawName;
      } else {
        return refuse(headProblem(400, `invalid header name ${quote(rawName)}`));
      }
    }
    const value = valueOf(text, colon + 1, end);
    if (value === undefined) return refuse(headProblem(400, `invalid value for header ${quote(rawName)}`));
    names.push(name);
    values.push(value);
    return undefined;
  }

  function refuse(problem: HeadProblem): HeadStep {
    return { kind: "refused", problem };
  }

  function tooLarge(): HeadStep {
    return refuse(headProblem(431, `the request line and headers exceed the ${limit}-byte limit`));
  }

  return {
    get received() {
      return received;
    },
    get started() {
      return requestLine !== undefined || /[^\r\n]/.test(carry);
    },
    feed(chunk, start) {
      // Past the limit nothing is read: the answer is the same wherever the packets were cut.
      const end = Math.min(chunk.length, start + limit - received);
      // In windows, so that a body that came with the head is not read as text.
      for (let from = start; from < end;) {
        const to = Math.min(end, from + windowBytes);
        const text = chunk.toString("latin1", from, to);
        let at = 0;
        for (;;) {
          const newline = text.indexOf("\n", at);
          if (newline === -1) break;
          let step: HeadStep | undefined;
          if (carry !== "") {
            // A line begun in an earlier packet or window: joined once, when it is complete.
            const whole = carry + text.slice(at, newline);
            carry = "";
            step = line(whole, 0, whole.length);
          } else {
            step = line(text, at, newline);
          }
          at = newline + 1;
          if (step !== undefined) {
            received += from - start + at;
            return step.kind === "head" ? { kind: "head", head: step.head, end: from + at } : step;
          }
        }
        carry += at === 0 ? text : text.slice(at);
        from = to;
      }
      received += end - start;
      return end < chunk.length ? tooLarge() : more;
    },
    reset() {
      received = 0;
      carry = "";
      requestLine = undefined;
      names = [];
      values = [];
      invalidName = undefined;
    },
  };
}
