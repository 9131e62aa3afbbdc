// The HTTP/1.1 server every region listens with: Node's `net` sockets and our own request reading
// (connection.ts), because node:http's per-request machinery cost more than everything the mock
// does per request (see bench/README.md). One sweep a second enforces every connection deadline.
import { createServer, type Server, type Socket } from "node:net";
import { Connection, type ConnectionHandlers } from "./connection.js";
import type { HttpLimits } from "./limits.js";

export interface HttpServer {
  /** Resolves with the bound port. */
  listen(port: number, host: string): Promise<number>;
  /** Stops listening and destroys every connection, handed-over ones included. */
  close(): Promise<void>;
}

export function createHttpServer(limits: HttpLimits, handlers: ConnectionHandlers): HttpServer {
  const connections = new Set<Connection>();
  // Sockets handed over (WebSockets) are no longer connections but still end with the server.
  const sockets = new Set<Socket>();
  // allowHalfOpen: a client's FIN must not end our side before its answers are written.
  const server: Server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    connections.add(new Connection(socket, limits, handlers, (c) => connections.delete(c)));
  });
  const sweep = setInterval(() => {
    const now = performance.now();
    for (const connection of connections) if (connection.deadline <= now) connection.expire();
  }, 1000);
  sweep.unref();

  return {
    listen: (port, host) => listenOn(server, port, host, limits.backlog),
    close() {
      clearInterval(sweep);
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}

/** Binds `server` and resolves with the port it got (the one asked for, or the system's pick for 0). */
export function listenOn(server: Server, port: number, host: string, backlog: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host, backlog }, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address !== null ? address.port : port);
    });
  });
}
