// What ws's handshake sees of a request gorilla/websocket would upgrade. ws refuses with 400 what
// gorilla lets through: a Sec-WebSocket-Extensions or Sec-WebSocket-Protocol header it cannot
// parse, parameters of permessage-deflate it does not know, an Upgrade or Sec-WebSocket-Version
// header listing more than one token, a repeated Sec-WebSocket-Key. Once gorilla's own checks have
// passed (gorilla-handshake.ts), ws gets a clean request carrying only gorilla's decisions: the key
// gorilla reads, and a bare `permessage-deflate` offer exactly when gorilla would compress. With no
// subprotocols configured gorilla never reads the Sec-WebSocket-Protocol header, so ws does not see it.
import type { IncomingMessage } from "node:http";
import type { HttpRequest } from "../../http/http-request.js";
import { gorillaCompresses } from "./gorilla-header-tokens.js";

export function wsRequestView(req: HttpRequest): IncomingMessage {
  const headers: Record<string, string> = {
    connection: "Upgrade",
    upgrade: "websocket",
    "sec-websocket-version": "13",
    // Go's Header.Get: the first line.
    "sec-websocket-key": req.header("sec-websocket-key") ?? "",
  };
  if (gorillaCompresses(req.headerValues("sec-websocket-extensions"))) headers["sec-websocket-extensions"] = "permessage-deflate";
  // ws reads only the method, the URL and these headers (websocket-server.js handleUpgrade); the
  // connection is no longer Node's, so it gets this view rather than an IncomingMessage.
  return { method: "GET", url: req.url, headers } as unknown as IncomingMessage;
}
