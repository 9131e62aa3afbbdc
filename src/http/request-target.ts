// The path a request target names, as Go's url.ParseRequestURI finds it (docs/spec/http.md#routing):
// origin-form (`/path?query`), absolute-form (`http://host/path`, any scheme, its authority
// checked), `*`, and CONNECT's authority-form; the part before `?` percent-decoded (`%2F`
// included, `+` left alone). What Go refuses with 400 is refused.
import { isIPv6 } from "node:net";
import { headProblem, quote, type HeadProblem } from "./head-problem.js";
import { hexValue } from "./hex-digit.js";

export interface RequestTarget {
  /** The decoded path (UTF-8 where its bytes are); "" for a target without one. */
  readonly path: string;
}

/** ASCII bytes Go allows in a host as they are (its encodeHost table); bytes above 0x7f pass too. */
const hostByte = new Uint8Array(128);
for (const c of "!\"$&'()*+,-.:;<=>[]_~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") hostByte[c.charCodeAt(0)] = 1;
const userinfoByte = /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/;

/** Reads the target `raw` (latin1: one character per byte) of a request with `method`. */
export function parseRequestTarget(raw: string, method: string): RequestTarget | HeadProblem {
  const refuse = (why: string): HeadProblem => headProblem(400, `invalid request target ${quote(raw)}: ${why}`);
  // The common case first: an origin-form path of plain characters, looked at once.
  if (raw.charCodeAt(0) === 47) {
    let query = -1;
    let plain = true;
    for (let i = 1; i < raw.length; i++) {
      const code = raw.charCodeAt(i);
      if (code === 63 && query === -1) query = i;
      else if (code < 32 || code === 127) return refuse("a control character");
      else if ((code === 37 || code > 127) && query === -1) plain = false;
    }
    const path = query === -1 ? raw : raw.slice(0, query);
    if (plain) return { path };
    const decoded = decodePath(path);
    return decoded === undefined ? refuse("a broken percent-escape") : { path: decoded };
  }
  if (hasControl(raw)) return refuse("a control character");
  if (raw === "") return refuse("it is empty");
  if (raw === "*") return { path: "*" };
  let scheme = "";
  let rest = raw;
  if (method === "CONNECT" && !raw.startsWith("/")) {
    // Authority-form: Go reads it as the authority of an http URL.
    scheme = "http";
    rest = `//${raw}`;
  } else {
    const colon = schemeEnd(raw);
    if (colon === 0) return refuse("a missing scheme");
    if (colon > 0) {
      scheme = raw.slice(0, colon).toLowerCase();
      rest = raw.slice(colon + 1);
    }
  }
  const query = rest.indexOf("?");
  if (query !== -1) rest = rest.slice(0, query);
  if (!rest.startsWith("/")) {
    // A scheme with a rootless rest is opaque: no path. Without a scheme, Go refuses it.
    return scheme !== "" ? { path: "" } : refuse("not a path, an absolute URL or *");
  }
  if (scheme !== "" && rest.startsWith("//")) {
    const slash = rest.indexOf("/", 2);
    const authority = slash === -1 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash === -1 ? "" : rest.slice(slash);
    const problem = authorityProblem(scheme, authority);
    if (problem !== undefined) return refuse(problem);
  }
  const decoded = decodePath(rest);
  return decoded === undefined ? refuse("a broken percent-escape") : { path: decoded };
}

/** `path` with its escapes decoded, or undefined when one is broken. */
export function decodePath(path: string): string | undefined {
  let plain = true;
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code === 37 || code > 127) {
      plain = false;
      break;
    }
  }
  if (plain) return path;
  const bytes: number[] = [];
  for (let i = 0; i < path.length; i++) {
    const code = path.charCodeAt(i);
    if (code !== 37) {
      bytes.push(code);
      continue;
    }
    const high = hexValue(path.charCodeAt(i + 1));
    const low = hexValue(path.charCodeAt(i + 2));
    if (high < 0 || low < 0) return undefined;
    bytes.push(high * 16 + low);
    i += 2;
  }
  return Buffer.from(bytes).toString("utf8");
}

function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 32 || code === 127) return true;
  }
  return false;
}

/** Where a scheme's `:` is (Go's getScheme): -1 without a scheme, 0 for a bare leading colon. */
function schemeEnd(raw: string): number {
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (letter) continue;
    if ((code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46) {
      if (i === 0) return -1;
      continue;
    }
    return code === 58 ? i : -1;
  }
  return -1;
}

/** What Go's parseAuthority finds wrong with `authority`, if anything. */
function authorityProblem(scheme: string, authority: string): string | undefined {
  const at = authority.lastIndexOf("@");
  const host = at === -1 ? authority : authority.slice(at + 1);
  const hostProblem = hostProblemOf(scheme, host);
  if (hostProblem !== undefined) return hostProblem;
  if (at === -1) return undefined;
  const userinfo = authority.slice(0, at);
  if (!userinfoByte.test(userinfo) || decodePath(userinfo) === undefined) return "invalid userinfo";
  return undefined;
}

function hostProblemOf(scheme: string, host: string): string | undefined {
  const open = host.lastIndexOf("[");
  if (open > 0) return "an invalid IP literal";
  if (open === 0) {
    const close = host.lastIndexOf("]");
    if (close === -1) return "a missing ] in the host";
    if (!validOptionalPort(host.slice(close + 1))) return "an invalid port";
    const literal = host.slice(1, close);
    const zone = literal.indexOf("%25");
    const address = zone === -1 ? literal : literal.slice(0, zone);
    if (!hostEscapesValid(address) || !isIPv6(address)) return "an invalid IPv6 address";
    return undefined;
  }
  const colon = host.indexOf(":");
  if (colon !== -1) {
    // Go takes the first colon as the port's for http and https (so a second one is refused),
    // and the last one for other schemes.
    const at = scheme === "http" || scheme === "https" ? colon : host.lastIndexOf(":");
    if (!validOptionalPort(host.slice(at))) return "an invalid port";
  }
  return hostEscapesValid(host) ? undefined : "an invalid host";
}

function validOptionalPort(port: string): boolean {
  if (port === "") return true;
  return /^:\d*$/.test(port);
}

/** Go's unescape in host mode: only allowed characters, and escapes only of bytes above 0x7f or %25. */
function hostEscapesValid(host: string): boolean {
  for (let i = 0; i < host.length; i++) {
    const code = host.charCodeAt(i);
    if (code === 37) {
      const high = hexValue(host.charCodeAt(i + 1));
      const low = hexValue(host.charCodeAt(i + 2));
      if (high < 0 || low < 0) return false;
      if (high < 8 && host.slice(i, i + 3) !== "%25") return false;
      i += 2;
    } else if (code < 128 && hostByte[code] !== 1) {
      return false;
    }
  }
  return true;
}
