// Go's `%q` (strconv.Quote) and `%q` of a []string, which the real server's messages are written
// with (a SIP conflict, a URL ingress's URL): a double-quoted string with Go's escapes, printable
// characters kept as they are.

const escapes: Readonly<Record<string, string>> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  '"': '\\"',
  "\\": "\\\\",
};

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
const printable = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

export function goQuote(text: string): string {
  let out = '"';
  for (const char of text) {
    const escaped = escapes[char];
    if (escaped !== undefined) {
      out += escaped;
      continue;
    }
    if (printable.test(char)) {
      out += char;
      continue;
    }
    const code = char.codePointAt(0)!;
    // A lone surrogate is what Go reads as an invalid byte sequence: U+FFFD's escape.
    if (code >= 0xd800 && code <= 0xdfff) out += "\\ufffd";
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, "0")}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, "0")}`;
    else out += `\\U${code.toString(16).padStart(8, "0")}`;
  }
  return `${out}"`;
}

/** `%q` of a []string: `["a" "b"]`. */
export function goQuoteList(list: readonly string[]): string {
  return `[${list.map(goQuote).join(" ")}]`;
}
