// Upgrades on `/rtc` and `/rtc/v1` become signal WebSockets (REFERENCE §6.1, §6.3): the token and
// its `lk.mock` mode are checked before the handshake, and the validate modes refuse it with their
// status so that the client falls back to the validate fetch.
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { WebSocketServer } from "ws";
import type { HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import { statusText } from "../http/status-text.js";
import type { Outcome } from "../shared/outcome.js";
import { admitSignal, upgradeRefusal, type Refusal } from "./admit-signal.js";
import { formValue, queryOf } from "./go-form.js";
import { handshakeRefusal } from "./gorilla-handshake.js";
import { joinRequestSaysReconnect } from "./join-request.js";
import type { SignalContext } from "./signal-context.js";
import { runSignalSession } from "./signal-session.js";
import { createSignalSocket } from "./signal-socket.js";

// Stateless apart from ws's own handshake settings: every connection is independent.
const signalServer = new WebSocketServer({
  noServer: true,
  clientTracking: false,
  // gorilla's EnableCompression: accept any permessage-deflate offer, no context takeover either
  // way, and compress every message.
  perMessageDeflate: { serverNoContextTakeover: true, clientNoContextTakeover: true, threshold: 0 },
  // gorilla with no Subprotocols never selects one; ws would pick the client's first.
  handleProtocols: () => false,
  // gorilla does not check text frames, which the session ignores anyway.
  skipUTF8Validation: true,
});

export async function handleSignalUpgrade(req: HttpRequest, res: HttpResponse, ctx: SignalContext): Promise<Outcome> {
  const { socket, head } = res.takeOver();
  // The HTTP server's own error handling is gone once the connection is handed over.
  socket.on("error", () => socket.destroy());
  const query = queryOf(req.url);
  const admission = await admitSignal(query, req.header("authorization"), ctx.verifier);
  if (socket.destroyed) return { kind: "client-gone", why: "client went away before the upgrade" };
  const refusal = upgradeRefusal(admission) ?? handshakeRefusal(req);
  if (refusal !== undefined) return refuse(socket, refusal);
  // upgradeRefusal refuses every admission but "admitted".
  if (admission.kind !== "admitted") throw new Error(`${admission.kind} was not refused`);
  const { mock, claims } = admission;

  const reconnect = formValue(query, "reconnect") === "1" || joinRequestSaysReconnect(formValue(query, "join_request"));
  let outcome: Outcome = { kind: "error", code: "", status: 400, why: "ws refused the WebSocket handshake" };
  // ws reads only these of a request; the connection is no longer Node's, so it gets a view.
  const wsRequest = { method: req.method, url: req.url, headers: req.headers, socket } as unknown as IncomingMessage;
  signalServer.handleUpgrade(wsRequest, socket, head, (ws) => {
    outcome = { kind: "success", status: 101, why: `signal mode ${mock.mode}${reconnect ? ", reconnect" : ""}` };
    runSignalSession(createSignalSocket(ws, socket), { mock, reconnect, claims, region: ctx.region.name });
  });
  // ws accepts synchronously, or has already written its refusal of a handshake gorilla would take.
  return outcome;
}

function refuse(socket: Socket, refusal: Refusal): Outcome {
  const body = Buffer.from(refusal.body);
  const headers = Object.entries(refusal.headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.write(
    `HTTP/1.1 ${refusal.status} ${statusText(refusal.status)}\r\n${headers.join("")}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(body);
  socket.destroySoon();
  return { kind: "success", status: refusal.status, why: refusal.why };
}
