// Placeholder until the signal mock lands: the validate paths answer 404 like any unknown path.
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TwirpOutcome } from "../handle-twirp.js";
import { sendNotFound } from "../http-io.js";
import type { ListenerContext } from "../listener-context.js";

export async function handleSignalValidate(_req: IncomingMessage, res: ServerResponse, _ctx: ListenerContext): Promise<TwirpOutcome> {
  sendNotFound(res);
  return { kind: "success", why: "signal mock not available" };
}
