// How gorilla/websocket (v1.5.3 util.go), which the original uses, reads the handshake's token-list
// headers. A header line is read up to the first thing that does not parse; what came before it
// counts and the rest of the line is skipped, so a malformed header never refuses a handshake by
// itself. Sec-WebSocket-Extensions decides only whether the connection is compressed: gorilla
// ignores every parameter of the offer and always answers with no context takeover.

// RFC 2616 token characters.
const tokenChar = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

function skipSpace(s: string): string {
  let i = 0;
  while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  return s.slice(i);
}

function nextToken(s: string): [token: string, rest: string] {
  let i = 0;
  while (i < s.length && tokenChar.test(s[i]!)) i++;
  return [s.slice(0, i), s.slice(i)];
}

function nextTokenOrQuoted(s: string): [value: string, rest: string] {
  if (!s.startsWith('"')) return nextToken(s);
  let value = "";
  for (let i = 1; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') return [value, s.slice(i + 1)];
    if (c === "\\") {
      i++;
      if (i < s.length) value += s[i];
      continue;
    }
    value += c;
  }
  return ["", ""];
}

/** tokenListContainsValue: whether any line of the header lists `value` (ASCII case-insensitively). */
export function tokenListContainsValue(lines: readonly string[], value: string): boolean {
  const wanted = value.toLowerCase();
  for (const line of lines) {
    let s = line;
    for (;;) {
      let token: string;
      [token, s] = nextToken(skipSpace(s));
      if (token === "") break;
      s = skipSpace(s);
      if (s !== "" && s[0] !== ",") break;
      if (token.toLowerCase() === wanted) return true;
      if (s === "") break;
      s = s.slice(1);
    }
  }
  return false;
}

/** parseExtensions: the extension names gorilla reads from the header's lines, in order. */
export function gorillaExtensionNames(lines: readonly string[]): string[] {
  const names: string[] = [];
  for (const line of lines) {
    let s = line;
    extensions: for (;;) {
      let name: string;
      [name, s] = nextToken(skipSpace(s));
      if (name === "") break;
      for (;;) {
        s = skipSpace(s);
        if (!s.startsWith(";")) break;
        let key: string;
        [key, s] = nextToken(skipSpace(s.slice(1)));
        if (key === "") break extensions;
        s = skipSpace(s);
        if (s.startsWith("=")) {
          [, s] = nextTokenOrQuoted(skipSpace(s.slice(1)));
          s = skipSpace(s);
        }
        if (s !== "" && s[0] !== "," && s[0] !== ";") break extensions;
      }
      if (s !== "" && s[0] !== ",") break;
      names.push(name);
      if (s === "") break;
      s = s.slice(1);
    }
  }
  return names;
}

/** gorilla with EnableCompression: compress when any extension read is exactly `permessage-deflate`. */
export function gorillaCompresses(lines: readonly string[]): boolean {
  return gorillaExtensionNames(lines).includes("permessage-deflate");
}
