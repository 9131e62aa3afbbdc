// HTTP upgrades on any listener. `/rtc` and `/rtc/v1` go to the signal endpoint; an upgrade on any
// other path is answered like the plain request it would be in Go, which ignores the header there.
import { ServerResponse, type IncomingMessage } from "node:http";
import type { Socket } from "node:net";
import { handleSignalUpgrade } from "../signal/handle-upgrade.js";
import { handleRequest } from "./handle-request.js";
import type { ListenerContext } from "./listener-context.js";
import { matchRoute, pathOf } from "./routes.js";

export function handleUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, ctx: ListenerContext): void {
  const started = performance.now();
  const path = pathOf(req.url);
  // The HTTP server's own error handling is gone once an upgrade is handed over.
  socket.on("error", () => socket.destroy());
  if (matchRoute(path, ctx.config.twirpPrefix).kind !== "signal") {
    answerAsPlainRequest(req, socket, ctx);
    return;
  }
  handleSignalUpgrade(req, socket, head, ctx).then(
    ({ status, why }) => {
      if (!ctx.log.requestsEnabled) return;
      ctx.log.request({
        region: ctx.region.name,
        target: `${req.method} ${path}`,
        status,
        latencyMs: Math.round(performance.now() - started),
        why,
      });
    },
    (err: unknown) => {
      ctx.log.error(`test-server: ${req.method} ${path}: unexpected error: ${err instanceof Error ? err.message : String(err)}`);
      socket.destroy();
    },
  );
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
