// A JSON reader that sees a document the way Go's encoding/json does, for token segments: it
// keeps every member of an object in order (duplicates included, since Go decodes each one in
// turn and the later one wins, or merges, depending on the field's type), keeps numbers as
// written (Go reads them per target type), decodes strings with Go's replacements (an invalid
// UTF-8 byte or a lone UTF-16 surrogate escape becomes U+FFFD, never an error), allows 10000
// levels of nesting (Go's limit) without recursion, and words syntax errors as Go's scanner does.
import { isUtf8 } from "node:buffer";
import { hexValue } from "../shared/read-json.js";
import { utf8SequenceLength } from "../shared/utf8.js";

interface Span {
  /** Byte offsets of the value in the document. */
  readonly start: number;
  readonly end: number;
}

export interface GoMember {
  readonly key: string;
  readonly value: GoJson;
}

export type GoJson =
  | (Span & { readonly kind: "object"; readonly members: readonly GoMember[] })
  | (Span & { readonly kind: "array"; readonly items: readonly GoJson[] })
  | (Span & { readonly kind: "string"; readonly value: string })
  | (Span & { readonly kind: "number"; readonly literal: string })
  | (Span & { readonly kind: "bool"; readonly value: boolean })
  | (Span & { readonly kind: "null" });

/** A document Go's scanner refuses; the message is Go's. */
export class GoJsonError extends Error {
  override name = "GoJsonError";
}

/** encoding/json's maxNestingDepth. */
export const goMaxJsonDepth = 10_000;

const enum Byte {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Comma = 0x2c,
  Minus = 0x2d,
  Dot = 0x2e,
  Zero = 0x30,
  Nine = 0x39,
  Colon = 0x3a,
  OpenBracket = 0x5b,
  Backslash = 0x5c,
  CloseBracket = 0x5d,
  OpenBrace = 0x7b,
  CloseBrace = 0x7d,
}

interface OpenObject {
  readonly kind: "object";
  readonly start: number;
  readonly members: GoMember[];
  key: string;
}

interface OpenArray {
  readonly kind: "array";
  readonly start: number;
  readonly items: GoJson[];
}

export function readGoJson(bytes: Uint8Array): GoJson {
  return new Reader(bytes).document();
}

class Reader {
  private pos = 0;
  private readonly decoder = new TextDecoder();
  constructor(private readonly b: Uint8Array) {}

  document(): GoJson {
    const b = this.b;
    const stack: (OpenObject | OpenArray)[] = [];
    this.skipWhitespace();
    for (;;) {
      // A value starts here.
      let value: GoJson;
      const start = this.pos;
      const c = this.peek();
      if (c === Byte.OpenBrace || c === Byte.OpenBracket) {
        if (stack.length >= goMaxJsonDepth) throw syntax(c, "exceeded max depth");
        this.pos++;
        this.skipWhitespace();
        if (c === Byte.OpenBrace) {
          const d = this.peek();
          if (d === Byte.CloseBrace) {
            value = { kind: "object", members: [], start, end: ++this.pos };
          } else {
            stack.push({ kind: "object", start, members: [], key: this.key() });
            continue;
          }
        } else if (this.peek() === Byte.CloseBracket) {
          value = { kind: "array", items: [], start, end: ++this.pos };
        } else {
          stack.push({ kind: "array", start, items: [] });
          continue;
        }
      } else {
        value = this.scalar(c);
      }
      // The value is complete: attach it, then close as many containers as end here.
      for (;;) {
        const top = stack[stack.length - 1];
        this.skipWhitespace();
        if (top === undefined) {
          if (this.pos < b.length) throw syntax(b[this.pos]!, "after top-level value");
          return value;
        }
        if (top.kind === "object") {
          top.members.push({ key: top.key, value });
          const d = this.peek();
          this.pos++;
          if (d === Byte.Comma) {
            this.skipWhitespace();
            top.key = this.key();
            break;
          }
          if (d !== Byte.CloseBrace) throw syntax(d, "after object key:value pair");
          value = { kind: "object", members: top.members, start: top.start, end: this.pos };
        } else {
          top.items.push(value);
          const d = this.peek();
          this.pos++;
          if (d === Byte.Comma) {
            this.skipWhitespace();
            break;
          }
          if (d !== Byte.CloseBracket) throw syntax(d, "after array element");
          value = { kind: "array", items: top.items, start: top.start, end: this.pos };
        }
        stack.pop();
      }
    }
  }

  /** An object key and its colon; leaves the position at the member's value. */
  private key(): string {
    const c = this.peek();
    if (c !== Byte.Quote) throw syntax(c, "looking for beginning of object key string");
    const key = this.string().value;
    this.skipWhitespace();
    const d = this.peek();
    if (d !== Byte.Colon) throw syntax(d, "after object key");
    this.pos++;
    this.skipWhitespace();
    return key;
  }

  private scalar(c: number): GoJson {
    const start = this.pos;
    switch (c) {
      case Byte.Quote:
        return this.string();
      case 0x74: // t
        this.literal("true");
        return { kind: "bool", value: true, start, end: this.pos };
      case 0x66: // f
        this.literal("false");
        return { kind: "bool", value: false, start, end: this.pos };
      case 0x6e: // n
        this.literal("null");
        return { kind: "null", start, end: this.pos };
      default:
        if (c === Byte.Minus || (c >= Byte.Zero && c <= Byte.Nine)) return this.number();
        throw syntax(c, "looking for beginning of value");
    }
  }

  private literal(word: string): void {
    for (let k = 1; k < word.length; k++) {
      const c = this.b[this.pos + k];
      if (c === undefined) throw endOfInput();
      if (c !== word.charCodeAt(k)) throw syntax(c, `in literal ${word} (expecting ${quoteByte(word.charCodeAt(k))})`);
    }
    this.pos += word.length;
  }

  private number(): GoJson {
    const b = this.b;
    const start = this.pos;
    let i = start;
    const digit = (at: number): boolean => b[at] !== undefined && b[at]! >= Byte.Zero && b[at]! <= Byte.Nine;
    const need = (at: number, context: string): void => {
      if (at >= b.length) throw endOfInput();
      if (!digit(at)) throw syntax(b[at]!, context);
    };
    if (b[i] === Byte.Minus) {
      i++;
      need(i, "in numeric literal");
    }
    if (b[i] === Byte.Zero) i++;
    else while (digit(i)) i++;
    if (b[i] === Byte.Dot) {
      need(++i, "after decimal point in numeric literal");
      while (digit(i)) i++;
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      i++;
      if (b[i] === 0x2b || b[i] === Byte.Minus) i++;
      need(i, "in exponent of numeric literal");
      while (digit(i)) i++;
    }
    this.pos = i;
    return { kind: "number", literal: this.decoder.decode(b.subarray(start, i)), start, end: i };
  }

  /** A string at the position (which holds its opening quote), decoded as Go's unquote does. */
  private string(): GoJson & { kind: "string" } {
    const b = this.b;
    const start = this.pos;
    let escaped = false;
    let i = start + 1;
    for (;;) {
      const c = b[i];
      if (c === undefined) throw endOfInput();
      if (c === Byte.Quote) break;
      if (c < Byte.Space) throw syntax(c, "in string literal");
      if (c === Byte.Backslash) {
        escaped = true;
        const e = b[++i];
        if (e === undefined) throw endOfInput();
        if (e === 0x75 /* u */) {
          for (let k = 1; k <= 4; k++) {
            const h = b[i + k];
            if (h === undefined) throw endOfInput();
            if (hexValue(h) < 0) throw syntax(h, "in \\u hexadecimal character escape");
          }
          i += 4;
        } else if (!'"\\/bfnrt'.includes(String.fromCharCode(e))) {
          throw syntax(e, "in string escape code");
        }
      }
      i++;
    }
    this.pos = i + 1;
    const content = b.subarray(start + 1, i);
    const value = !escaped && isUtf8(content) ? this.decoder.decode(content) : unquote(content);
    return { kind: "string", value, start, end: this.pos };
  }

  /** The byte at the position; the end of the input is Go's "unexpected end of JSON input". */
  private peek(): number {
    const c = this.b[this.pos];
    if (c === undefined) throw endOfInput();
    return c;
  }

  private skipWhitespace(): void {
    const b = this.b;
    let i = this.pos;
    while (i < b.length) {
      const c = b[i]!;
      if (c !== Byte.Space && c !== Byte.Newline && c !== Byte.Return && c !== Byte.Tab) break;
      i++;
    }
    this.pos = i;
  }
}

/** The content of a string that has escapes or invalid UTF-8, decoded as Go's unquote does. */
function unquote(content: Uint8Array): string {
  let out = "";
  let i = 0;
  while (i < content.length) {
    const c = content[i]!;
    if (c === Byte.Backslash) {
      const e = content[i + 1]!;
      if (e !== 0x75) {
        out += ({ 0x62: "\b", 0x66: "\f", 0x6e: "\n", 0x72: "\r", 0x74: "\t" } as Record<number, string>)[e] ?? String.fromCharCode(e);
        i += 2;
        continue;
      }
      let unit = hex4(content, i + 2);
      i += 6;
      if (unit >= 0xd800 && unit < 0xe000) {
        // A surrogate counts only as the first half of a pair written as two escapes.
        const next = content[i] === Byte.Backslash && content[i + 1] === 0x75 ? hex4(content, i + 2) : -1;
        if (unit < 0xdc00 && next >= 0xdc00 && next < 0xe000) {
          out += String.fromCharCode(unit, next);
          i += 6;
          continue;
        }
        unit = 0xfffd;
      }
      out += String.fromCharCode(unit);
      continue;
    }
    const length = utf8SequenceLength(content, i);
    if (length === 0) {
      out += "\ufffd";
      i++;
    } else {
      out += Buffer.from(content.buffer, content.byteOffset + i, length).toString("utf8");
      i += length;
    }
  }
  return out;
}

function hex4(bytes: Uint8Array, at: number): number {
  let value = 0;
  for (let k = 0; k < 4; k++) value = value * 16 + hexValue(bytes[at + k]!);
  return value;
}

function endOfInput(): GoJsonError {
  return new GoJsonError("unexpected end of JSON input");
}

function syntax(c: number, context: string): GoJsonError {
  return new GoJsonError(`invalid character ${quoteByte(c)} ${context}`);
}

/** Go's quoteChar: a byte (read as the code point of the same value) in single quotes. */
function quoteByte(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === Byte.Quote) return "'\"'";
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}

const notPrintable = /[\p{C}\p{Z}]/u;

/**
 * strconv.Quote: printable characters as they are, the usual escapes, `\x` for other ASCII
 * controls, `\u`/`\U` for other unprintable code points, and `\x` for each invalid UTF-8 byte
 * when given bytes.
 */
export function goQuote(text: string | Uint8Array): string {
  let out = '"';
  const bytes = typeof text === "string" ? Buffer.from(text) : text;
  for (let i = 0; i < bytes.length;) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) {
      out += `\\x${bytes[i]!.toString(16).padStart(2, "0")}`;
      i++;
      continue;
    }
    const char = Buffer.from(bytes.buffer, bytes.byteOffset + i, length).toString("utf8");
    i += length;
    const code = char.codePointAt(0)!;
    const simple = (
      { 0x07: "\\a", 0x08: "\\b", 0x0c: "\\f", 0x0a: "\\n", 0x0d: "\\r", 0x09: "\\t", 0x0b: "\\v", 0x22: '\\"', 0x5c: "\\\\" } as Record<
        number,
        string
      >
    )[code];
    if (simple !== undefined) out += simple;
    else if (code === 0x20 || !notPrintable.test(char)) out += char;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}
