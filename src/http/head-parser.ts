// Reads a request head (request line, header fields, blank line) as its bytes arrive, the way llhttp
// does: each packet is read once and the parser keeps its place between packets, so the cost is
// linear in the bytes received however TCP cut them. Only a line still incomplete at the end of a
// packet is kept, in a buffer that doubles. Every byte before the end of the head counts toward
// the limit, blank lines before the request line included (docs/spec/http.md#reading).
import { createByteBuffer } from "./byte-buffer.js";
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

/**
 * The field value in `buf[from, to)` without the spaces and tabs around it, or undefined when it
 * holds a control byte other than a tab. Values are UTF-8, as clients send them (a control header
 * may carry "é").
 */
function valueOf(buf: Buffer, from: number, to: number): string | undefined {
  while (from < to && (buf[from] === 32 || buf[from] === 9)) from++;
  while (to > from && (buf[to - 1] === 32 || buf[to - 1] === 9)) to--;
  let high = false;
  for (let i = from; i < to; i++) {
    const byte = buf[i]!;
    if ((byte < 32 && byte !== 9) || byte === 127) return undefined;
    if (byte > 127) high = true;
  }
  return buf.toString(high ? "utf8" : "latin1", from, to);
}

export function createHeadParser(limit: number): HeadParser {
  let received = 0;
  /** The start of a line that began in an earlier packet. */
  const carry = createByteBuffer();
  let requestLine: RequestLine | undefined;
  let names: string[] = [];
  let values: string[] = [];
  let invalidName: string | undefined;

  /** Reads one line (its ending removed); returns a step when the head is complete or refused. */
  function line(buf: Buffer, start: number, end: number): HeadStep | undefined {
    if (end > start && buf[end - 1] === 13) end--;
    if (requestLine === undefined) {
      // Blank lines before a request line are skipped (RFC 9112 §2.2), their bytes counted.
      if (end === start) return undefined;
      const parsed = parseRequestLine(buf, start, end);
      if (isHeadProblem(parsed)) return refuse(parsed);
      requestLine = parsed;
      return undefined;
    }
    if (end === start) {
      const head = completeHead(requestLine, names, values, invalidName);
      return isHeadProblem(head) ? refuse(head) : { kind: "head", head, end: 0 };
    }
    const first = buf[start];
    if (first === 32 || first === 9) {
      // Obsolete line folding (RFC 9112 §5.2): joined to the field before with one space, as Go does.
      const last = names.length - 1;
      if (last < 0) return refuse(headProblem(400, `a header line begins with a space: ${quote(buf.toString("latin1", start, end))}`));
      const more = valueOf(buf, start, end);
      if (more === undefined) return refuse(headProblem(400, `invalid value for header ${quote(names[last]!)}`));
      values[last] = values[last] === "" ? more : `${values[last]!} ${more}`;
      return undefined;
    }
    const colon = buf.indexOf(58, start);
    if (colon === -1 || colon >= end || colon === start) {
      return refuse(headProblem(400, `malformed header line ${quote(buf.toString("latin1", start, end))}`));
    }
    const rawName = buf.toString("latin1", start, colon);
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
    const value = valueOf(buf, colon + 1, end);
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
      if (requestLine !== undefined) return true;
      const pending = carry.view();
      for (let i = 0; i < pending.length; i++) if (pending[i] !== 13 && pending[i] !== 10) return true;
      return false;
    },
    feed(chunk, start) {
      // Past the limit nothing is read: the answer is the same wherever the packets were cut.
      const allowed = limit - received;
      const end = Math.min(chunk.length, start + allowed);
      let at = start;
      while (at < end) {
        const newline = chunk.indexOf(10, at);
        if (newline === -1 || newline >= end) break;
        let step: HeadStep | undefined;
        if (carry.length > 0) {
          carry.append(chunk, at, newline);
          const whole = carry.view();
          step = line(whole, 0, whole.length);
          carry.clear();
        } else {
          step = line(chunk, at, newline);
        }
        at = newline + 1;
        if (step !== undefined) {
          received += at - start;
          return step.kind === "head" ? { kind: "head", head: step.head, end: at } : step;
        }
      }
      carry.append(chunk, at, end);
      received += end - start;
      return end < chunk.length ? tooLarge() : more;
    },
    reset() {
      received = 0;
      carry.clear();
      requestLine = undefined;
      names = [];
      values = [];
      invalidName = undefined;
    },
  };
}
