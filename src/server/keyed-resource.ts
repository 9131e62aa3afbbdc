// The shape every `/_test/<resource>/<key>` path shares (the journal, the worlds): a key a test
// chose, checked, then GET reads it and DELETE forgets it, on any port.
import { sendJson, sendText } from "../http/answers.js";
import type { HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import { pathKeyPattern, pathKeyRule } from "../shared/path-key.js";

export interface KeyedResource {
  /** What a key names, for answers and the log: `journal`, `world`. */
  readonly noun: string;
  /** The JSON answer of GET, and the log's words for it. */
  read(key: string): Promise<{ readonly json: string; readonly why: string }> | { readonly json: string; readonly why: string };
  /** The JSON answer of DELETE. */
  forget(key: string): string;
}

export async function answerKeyed(req: HttpRequest, res: HttpResponse, rawKey: string, resource: KeyedResource): Promise<Outcome> {
  let key: string;
  try {
    key = decodeURIComponent(rawKey);
  } catch {
    key = rawKey;
  }
  if (!pathKeyPattern.test(key)) {
    sendText(res, 400, `invalid ${resource.noun} key ${JSON.stringify(key)}: it must be ${pathKeyRule}\n`);
    return { kind: "success", why: `invalid ${resource.noun} key` };
  }
  switch (req.method) {
    case "GET":
    case "HEAD": {
      const { json, why } = await resource.read(key);
      sendJson(res, 200, json);
      return { kind: "success", why };
    }
    case "DELETE":
      sendJson(res, 200, resource.forget(key));
      return { kind: "success", why: `${resource.noun} ${key} forgotten` };
    default:
      sendText(res, 405, `method ${req.method} is not allowed on a ${resource.noun}: use GET or DELETE\n`, { Allow: "GET, HEAD, DELETE" });
      return { kind: "success", why: `${resource.noun}: method not allowed` };
  }
}
