// The lexical grammar of JSON, stated once: which characters are whitespace, where a string, a
// number or a literal word ends, what an escape means, and what is wrong where one is malformed.
// The three readers are layers over it, each with its own structure and its own words for an
// error: read-json.ts reads text as JSON.parse does, auth/go-json.ts reads a token segment as Go's
// scanner does, signal/attribute/attribute-json.ts measures the `lk.mock` attribute.
//
// It scans strings by UTF-16 code unit. A reader of bytes hands them over as a latin1 string, one
// character per byte, so positions are byte offsets and every byte at or above 0x80 is merely "not
// special", as it is to Go's scanner.

export const enum Code {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Slash = 0x2f,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  LowerE = 0x65,
  LowerF = 0x66,
  LowerN = 0x6e,
  LowerT = 0x74,
  LowerU = 0x75,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

/** What is wrong with a token, for its reader to word. */
export const enum Problem {
  None,
  /** A minus sign with no digit after it. */
  MinusWithoutDigit,
  /** A decimal point with no digit after it. */
  DotWithoutDigit,
  /** An exponent with no digit. */
  ExponentWithoutDigit,
  /** A backslash at the end of the text. */
  EscapeAtEnd,
  /** A backslash followed by a character that starts no escape. */
  BadEscape,
  /** `\u` not followed by four hex digits; `at` is the first that is not one (possibly the end). */
  BadUnicodeEscape,
}

/**
 * What a scan found besides where its token ends, in one object a reader keeps and reuses, so the
 * hot paths allocate nothing. Each scan sets the fields it documents.
 */
export interface Scan {
  /** What is wrong, when a scan returned -1. */
  problem: Problem;
  /** Where the problem is. */
  at: number;
  /** Numbers: written without fraction or exponent. */
  plain: boolean;
  /** Numbers: the value of the integer digits, exact while `digits` is at most 15. */
  integer: number;
  /** Numbers: how many integer digits (after any minus sign). */
  digits: number;
  /** Escapes: the character code the escape stands for (a UTF-16 unit for `\u`). */
  unit: number;
}

export function createScan(): Scan {
  return { problem: Problem.None, at: 0, plain: true, integer: 0, digits: 0, unit: 0 };
}

/** The position of the first character at or after `pos` that is not JSON whitespace. */
export function skipWhitespace(text: string, pos: number): number {
  for (;;) {
    const c = text.charCodeAt(pos);
    if (c !== Code.Space && c !== Code.Newline && c !== Code.Return && c !== Code.Tab) return pos;
    pos++;
  }
}

export function isDigit(c: number): boolean {
  return c >= Code.Zero && c <= Code.Nine;
}

/** Whether a number starts with this character. */
export function startsNumber(c: number): boolean {
  return c === Code.Minus || (c >= Code.Zero && c <= Code.Nine);
}

/**
 * The number starting at `pos`, by JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
 * A leading zero ends the integer part, so `01` scans as `0` followed by whatever the reader makes
 * of `1`. Returns where it ends, with plain, integer and digits set; or -1, with problem and at set.
 */
export function scanNumber(text: string, pos: number, scan: Scan): number {
  let i = pos;
  if (text.charCodeAt(i) === Code.Minus) i++;
  let c = text.charCodeAt(i);
  let integer = 0;
  const first = i;
  if (c === Code.Zero) {
    c = text.charCodeAt(++i);
  } else if (c > Code.Zero && c <= Code.Nine) {
    do {
      integer = integer * 10 + (c - Code.Zero);
      c = text.charCodeAt(++i);
    } while (c >= Code.Zero && c <= Code.Nine);
  } else {
    return problem(scan, Problem.MinusWithoutDigit, i);
  }
  scan.integer = integer;
  scan.digits = i - first;
  scan.plain = true;
  if (c === Code.Dot) {
    scan.plain = false;
    c = text.charCodeAt(++i);
    if (!(c >= Code.Zero && c <= Code.Nine)) return problem(scan, Problem.DotWithoutDigit, i);
    do c = text.charCodeAt(++i);
    while (c >= Code.Zero && c <= Code.Nine);
  }
  if (c === Code.LowerE || c === Code.UpperE) {
    scan.plain = false;
    c = text.charCodeAt(++i);
    if (c === Code.Plus || c === Code.Minus) c = text.charCodeAt(++i);
    if (!(c >= Code.Zero && c <= Code.Nine)) return problem(scan, Problem.ExponentWithoutDigit, i);
    do c = text.charCodeAt(++i);
    while (c >= Code.Zero && c <= Code.Nine);
  }
  return i;
}

/**
 * From `pos` inside a string, the position of the first character that ends its plain run: the
 * closing quote, a backslash, a control character (below U+0020, never allowed in a string), or
 * the end of the text. What comes next is the reader's to decide.
 */
export function plainRunEnd(text: string, pos: number): number {
  const length = text.length;
  for (let i = pos; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === Code.Quote || c === Code.Backslash || c < Code.Space) return i;
  }
  return length;
}

/** plainRunEnd, but also stopping at a character above U+007F (a byte reader's non-ASCII byte). */
export function asciiRunEnd(text: string, pos: number): number {
  const length = text.length;
  for (let i = pos; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c === Code.Quote || c === Code.Backslash || c < Code.Space || c > 0x7f) return i;
  }
  return length;
}

const simpleEscapes = new Int32Array(128).fill(-1);
for (const [escape, unit] of [
  ['"', 0x22],
  ["\\", 0x5c],
  ["/", 0x2f],
  ["b", 0x08],
  ["f", 0x0c],
  ["n", 0x0a],
  ["r", 0x0d],
  ["t", 0x09],
] as const)
  simpleEscapes[escape.charCodeAt(0)] = unit;

/**
 * The escape whose backslash is at `pos`: returns where it ends, with unit set; or -1, with problem
 * and at set. A `\u` escape's unit may be half of a surrogate pair; pairing is the reader's business.
 */
export function scanEscape(text: string, pos: number, scan: Scan): number {
  const e = text.charCodeAt(pos + 1);
  if (e === Code.LowerU) {
    let unit = 0;
    for (let k = pos + 2; k < pos + 6; k++) {
      const digit = hexValue(text.charCodeAt(k));
      if (digit < 0) return problem(scan, Problem.BadUnicodeEscape, k);
      unit = unit * 16 + digit;
    }
    scan.unit = unit;
    return pos + 6;
  }
  if (pos + 1 >= text.length) return problem(scan, Problem.EscapeAtEnd, pos + 1);
  const simple = e < 128 ? simpleEscapes[e]! : -1;
  if (simple < 0) return problem(scan, Problem.BadEscape, pos + 1);
  scan.unit = simple;
  return pos + 2;
}

/** The UTF-16 unit of the `\u` escape whose backslash is at `pos`, or -1 when there is none there. */
export function unicodeEscapeAt(text: string, pos: number): number {
  if (text.charCodeAt(pos) !== Code.Backslash || text.charCodeAt(pos + 1) !== Code.LowerU) return -1;
  let unit = 0;
  for (let k = pos + 2; k < pos + 6; k++) {
    const digit = hexValue(text.charCodeAt(k));
    if (digit < 0) return -1;
    unit = unit * 16 + digit;
  }
  return unit;
}

export function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit < 0xdc00;
}

export function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit < 0xe000;
}

/** Where `word` (true, false, null) at `pos` first differs from the text (possibly its end), or -1 when it is all there. */
export function wordMismatch(text: string, pos: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (text.charCodeAt(pos + k) !== word.charCodeAt(k)) return pos + k;
  return -1;
}

/** The value of an ASCII hex digit's code, or -1 for any other code. */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function problem(scan: Scan, kind: Problem, at: number): -1 {
  scan.problem = kind;
  scan.at = at;
  return -1;
}
