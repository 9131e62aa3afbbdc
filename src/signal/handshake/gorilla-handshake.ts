// The handshake checks of gorilla/websocket's Upgrader (v1.5.3 server.go), which the original uses:
// same order, same statuses, and http.Error's answer with the reason left out of the body. What it
// accepts, ws accepts too, through the view ws-request-view.ts hands it.
import type { HttpRequest } from "../../http/http-request.js";
import { statusText } from "../../http/status-text.js";
import type { Refusal } from "./admit-signal.js";
import { tokenListContainsValue } from "./gorilla-header-tokens.js";

const badHandshake = "websocket: the client is not using the websocket protocol: ";

export function handshakeRefusal(req: HttpRequest): Refusal | undefined {
  if (!hasToken(req, "connection", "upgrade")) return refusal(400, `${badHandshake}'upgrade' token not found in 'Connection' header`);
  if (!hasToken(req, "upgrade", "websocket")) return refusal(400, `${badHandshake}'websocket' token not found in 'Upgrade' header`);
  if (req.method !== "GET") return refusal(405, `${badHandshake}request method is not GET`);
  if (!hasToken(req, "sec-websocket-version", "13"))
    return refusal(400, "websocket: unsupported version: 13 not found in 'Sec-Websocket-Version' header");
  const key = req.header("sec-websocket-key") ?? "";
  if (!/^[A-Za-z0-9+/]{22}==$/.test(key)) {
    return refusal(
      400,
      "websocket: not a websocket handshake: 'Sec-WebSocket-Key' header must be Base64 encoded value of 16-byte in length",
    );
  }
  return undefined;
}

function refusal(status: number, why: string): Refusal {
  return {
    status,
    body: `${statusText(status)}\n`,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Content-Type-Options": "nosniff", "Sec-Websocket-Version": "13" },
    why,
  };
}

function hasToken(req: HttpRequest, header: string, value: string): boolean {
  return tokenListContainsValue(req.headerValues(header), value);
}
