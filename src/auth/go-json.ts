// A JSON reader that sees a document the way Go's encoding/json does, for token segments: it
// keeps every member of an object in order (duplicates included, since Go decodes each one in
// turn and the later one wins, or merges, depending on the field's type), keeps numbers as
// written (Go reads them per target type), decodes strings with Go's replacements (an invalid
// UTF-8 byte or a lone UTF-16 surrogate escape becomes U+FFFD, never an error), allows 10000
// levels of nesting (Go's limit) without recursion, and words syntax errors as Go's scanner does.
// A layer over shared/json-scan.ts's lexical grammar, which it runs over the bytes as a latin1
// string (one character per byte, so positions are byte offsets).
import { isUtf8 } from "node:buffer";
import {
  Code,
  Problem,
  asciiRunEnd,
  createScan,
  isHighSurrogate,
  isLowSurrogate,
  plainRunEnd,
  scanEscape,
  scanNumber,
  skipWhitespace,
  startsNumber,
  unicodeEscapeAt,
  wordMismatch,
} from "../shared/json-scan.js";
import { goQuote } from "../shared/go-quote.js";
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

// The scanner's result slots, shared by every read: reads are synchronous and never nest.
const scan = createScan();

class Reader {
  private pos = 0;
  private readonly decoder = new TextDecoder();
  /** The bytes as a latin1 string: what the scanner reads. */
  private readonly text: string;
  constructor(private readonly b: Uint8Array) {
    this.text = Buffer.from(b.buffer, b.byteOffset, b.length).toString("latin1");
  }

  document(): GoJson {
    const text = this.text;
    const stack: (OpenObject | OpenArray)[] = [];
    this.skipWhitespace();
    for (;;) {
      // A value starts here.
      let value: GoJson;
      const start = this.pos;
      const c = this.peek();
      if (c === Code.OpenBrace || c === Code.OpenBracket) {
        if (stack.length >= goMaxJsonDepth) throw syntax(c, "exceeded max depth");
        this.pos++;
        this.skipWhitespace();
        if (c === Code.OpenBrace) {
          const d = this.peek();
          if (d === Code.CloseBrace) {
            value = { kind: "object", members: [], start, end: ++this.pos };
          } else {
            stack.push({ kind: "object", start, members: [], key: this.key() });
            continue;
          }
        } else if (this.peek() === Code.CloseBracket) {
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
          if (this.pos < text.length) throw syntax(text.charCodeAt(this.pos), "after top-level value");
          return value;
        }
        if (top.kind === "object") {
          top.members.push({ key: top.key, value });
          const d = this.peek();
          this.pos++;
          if (d === Code.Comma) {
            this.skipWhitespace();
            top.key = this.key();
            break;
          }
          if (d !== Code.CloseBrace) throw syntax(d, "after object key:value pair");
          value = { kind: "object", members: top.members, start: top.start, end: this.pos };
        } else {
          top.items.push(value);
          const d = this.peek();
          this.pos++;
          if (d === Code.Comma) {
            this.skipWhitespace();
            break;
          }
          if (d !== Code.CloseBracket) throw syntax(d, "after array element");
          value = { kind: "array", items: top.items, start: top.start, end: this.pos };
        }
        stack.pop();
      }
    }
  }

  /** An object key and its colon; leaves the position at the member's value. */
  private key(): string {
    const c = this.peek();
    if (c !== Code.Quote) throw syntax(c, "looking for beginning of object key string");
    const key = this.string().value;
    this.skipWhitespace();
    const d = this.peek();
    if (d !== Code.Colon) throw syntax(d, "after object key");
    this.pos++;
    this.skipWhitespace();
    return key;
  }

  private scalar(c: number): GoJson {
    const start = this.pos;
    switch (c) {
      case Code.Quote:
        return this.string();
      case Code.LowerT:
        this.literal("true");
        return { kind: "bool", value: true, start, end: this.pos };
      case Code.LowerF:
        this.literal("false");
        return { kind: "bool", value: false, start, end: this.pos };
      case Code.LowerN:
        this.literal("null");
        return { kind: "null", start, end: this.pos };
      default:
        if (startsNumber(c)) return this.number();
        throw syntax(c, "looking for beginning of value");
    }
  }

  private literal(word: string): void {
    const at = wordMismatch(this.text, this.pos, word);
    if (at >= 0) {
      if (at >= this.text.length) throw endOfInput();
      throw syntax(this.text.charCodeAt(at), `in literal ${word} (expecting ${quoteByte(word.charCodeAt(at - this.pos))})`);
    }
    this.pos += word.length;
  }

  private number(): GoJson {
    const text = this.text;
    const start = this.pos;
    const end = scanNumber(text, start, scan);
    if (end < 0) {
      if (scan.at >= text.length) throw endOfInput();
      const context =
        scan.problem === Problem.DotWithoutDigit
          ? "after decimal point in numeric literal"
          : scan.problem === Problem.ExponentWithoutDigit
            ? "in exponent of numeric literal"
            : "in numeric literal";
      throw syntax(text.charCodeAt(scan.at), context);
    }
    this.pos = end;
    return { kind: "number", literal: text.slice(start, end), start, end };
  }

  /** A string at the position (which holds its opening quote), decoded as Go's unquote does. */
  private string(): GoJson & { kind: "string" } {
    const text = this.text;
    const start = this.pos;
    let escaped = false;
    let ascii = true;
    let i = asciiRunEnd(text, start + 1);
    for (;;) {
      const c = text.charCodeAt(i);
      if (c === Code.Quote) break;
      if (i >= text.length) throw endOfInput();
      if (c > 0x7f) {
        ascii = false;
        i = plainRunEnd(text, i);
        continue;
      }
      if (c !== Code.Backslash) throw syntax(c, "in string literal");
      escaped = true;
      const end = scanEscape(text, i, scan);
      if (end < 0) {
        if (scan.problem === Problem.EscapeAtEnd || scan.at >= text.length) throw endOfInput();
        throw syntax(
          text.charCodeAt(scan.at),
          scan.problem === Problem.BadEscape ? "in string escape code" : "in \\u hexadecimal character escape",
        );
      }
      i = plainRunEnd(text, end);
    }
    this.pos = i + 1;
    // ASCII reads the same as latin1 and as UTF-8; anything else is decoded from the bytes.
    if (ascii && !escaped) return { kind: "string", value: text.slice(start + 1, i), start, end: this.pos };
    const content = this.b.subarray(start + 1, i);
    const value = !escaped && isUtf8(content) ? this.decoder.decode(content) : unquote(content, text, start + 1);
    return { kind: "string", value, start, end: this.pos };
  }

  /** The byte at the position; the end of the input is Go's "unexpected end of JSON input". */
  private peek(): number {
    if (this.pos >= this.text.length) throw endOfInput();
    return this.text.charCodeAt(this.pos);
  }

  private skipWhitespace(): void {
    this.pos = skipWhitespace(this.text, this.pos);
  }
}

/**
 * The content of a string that has escapes or invalid UTF-8, decoded as Go's unquote does; `text`
 * is the document as latin1 and `offset` where the content starts in it (its escapes are valid).
 */
function unquote(content: Uint8Array, text: string, offset: number): string {
  let out = "";
  let i = 0;
  while (i < content.length) {
    const c = content[i]!;
    if (c === Code.Backslash) {
      i = scanEscape(text, offset + i, scan) - offset;
      let unit = scan.unit;
      if (unit >= 0xd800 && unit < 0xe000) {
        // A surrogate counts only as the first half of a pair written as two escapes.
        const next = unicodeEscapeAt(text, offset + i);
        if (isHighSurrogate(unit) && isLowSurrogate(next)) {
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

function endOfInput(): GoJsonError {
  return new GoJsonError("unexpected end of JSON input");
}

function syntax(c: number, context: string): GoJsonError {
  return new GoJsonError(`invalid character ${quoteByte(c)} ${context}`);
}

/** Go's quoteChar: a byte (read as the code point of the same value) in single quotes. */
function quoteByte(c: number): string {
  if (c === 0x27) return "'\\''";
  if (c === Code.Quote) return "'\"'";
  return `'${goQuote(String.fromCharCode(c)).slice(1, -1)}'`;
}
