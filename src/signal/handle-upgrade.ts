// Placeholder until the signal mock lands: WebSocket upgrades are refused with 404.
import type { IncomingMessage } from "node:http";
import type { Socket } from "node:net";

export function handleSignalUpgrade(_req: IncomingMessage, socket: Socket, _head: Buffer, _ctx: unknown): void {
  socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
}
