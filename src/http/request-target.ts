// The path a request target names, as Go's url.ParseRequestURI finds it: the part before `?`,
// percent-decoded (`%2F` included, `+` left alone). A broken escape is refused, as Go refuses the
// request with 400 (docs/spec/http.md#routing).
import { headProblem, quote, type HeadProblem } from "./head-problem.js";
import { hexValue } from "./hex-digit.js";

export interface RequestTarget {
  /** The decoded path (UTF-8 where its bytes are). */
  readonly path: string;
}

/** Reads the target `raw` (latin1: one character per byte) of a request with `method`. */
export function parseRequestTarget(raw: string, method: string): RequestTarget | HeadProblem {
  void method;
  const query = raw.indexOf("?");
  const path = query === -1 ? raw : raw.slice(0, query);
  const decoded = decodePath(path);
  if (decoded === undefined) return headProblem(400, `invalid escape in the request target ${quote(raw)}`);
  return { path: decoded };
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
