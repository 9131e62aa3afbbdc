// A plain HTTP request (no Upgrade header) to `/rtc` or `/rtc/v1`. The original checks the token
// and the mode before gorilla finds that this is no handshake, so a bad token is still a 401.
import { sendText } from "../../http/answers.js";
import type { HttpRequest } from "../../http/http-request.js";
import type { HttpResponse } from "../../http/http-response.js";
import type { Outcome } from "../../shared/outcome.js";
import type { SignalContext } from "../signal-context.js";
import { admitSignal, sendRefusal, upgradeRefusal } from "./admit-signal.js";
import { readForm } from "./go-form.js";
import { handshakeRefusal } from "./gorilla-handshake.js";

export async function handleSignalWithoutUpgrade(req: HttpRequest, res: HttpResponse, ctx: SignalContext): Promise<Outcome> {
  const admission = await admitSignal(await readForm(req), req.header("authorization"), ctx.verifier, ctx.webhooks);
  const refusal = upgradeRefusal(admission) ?? handshakeRefusal(req);
  if (refusal === undefined) {
    // Unreachable: a request that passes gorilla's handshake checks asks for an upgrade.
    sendText(res, 400, "Bad Request\n");
    return { kind: "success", why: "a WebSocket handshake outside the upgrade handler" };
  }
  sendRefusal(res, refusal);
  return { kind: "success", why: refusal.why };
}
