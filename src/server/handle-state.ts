// GET and DELETE /_test/state/<key> on any port: a world of the stateful mode as JSON (its rooms,
// participants, webhook destination and limits; a world evicted for the limit says so), and
// resetting it. The server-wide world of --stateful is read and reset under its own key.
import type { HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import { answerKeyed } from "./keyed-resource.js";
import type { ListenerContext } from "./listener-context.js";

export function handleState(req: HttpRequest, res: HttpResponse, ctx: ListenerContext, rawKey: string): Promise<Outcome> {
  return answerKeyed(req, res, rawKey, {
    noun: "world",
    read: async (key) => ({ json: JSON.stringify(await ctx.state.read(key)), why: `state ${key}` }),
    forget: (key) => JSON.stringify({ key, reset: ctx.state.reset(key) }),
  });
}
