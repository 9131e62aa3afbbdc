// A JSON reader for what JSON.parse hides. Go rejects three things JSON.parse lets through: a
// repeated key (protojson answers it malformed, docs/spec/twirp.md#protojson-input), a `\u` escape
// of a lone UTF-16 surrogate (protojson refuses it: it is no character, and has no UTF-8 form) and
// an integral number written with a fraction or exponent where an int is expected (encoding/json
// skips `503.0`, docs/spec/control.md#strict-control). So this reader rejects duplicate keys and
// lone surrogates at any depth and, on request, remembers how such numbers were written. Otherwise
// it accepts and rejects exactly what JSON.parse does, with its wording. Its tokens are
// json-scan.ts's.
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import {
  Code,
  Problem,
  createScan,
  isDigit,
  isHighSurrogate,
  isLowSurrogate,
  plainRunEnd,
  scanEscape,
  scanNumber,
  skipWhitespace,
  startsNumber,
  unicodeEscapeAt,
  wordMismatch,
} from "./json-scan.js";

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

// The scanner's result slots, shared by every read: reads are synchronous and never nest.
const scan = createScan();

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
      case Code.OpenBrace:
        return this.object();
      case Code.OpenBracket:
        return this.array();
      case Code.Quote:
        return this.string();
      case Code.LowerT:
        return this.word("true", true);
      case Code.LowerF:
        return this.word("false", false);
      case Code.LowerN:
        return this.word("null", null);
      default:
        if (startsNumber(c)) return this.number(undefined, 0);
        throw this.unexpected();
    }
  }

  private object(): JsonObject {
    this.enter();
    this.pos++;
    const object: JsonObject = {};
    this.skipWhitespace();
    if (this.text.charCodeAt(this.pos) === Code.CloseBrace) {
      this.pos++;
      this.depth--;
      return object;
    }
    for (let first = true; ; first = false) {
      if (this.text.charCodeAt(this.pos) !== Code.Quote) {
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
      if (this.text.charCodeAt(this.pos) !== Code.Colon) {
        throw this.error(`Expected ':' after property name in JSON at position ${this.pos}`);
      }
      this.pos++;
      let value: JsonValue;
      try {
        this.skipWhitespace();
        const c = this.text.charCodeAt(this.pos);
        value = startsNumber(c) ? this.number(object, key) : this.value();
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
      if (c === Code.CloseBrace) break;
      if (c !== Code.Comma) {
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
    if (this.text.charCodeAt(this.pos) === Code.CloseBracket) {
      this.pos++;
      this.depth--;
      return array;
    }
    for (;;) {
      try {
        this.skipWhitespace();
        const c = this.text.charCodeAt(this.pos);
        array.push(startsNumber(c) ? this.number(array, array.length) : this.value());
      } catch (err) {
        throw err instanceof JsonReadError && err.duplicateKey !== undefined
          ? duplicate(err.duplicateKey, err.position, [array.length, ...err.path])
          : err;
      }
      this.skipWhitespace();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === Code.CloseBracket) break;
      if (c !== Code.Comma) {
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
    const i = plainRunEnd(text, start);
    const c = text.charCodeAt(i);
    if (c === Code.Quote) {
      this.pos = i + 1;
      return text.slice(start, i);
    }
    if (c === Code.Backslash) return this.escapedString(start, i);
    return this.badStringEnd(i);
  }

  /** A string's plain run ended neither at its quote nor at an escape: a control character or the end. */
  private badStringEnd(i: number): never {
    if (i < this.text.length) throw this.error(`Bad control character in string literal in JSON at position ${i}`, i);
    this.pos = i;
    throw this.error(`Unterminated string in JSON at position ${i}`);
  }

  private escapedString(start: number, firstBackslash: number): string {
    const text = this.text;
    let out = text.slice(start, firstBackslash);
    let i = firstBackslash;
    for (;;) {
      const end = scanEscape(text, i, scan);
      if (end < 0) this.badEscape();
      const unit = scan.unit;
      if (unit >= 0xd800 && unit < 0xe000) {
        // Only a high surrogate directly followed by an escaped low one is a character.
        const low = unicodeEscapeAt(text, i + 6);
        if (!isHighSurrogate(unit) || !isLowSurrogate(low)) {
          // Our own message, not JSON.parse's (which accepts the escape): no line and column.
          throw new JsonReadError(`Lone UTF-16 surrogate \\u${text.slice(i + 2, i + 6)} in string in JSON at position ${i}`, i);
        }
        out += String.fromCharCode(unit, low);
        i += 12;
      } else {
        out += String.fromCharCode(unit);
        i = end;
      }
      const next = plainRunEnd(text, i);
      out += text.slice(i, next);
      const c = text.charCodeAt(next);
      if (c === Code.Quote) {
        this.pos = next + 1;
        return out;
      }
      if (c !== Code.Backslash) return this.badStringEnd(next);
      i = next;
    }
  }

  /** The escape scanEscape found wrong. */
  private badEscape(): never {
    if (scan.problem === Problem.EscapeAtEnd) {
      this.pos = this.text.length;
      throw this.error("Unexpected end of JSON input");
    }
    if (scan.problem === Problem.BadEscape) throw this.error(`Bad escaped character in JSON at position ${scan.at}`, scan.at);
    throw this.error(`Bad Unicode escape in JSON at position ${scan.at}`, scan.at);
  }

  /** Reads a number; `container` and `key` say where it goes, so its literal can be remembered. */
  private number(container: object | undefined, key: string | number): number {
    const text = this.text;
    const start = this.pos;
    const end = scanNumber(text, start, scan);
    if (end < 0) this.badNumber();
    // Only a lone leading zero can be followed by a digit (the scan stops after it); JSON.parse
    // refuses that digit.
    if (scan.digits === 1 && scan.integer === 0 && scan.plain && isDigit(text.charCodeAt(end))) {
      throw this.error(`Unexpected number in JSON at position ${end}`, end);
    }
    this.pos = end;
    if (scan.plain && scan.digits <= 15) return text.charCodeAt(start) === Code.Minus ? -scan.integer : scan.integer;
    const literal = text.slice(start, end);
    if (!scan.plain && this.literals !== undefined && container !== undefined) {
      let members = this.literals.get(container);
      if (members === undefined) this.literals.set(container, (members = new Map()));
      members.set(key, literal);
    }
    return Number(literal);
  }

  /** The number scanNumber found wrong. */
  private badNumber(): never {
    this.pos = scan.at;
    if (scan.problem === Problem.MinusWithoutDigit) throw this.error(`No number after minus sign in JSON at position ${scan.at}`);
    if (scan.problem === Problem.DotWithoutDigit) throw this.error(`Unterminated fractional number in JSON at position ${scan.at}`);
    throw scan.at >= this.text.length ? this.error(`Exponent part is missing a number in JSON at position ${scan.at}`) : this.unexpected();
  }

  private word<T extends JsonValue>(word: string, value: T): T {
    const mismatch = wordMismatch(this.text, this.pos, word);
    if (mismatch >= 0) {
      this.pos = mismatch;
      throw this.unexpected();
    }
    this.pos += word.length;
    return value;
  }

  private skipWhitespace(): void {
    this.pos = skipWhitespace(this.text, this.pos);
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
    if (c === Code.Newline || (c === Code.Return && text.charCodeAt(i + 1) !== Code.Newline)) {
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

/** The text around `pos` the way V8 quotes it: all of it when short, else a window with ellipses. */
function excerpt(text: string, pos: number): string {
  if (text.length <= 30) return `"${text}"`;
  const from = Math.max(0, pos - 10);
  const to = Math.min(text.length, pos + 10);
  return `${from > 0 ? '..."' : '"'}${text.slice(from, to)}${to < text.length ? '"...' : '"'}`;
}
