// A plain HTTP request (no Upgrade header) to `/rtc` or `/rtc/v1`. The original checks the token
// and the mode before gorilla finds that this is no handshake, so a bad token is still a 401.
import type { IncomingMessage, ServerResponse } from "node:http";
import { sendText } from "../shared/http-io.js";
import type { Outcome } from "../shared/outcome.js";
import type { SignalContext } from "./signal-context.js";
import { admitSignal, upgradeRefusal } from "./admit-signal.js";
import { readForm } from "./go-form.js";
import { handshakeRefusal } from "./gorilla-handshake.js";

export async function handleSignalWithoutUpgrade(req: IncomingMessage, res: ServerResponse, ctx: SignalContext): Promise<Outcome> {
  const admission = await admitSignal(await readForm(req), req.headers.authorization, ctx.verifier);
  const refusal = upgradeRefusal(admission) ?? handshakeRefusal(req);
  if (refusal === undefined) {
    // Unreachable through Node, which hands every request with an Upgrade header to the upgrade handler.
    sendText(res, 400, "Bad Request\n");
    return { kind: "success", why: "a WebSocket handshake outside the upgrade handler" };
  }
  if (refusal.body === "") {
    res.writeHead(refusal.status, { ...refusal.headers, "Content-Length": 0 });
    res.end();
  } else {
    sendText(res, refusal.status, refusal.body, refusal.headers);
  }
  return { kind: "success", why: refusal.why };
}
