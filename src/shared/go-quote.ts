// Go's `%q` (strconv.Quote) and `%q` of a []string, which Go's error messages are written with:
// golang-jwt's and encoding/json's words about a token, the real server's about a SIP conflict or
// a URL ingress's URL. A double-quoted string with Go's escapes, printable characters kept as they
// are; given bytes, each invalid UTF-8 byte is a `\x` escape, as Go quotes a string of bytes.
import { utf8SequenceLength } from "./utf8.js";

/** Not unicode.IsPrint: other (control, format, unassigned) and separators, the ASCII space aside. */
const notPrintable = /[\p{C}\p{Z}]/u;
const escapes: Readonly<Record<number, string>> = {
  0x07: "\\a",
  0x08: "\\b",
  0x0c: "\\f",
  0x0a: "\\n",
  0x0d: "\\r",
  0x09: "\\t",
  0x0b: "\\v",
  0x22: '\\"',
  0x5c: "\\\\",
};

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
    const simple = escapes[code];
    if (simple !== undefined) out += simple;
    else if (code === 0x20 || !notPrintable.test(char)) out += char;
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map(goQuote).join(" ")}]`;
}
