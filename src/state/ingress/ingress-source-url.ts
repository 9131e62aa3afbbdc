// The source URL of a URL ingress, read as the real server reads it with Go's net/url (Parse's
// refusals in its words, the scheme lower-cased) and checked for a scheme the ingress service
// pulls from. Only what Go would say of a URL an SDK sends is modelled: a control character, a
// scheme that starts with ':', a colon in a relative URL's first segment and the scheme check; the
// rest is kept as written.
import { goQuote } from "../../shared/go-quote.js";
import { serviceError } from "../state-error.js";
import { invalidIngress } from "./ingress-validation.js";

const pulled = new Set(["http", "https", "srt"]);

/** The URL as the server stores it; throws StateError for one it refuses. */
export function sourceUrl(raw: string): string {
  if (raw === "") throw invalidIngress("missing URL parameter");
  // url.Parse's errors are psrpc.NewError(InvalidArgument, err): `parse "<url>": <why>`.
  const refused = (why: string) => serviceError("invalid_argument", `parse ${goQuote(raw)}: ${why}`);
  if (/[\x00-\x1f\x7f]/.test(raw)) throw refused("net/url: invalid control character in URL");
  const { scheme, rest } = splitScheme(raw);
  if (scheme === undefined) throw refused("missing protocol scheme");
  // A relative URL whose first segment has a colon looks like a malformed scheme.
  if (scheme === "" && !rest.startsWith("/") && rest.split(/[/?#]/)[0]!.includes(":")) {
    throw refused("first path segment in URL cannot contain colon");
  }
  if (!pulled.has(scheme)) throw invalidIngress(`invalid url scheme ${scheme}`);
  return `${scheme}:${rest}`;
}

/** net/url getScheme: letters, then letters, digits, '+', '-' or '.', up to ':' (undefined: ':' first). */
function splitScheme(raw: string): { scheme: string | undefined; rest: string } {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c) && i > 0) continue;
    if (c === ":") return i === 0 ? { scheme: undefined, rest: raw } : { scheme: raw.slice(0, i).toLowerCase(), rest: raw.slice(i + 1) };
    break;
  }
  return { scheme: "", rest: raw };
}
