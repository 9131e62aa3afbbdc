// GET and DELETE /_test/state/<key> on any port: a world of the stateful mode as JSON (its rooms,
// participants, webhook destination and limits; a world evicted for the limit says so), and
// resetting it (docs/spec/stateful.md#inspection). The server-wide world of --stateful is read and
// reset under its own key.
import { sendJson, sendText } from "../http/answers.js";
import type { HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import { pathKeyProblem } from "../shared/path-key.js";
import type { ListenerContext } from "./listener-context.js";

export async function handleState(req: HttpRequest, res: HttpResponse, ctx: ListenerContext, rawKey: string): Promise<Outcome> {
  let key: string;
  try {
    key = decodeURIComponent(rawKey);
  } catch {
    key = rawKey;
  }
  const problem = pathKeyProblem(key, "world");
  if (problem !== undefined) {
    sendText(res, 400, `invalid world key: ${problem}\n`);
    return { kind: "success", why: "invalid world key" };
  }
  if (req.method === "GET" || req.method === "HEAD") {
    sendJson(res, 200, JSON.stringify(await ctx.state.read(key)));
    return { kind: "success", why: `state ${key} read` };
  }
  if (req.method === "DELETE") {
    sendJson(res, 200, JSON.stringify({ key, reset: ctx.state.reset(key) }));
    return { kind: "success", why: `state ${key} reset` };
  }
  sendText(res, 405, `method ${req.method} is not allowed on a world: use GET or DELETE\n`, { Allow: "GET, HEAD, DELETE" });
  return { kind: "success", why: "state: method not allowed" };
}
