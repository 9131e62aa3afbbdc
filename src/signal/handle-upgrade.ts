// HTTP upgrades on any listener. `/rtc` and `/rtc/v1` become signal WebSockets (REFERENCE §6.1,
// §6.3): the token and its `lk.mock` mode are checked before the handshake, and the validate modes
// refuse it with their status so that the client falls back to the validate fetch. An upgrade on
// any other path is answered like the plain request it would be in Go.
import { ServerResponse, STATUS_CODES, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { WebSocketServer } from "ws";
import { handleRequest } from "../handle-request.js";
import type { ListenerContext } from "../listener-context.js";
import { matchRoute, pathOf } from "../router.js";
import { admitSignal, upgradeRefusal, type Refusal } from "./admit-signal.js";
import { formValue, queryOf } from "./go-form.js";
import { handshakeRefusal } from "./gorilla-handshake.js";
import { joinRequestSaysReconnect } from "./join-request.js";
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

export function handleSignalUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, ctx: ListenerContext): void {
  const started = performance.now();
  const path = pathOf(req.url);
  // The HTTP server's own error handling is gone once an upgrade is handed over.
  socket.on("error", () => socket.destroy());
  if (matchRoute(path, ctx.shared.config.twirpPrefix).kind !== "signal") {
    answerAsPlainRequest(req, socket, ctx);
    return;
  }
  const log = (status: number | "client-gone", why: string): void => {
    if (!ctx.shared.log.requestsEnabled) return;
    ctx.shared.log.request({
      region: ctx.region.name,
      target: `${req.method} ${path}`,
      status,
      latencyMs: Math.round(performance.now() - started),
      why,
    });
  };
  upgrade(req, socket, head, ctx, log).catch((err: unknown) => {
    ctx.shared.log.error(`test-server: ${req.method} ${path}: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
    socket.destroy();
  });
}

type Log = (status: number | "client-gone", why: string) => void;

async function upgrade(req: IncomingMessage, socket: Socket, head: Buffer, ctx: ListenerContext, log: Log): Promise<void> {
  const query = queryOf(req.url);
  const admission = await admitSignal(query, req.headers.authorization, ctx.shared.verifier);
  if (socket.destroyed) return log("client-gone", "client went away before the upgrade");
  const refusal = upgradeRefusal(admission) ?? handshakeRefusal(req);
  if (refusal !== undefined) return refuse(socket, refusal, log);
  // upgradeRefusal refuses every admission but "admitted".
  if (admission.kind !== "admitted") throw new Error(`${admission.kind} was not refused`);
  const { mock, claims } = admission;

  const reconnect = formValue(query, "reconnect") === "1" || joinRequestSaysReconnect(formValue(query, "join_request"));
  let accepted = false;
  signalServer.handleUpgrade(req, socket, head, (ws) => {
    accepted = true;
    log(101, `signal mode ${mock.mode}${reconnect ? ", reconnect" : ""}`);
    runSignalSession(createSignalSocket(ws, socket), { mock, reconnect, claims, region: ctx.region.name });
  });
  // ws accepts synchronously, or has already written its refusal of a handshake gorilla would take.
  if (!accepted) log(400, "ws refused the WebSocket handshake");
}

function refuse(socket: Socket, refusal: Refusal, log: Log): void {
  const body = Buffer.from(refusal.body);
  const headers = Object.entries(refusal.headers).map(([name, value]) => `${name}: ${value}\r\n`);
  socket.write(
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status]}\r\n${headers.join("")}Content-Length: ${body.length}\r\nConnection: close\r\n\r\n`,
  );
  socket.write(body);
  socket.destroySoon();
  log(refusal.status, refusal.why);
}

// Node sends every request with an Upgrade header here, but Go serves it as a plain request. Its
// body is out of reach (the parser is detached), so only a bodiless request can be served.
function answerAsPlainRequest(req: IncomingMessage, socket: Socket, ctx: ListenerContext): void {
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  res.assignSocket(socket);
  res.once("finish", () => {
    res.detachSocket(socket);
    socket.destroySoon();
  });
  const hasBody =
    (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0") ||
    req.headers["transfer-encoding"] !== undefined;
  if (hasBody) {
    const body = "test-server: cannot serve a request with both an Upgrade header and a body outside /rtc and /rtc/v1\n";
    res.writeHead(400, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  void handleRequest(req, res, ctx);
}
