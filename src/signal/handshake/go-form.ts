// Request parameters as Go's net/http reads them, since the original takes its token from
// `r.FormValue` (docs/spec/signal.md#signal-token): url.ParseQuery for the query string, and for
// POST, PUT and PATCH a urlencoded body (its values first) or a multipart body (its values after
// the query's).
import type { HttpRequest } from "../../http/http-request.js";

export type FormValues = ReadonlyMap<string, readonly string[]>;

/** Go's url.ParseQuery: pairs holding `;` or a bad %-escape are skipped, `+` is a space. */
export function parseQuery(query: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const pair of query.split("&")) {
    if (pair === "" || pair.includes(";")) continue;
    const eq = pair.indexOf("=");
    const key = unescape(eq === -1 ? pair : pair.slice(0, eq));
    const value = unescape(eq === -1 ? "" : pair.slice(eq + 1));
    if (key === undefined || value === undefined) continue;
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  return values;
}

export function queryOf(url: string | undefined): Map<string, string[]> {
  const raw = url ?? "";
  const mark = raw.indexOf("?");
  return parseQuery(mark === -1 ? "" : raw.slice(mark + 1));
}

/** Go's r.FormValue(name): the first value of the merged form, "" when there is none. */
export function formValue(form: FormValues, name: string): string {
  return form.get(name)?.[0] ?? "";
}

/** Go's r.ParseMultipartForm merge. Reads the body only where Go does; an unreadable body adds nothing. */
export async function readForm(req: HttpRequest): Promise<FormValues> {
  const query = queryOf(req.url);
  const method = req.method;
  const contentType = (req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
  if (!["POST", "PUT", "PATCH"].includes(method)) return query;
  if (contentType !== "application/x-www-form-urlencoded" && contentType !== "multipart/form-data") return query;
  let body: Buffer;
  try {
    body = await req.body();
  } catch {
    return query;
  }
  if (contentType === "application/x-www-form-urlencoded") return merge(parseQuery(body.toString("utf8")), query);
  const multipart = new Map<string, string[]>();
  try {
    const form = await new Response(body, { headers: { "content-type": req.header("content-type")! } }).formData();
    for (const [key, value] of form) if (typeof value === "string") multipart.set(key, [...(multipart.get(key) ?? []), value]);
  } catch {
    // A malformed multipart body: Go ignores the parse error too.
  }
  return merge(query, multipart);
}

function merge(first: FormValues, second: FormValues): FormValues {
  const merged = new Map<string, string[]>();
  for (const values of [first, second]) for (const [key, list] of values) merged.set(key, [...(merged.get(key) ?? []), ...list]);
  return merged;
}

function unescape(text: string): string | undefined {
  if (/%(?![0-9A-Fa-f]{2})/.test(text)) return undefined;
  const plain = text.replaceAll("+", " ");
  if (!plain.includes("%")) return plain;
  const pieces = plain
    .split(/(%[0-9A-Fa-f]{2})/)
    .map((piece) => (piece.startsWith("%") ? Buffer.of(parseInt(piece.slice(1), 16)) : Buffer.from(piece)));
  return Buffer.concat(pieces).toString("utf8");
}
