// Upgrades on `/rtc` and `/rtc/v1` become signal WebSockets (REFERENCE §6.1, §6.3): the token and
// its `lk.mock` mode are checked before the handshake, and the validate modes refuse it with their
// status so that the client falls back to the validate fetch.
import { STATUS_CODES, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { WebSocketServer } from "ws";
import { admitSignal, upgradeRefusal, type Refusal } from "./admit-signal.js";
import { formValue, queryOf } from "./go-form.js";
import { handshakeRefusal } from "./gorilla-handshake.js";
import { joinRequestSaysReconnect } from "./join-request.js";
import type { SignalContext } from "./signal-context.js";
import { runSignalSession } from "./signal-session.js";
import { createSignalSocket } from "./signal-socket.js";

/** How an upgrade ended, for the request log. */
export interface UpgradeOutcome {
  readonly status: number | "client-gone";
  readonly why: string;
}

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

export async function handleSignalUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, ctx: SignalContext): Promise<UpgradeOutcome> {
  const query = queryOf(req.url);
  const admission = await admitSignal(query, req.headers.authorization, ctx.verifier);
  if (socket.destroyed) return { status: "client-gone", why: "client went away before the upgrade" };
  const refusal = upgradeRefusal(admission) ?? handshakeRefusal(req);
  if (refusal !== undefined) return refuse(socket, refusal);
  // upgradeRefusal refuses every admission but "admitted".
  if (admission.kind !== "admitted") throw new Error(`${admission.kind} was not refused`);
  const { mock, claims } = admission;

  const reconnect = formValue(query, "reconnect") === "1" || joinRequestSaysReconnect(formValue(query, "join_request"));
  let outcome: UpgradeOutcome = { status: 400, why: "ws refused the WebSocket handshake" };
  signalServer.handleUpgrade(req, socket, head, (ws) => {
    outcome = { status: 101, why: `signal mode ${mock.mode}${reconnect ? ", reconnect" : ""}` };
    runSignalSession(createSignalSocket(ws, socket), { mock, reconnect, claims, region: ctx.region.name });
  });
  // ws accepts synchronously, or has already written its refusal of a handshake gorilla would take.
  return outcome;
}

function refuse(socket: Socket, refusal: Refusal): UpgradeOutcome {
  const body = Buffer.from(refusal.body);
  const headers = Object.entries(refusal.headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.write(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${headers.join("")}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(body);
  socket.destroySoon();
  return { status: refusal.status, why: refusal.why };
}
