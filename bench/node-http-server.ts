// The listener our server runs on when the benchmark mounts its handlers on node:http instead of
// src/http/ (`ours on node:http` in the report): the same HttpServer contract, the same limits
// where node:http has a setting for them, and every request handed to the same handlers.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { ConnectionHandlers } from "../src/http/connection.js";
import { headProblem, isHeadProblem } from "../src/http/head-problem.js";
import { listenOn, type HttpServer } from "../src/http/http-server.js";
import type { HttpLimits } from "../src/http/limits.js";
import { parseRequestTarget } from "../src/http/request-target.js";
import { NodeHttpRequest, NodeHttpResponse, SocketResponse } from "./node-http-exchange.js";

const empty = Buffer.alloc(0);

export function createNodeHttpServer(limits: HttpLimits, handlers: ConnectionHandlers): HttpServer {
  const sockets = new Set<Socket>();
  const server = createServer({
    maxHeaderSize: limits.headerBytes,
    headersTimeout: limits.headersMs,
    requestTimeout: limits.bodyMs,
    keepAliveTimeout: limits.idleMs,
    noDelay: true,
  });
  server.on("connection", (socket: Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });

  const answer = (message: IncomingMessage, response: ServerResponse, expectContinue: boolean): void => {
    const res = new NodeHttpResponse(response);
    const target = parseRequestTarget(message.url ?? "", message.method ?? "GET");
    if (isHeadProblem(target)) {
      res.closeAfterAnswer();
      handlers.refused(target, res);
      return;
    }
    const beforeBody = expectContinue ? () => res.sendExpectedContinue() : () => {};
    handlers.request(new NodeHttpRequest(message, target.path, false, limits.bodyBytes, beforeBody), res);
  };
  server.on("request", (message: IncomingMessage, response: ServerResponse) => answer(message, response, false));
  // Without this listener node:http answers `100 Continue` itself, before the handler asked for the body.
  server.on("checkContinue", (message: IncomingMessage, response: ServerResponse) => answer(message, response, true));
  server.on("upgrade", (message: IncomingMessage, socket: Socket, head: Buffer) => {
    const res = new SocketResponse(socket, head);
    const target = parseRequestTarget(message.url ?? "", message.method ?? "GET");
    if (isHeadProblem(target)) handlers.refused(target, res);
    else handlers.request(new NodeHttpRequest(message, target.path, true, limits.bodyBytes, () => {}), res);
  });
  server.on("clientError", (error: NodeJS.ErrnoException, socket: Socket) => {
    // Parse errors are refused as ours refuses them; timeouts and resets just end the connection.
    if (!error.code?.startsWith("HPE_") || !socket.writable) {
      socket.destroy();
      return;
    }
    const status = error.code === "HPE_HEADER_OVERFLOW" ? 431 : 400;
    handlers.refused(headProblem(status, `${error.code.slice(4).toLowerCase().replaceAll("_", " ")}`), new SocketResponse(socket, empty));
  });

  return {
    listen: (port, host) => listenOn(server, port, host, limits.backlog),
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
    },
  };
}
