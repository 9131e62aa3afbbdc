// A JSON reader for what JSON.parse hides. Go rejects three things JSON.parse lets through: a
// repeated key (protojson answers it malformed, REFERENCE §2.2), a `\u` escape of a lone UTF-16
// surrogate (protojson refuses it: it is no character, and has no UTF-8 form) and an integral
// number written with a fraction or exponent where an int is expected (encoding/json skips
// `503.0`, §4.2). So this reader rejects duplicate keys and lone surrogates at any depth and, on
// request, remembers how such numbers were written. Otherwise it accepts and rejects exactly what
// JSON.parse does, with its wording.
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";

/** A parsed document that remembers the literal text of numbers written with a fraction or exponent. */
export interface JsonDocument {
  readonly value: JsonValue;
  /**
   * The literal of the number at `container[key]` when it was written with a fraction or an
   * exponent (`404.0`, `4e2`); undefined for plain integers (`404`) and for anything else.
   */
  numberLiteral(container: JsonObject | readonly JsonValue[], key: string | number): string | undefined;
}

/** Invalid JSON, or a key repeated within one object. */
export class JsonReadError extends Error {
  override name = "JsonReadError";
  constructor(
    message: string,
    /** Offset in the text (UTF-16 code units, as JSON.parse counts). */
    readonly position: number,
    /** The repeated key, for a duplicate; undefined for a syntax error. */
    readonly duplicateKey?: string,
    /** Keys and indices leading to the object holding the duplicate; empty at the top level. */
    readonly path: readonly (string | number)[] = [],
  ) {
    super(message);
  }
}

export function isJsonReadError(err: unknown): err is JsonReadError {
  return err instanceof Error && err.name === "JsonReadError";
}

/** JSON.parse, except that a key repeated in any object is an error. */
export function readJson(text: string): JsonValue {
  return new Reader(text, undefined).document();
}

/** readJson, also remembering the literal of every number written with a fraction or exponent. */
export function readJsonDocument(text: string): JsonDocument {
  const literals = new Map<object, Map<string | number, string>>();
  const value = new Reader(text, literals).document();
  return {
    value,
    numberLiteral: (container, key) => literals.get(container)?.get(key),
  };
}

/** `a.b[2].c`, for naming where a duplicate key sits. */
export function formatJsonPath(path: readonly (string | number)[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : out === "" ? part : `.${part}`;
  return out;
}

// Deeper documents are refused with a clear message instead of overflowing the stack (which
// happens a little past 5000 levels). protojson's limit is 10000; no request comes near either.
const maxDepth = 1000;

const enum Char {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Plus = 0x2b,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  UpperE = 0x45,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  LowerE = 0x65,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

const escapes: Record<number, string> = { 0x22: '"', 0x5c: "\\", 0x2f: "/", 0x62: "\b", 0x66: "\f", 0x6e: "\n", 0x72: "\r", 0x74: "\t" };

class Reader {
  private pos = 0;
  private depth = 0;
  constructor(
    private readonly text: string,
    private readonly literals: Map<object, Map<string | number, string>> | undefined,
  ) {}

  document(): JsonValue {
    const value = this.value();
    this.skipWhitespace();
    if (this.pos < this.text.length) throw this.error(`Unexpected non-whitespace character after JSON at position ${this.pos}`);
    return value;
  }

  private value(): JsonValue {
    this.skipWhitespace();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case Char.OpenBrace:
        return this.object();
      case Char.OpenBracket:
        return this.array();
      case Char.Quote:
        return this.string();
      case 0x74: // t
        return this.word("true", true);
      case 0x66: // f
        return this.word("false", false);
      case 0x6e: // n
        return this.word("null", null);
      default:
        if (c === Char.Minus || (c >= Char.Zero && c <= Char.Nine)) return this.number(undefined, 0);
        throw this.unexpected();
    }
  }

  private object(): JsonObject {
    this.enter();
    this.pos++;
    const object: JsonObject = {};
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === Char.CloseBrace) {
      this.pos++;
      this.depth--;
      return object;
    }
    for (let first = true; ; first = false) {
      if (this.text.charCodeAt(this.pos) !== Char.Quote) {
        throw this.error(
          first
            ? `Expected property name or '}' in JSON at position ${this.pos}`
            : `Expected double-quoted property name in JSON at position ${this.pos}`,
        );
      }
      const keyAt = this.pos;
      const key = this.string();
      if (Object.hasOwn(object, key)) {
        throw duplicate(key, keyAt, []);
      }
      this.skipWhitespace();
      if (this.text.charCodeAt(this.pos) !== Char.Colon) {
        throw this.error(`Expected ':' after property name in JSON at position ${this.pos}`);
      }
      this.pos++;
      let value: JsonValue;
      try {
        this.skipWhitespace();
        const c = this.text.charCodeAt(this.pos);
        value = c === Char.Minus || (c >= Char.Zero && c <= Char.Nine) ? this.number(object, key) : this.value();
      } catch (err) {
        throw err instanceof JsonReadError && err.duplicateKey !== undefined
          ? duplicate(err.duplicateKey, err.position, [key, ...err.path])
          : err;
      }
      // A plain assignment would set the prototype instead of an own "__proto__" member.
      if (key === "__proto__") Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
      else object[key] = value;
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === Char.CloseBrace) break;
      if (c !== Char.Comma) {
        this.pos--;
        throw this.error(`Expected ',' or '}' after property value in JSON at position ${this.pos}`);
      }
      this.skipWhitespace();
    }
    this.depth--;
    return object;
  }

  private array(): JsonValue[] {
    this.enter();
    this.pos++;
    const array: JsonValue[] = [];
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === Char.CloseBracket) {
      this.pos++;
      this.depth--;
      return array;
    }
    for (;;) {
      try {
        this.skipWhitespace();
        const c = this.text.charCodeAt(this.pos);
        array.push(c === Char.Minus || (c >= Char.Zero && c <= Char.Nine) ? this.number(array, array.length) : this.value());
      } catch (err) {
        throw err instanceof JsonReadError && err.duplicateKey !== undefined
          ? duplicate(err.duplicateKey, err.position, [array.length, ...err.path])
          : err;
      }
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === Char.CloseBracket) break;
      if (c !== Char.Comma) {
        this.pos--;
        throw this.error(`Expected ',' or ']' after array element in JSON at position ${this.pos}`);
      }
    }
    this.depth--;
    return array;
  }

  private string(): string {
    const text = this.text;
    const start = ++this.pos;
    // Fast path: no escapes, one slice.
    for (let i = start; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === Char.Quote) {
        this.pos = i + 1;
        return text.slice(start, i);
      }
      if (c === Char.Backslash) return this.escapedString(start, i);
      if (c < Char.Space) throw this.error(`Bad control character in string literal in JSON at position ${i}`, i);
    }
    this.pos = text.length;
    throw this.error(`Unterminated string in JSON at position ${text.length}`);
  }

  private escapedString(start: number, firstBackslash: number): string {
    const text = this.text;
    let out = text.slice(start, firstBackslash);
    let i = firstBackslash;
    let run = i;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      if (c === Char.Quote) {
        this.pos = i + 1;
        return out + text.slice(run, i);
      }
      if (c < Char.Space) throw this.error(`Bad control character in string literal in JSON at position ${i}`, i);
      if (c !== Char.Backslash) {
        i++;
        continue;
      }
      out += text.slice(run, i);
      const e = text.charCodeAt(i + 1);
      const simple = escapes[e];
      if (simple !== undefined) {
        out += simple;
        i += 2;
      } else if (e === 0x75 /* u */) {
        let unit = 0;
        for (let k = i + 2; k < i + 6; k++) {
          const digit = hexValue(text.charCodeAt(k));
          if (digit < 0) throw this.error(`Bad Unicode escape in JSON at position ${k}`, k);
          unit = unit * 16 + digit;
        }
        if (unit >= 0xd800 && unit < 0xe000) {
          // Only a high surrogate directly followed by an escaped low one is a character.
          const low = text.charCodeAt(i + 6) === Char.Backslash && text.charCodeAt(i + 7) === 0x75 ? hex4(text, i + 8) : -1;
          if (unit >= 0xdc00 || !(low >= 0xdc00 && low < 0xe000)) {
            // Our own message, not JSON.parse's (which accepts the escape): no line and column.
            throw new JsonReadError(`Lone UTF-16 surrogate \\u${text.slice(i + 2, i + 6)} in string in JSON at position ${i}`, i);
          }
          out += String.fromCharCode(unit, low);
          i += 12;
          run = i;
          continue;
        }
        out += String.fromCharCode(unit);
        i += 6;
      } else if (i + 1 >= text.length) {
        this.pos = text.length;
        throw this.error("Unexpected end of JSON input");
      } else {
        throw this.error(`Bad escaped character in JSON at position ${i + 1}`, i + 1);
      }
      run = i;
    }
    this.pos = text.length;
    throw this.error(`Unterminated string in JSON at position ${text.length}`);
  }

  /** Reads a number; `container` and `key` say where it goes, so its literal can be remembered. */
  private number(container: object | undefined, key: string | number): number {
    const text = this.text;
    const start = this.pos;
    let i = start;
    let negative = false;
    if (text.charCodeAt(i) === Char.Minus) {
      negative = true;
      i++;
    }
    let c = text.charCodeAt(i);
    let integer = 0;
    if (c === Char.Zero) {
      c = text.charCodeAt(++i);
      if (c >= Char.Zero && c <= Char.Nine) throw this.error(`Unexpected number in JSON at position ${i}`, i);
    } else if (c >= Char.Zero + 1 && c <= Char.Nine) {
      do {
        integer = integer * 10 + (c - Char.Zero);
        c = text.charCodeAt(++i);
      } while (c >= Char.Zero && c <= Char.Nine);
    } else {
      this.pos = i;
      throw this.error(`No number after minus sign in JSON at position ${i}`);
    }
    const digits = i - start - (negative ? 1 : 0);
    let plain = true;
    c = text.charCodeAt(i);
    if (c === Char.Dot) {
      plain = false;
      c = text.charCodeAt(++i);
      if (!(c >= Char.Zero && c <= Char.Nine)) {
        this.pos = i;
        throw this.error(`Unterminated fractional number in JSON at position ${i}`);
      }
      do c = text.charCodeAt(++i);
      while (c >= Char.Zero && c <= Char.Nine);
    }
    if (c === Char.LowerE || c === Char.UpperE) {
      plain = false;
      c = text.charCodeAt(++i);
      if (c === Char.Plus || c === Char.Minus) c = text.charCodeAt(++i);
      if (!(c >= Char.Zero && c <= Char.Nine)) {
        this.pos = i;
        throw i >= text.length ? this.error(`Exponent part is missing a number in JSON at position ${i}`) : this.unexpected();
      }
      do c = text.charCodeAt(++i);
      while (c >= Char.Zero && c <= Char.Nine);
    }
    this.pos = i;
    if (plain && digits <= 15) return negative ? -integer : integer;
    const literal = text.slice(start, i);
    if (!plain && this.literals !== undefined && container !== undefined) {
      let members = this.literals.get(container);
      if (members === undefined) this.literals.set(container, (members = new Map()));
      members.set(key, literal);
    }
    return Number(literal);
  }

  private word<T extends JsonValue>(word: string, value: T): T {
    for (let k = 0; k < word.length; k++) {
      if (this.text.charCodeAt(this.pos + k) !== word.charCodeAt(k)) {
        this.pos += k;
        throw this.unexpected();
      }
    }
    this.pos += word.length;
    return value;
  }

  private skipWhitespace(): void {
    const text = this.text;
    let i = this.pos;
    for (;;) {
      const c = text.charCodeAt(i);
      if (c !== Char.Space && c !== Char.Newline && c !== Char.Return && c !== Char.Tab) break;
      i++;
    }
    this.pos = i;
  }

  private enter(): void {
    // Our own message, not JSON.parse's: no line and column.
    if (++this.depth > maxDepth) throw new JsonReadError(`JSON nested deeper than ${maxDepth} levels at position ${this.pos}`, this.pos);
  }

  /** JSON.parse's words for an unexpected character or the end of the text. */
  private unexpected(): JsonReadError {
    if (this.pos >= this.text.length) return this.error("Unexpected end of JSON input");
    // V8 words these whole-text JavaScript literals differently.
    if (this.pos === 0 && (this.text === "NaN" || this.text === "Infinity" || this.text === "undefined"))
      return this.error(`"${this.text}" is not valid JSON`);
    const token = String.fromCodePoint(this.text.codePointAt(this.pos)!);
    return this.error(`Unexpected token '${token}', ${excerpt(this.text, this.pos)} is not valid JSON`);
  }

  /** A JSON.parse message; its "at position N" followed by line and column where V8 adds them. */
  private error(message: string, position = this.pos): JsonReadError {
    const withLine = namesLineAndColumn && message.endsWith(` at position ${position}`);
    return new JsonReadError(withLine ? `${message} ${lineAndColumn(this.text, position)}` : message, position);
  }
}

// Newer V8 (Node 26's) follows "at position N" with "(line L column C)"; Node 20's does not. The
// messages follow the JSON.parse of the Node that runs, whichever it is.
const namesLineAndColumn = (() => {
  try {
    JSON.parse("{");
  } catch (err) {
    return (err as Error).message.endsWith("(line 1 column 2)");
  }
  return false;
})();

/** `(line L column C)`, both 1-based, counting \n, \r\n and a lone \r as one line break, as V8 does. */
function lineAndColumn(text: string, position: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < position; i++) {
    const c = text.charCodeAt(i);
    if (c === Char.Newline || (c === Char.Return && text.charCodeAt(i + 1) !== Char.Newline)) {
      line++;
      lineStart = i + 1;
    }
  }
  return `(line ${line} column ${position - lineStart + 1})`;
}

function duplicate(key: string, position: number, path: (string | number)[]): JsonReadError {
  const where = path.length === 0 ? "" : ` inside ${formatJsonPath(path)}`;
  return new JsonReadError(`duplicate key ${JSON.stringify(key)}${where} in JSON at position ${position}`, position, key, path);
}

/** The four hex digits at `at` as a number, or -1 when they are not four hex digits. */
function hex4(text: string, at: number): number {
  let value = 0;
  for (let k = at; k < at + 4; k++) {
    const digit = hexValue(text.charCodeAt(k));
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

/** The value of an ASCII hex digit's code, or -1 for any other code. */
export function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

/** The text around `pos` the way V8 quotes it: all of it when short, else a window with ellipses. */
function excerpt(text: string, pos: number): string {
  if (text.length <= 30) return `"${text}"`;
  const from = Math.max(0, pos - 10);
  const to = Math.min(text.length, pos + 10);
  return `${from > 0 ? '..."' : '"'}${text.slice(from, to)}${to < text.length ? '"...' : '"'}`;
}
