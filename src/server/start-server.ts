// Starts one HTTP listener per region on a shared, read-only state, and stops them all.
import { createServer, type Server } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { methodStubs } from "../../generated/mock/index.js";
import { createTokenVerifier } from "../auth/verify-token.js";
import { defaultConfig, resolveConfig, type ServerConfig } from "./config.js";
import { handleRequest } from "./handle-request.js";
import { createRegion, type Region } from "../shared/region.js";
import { createMethodRoutes } from "../twirp/method-routes.js";
import { handleUpgrade } from "./handle-upgrade.js";
import type { ListenerContext, Readiness } from "./listener-context.js";
import { createLogger, type Logger } from "./request-log.js";

export interface RunningServer {
  readonly regions: readonly Region[];
  /** Base URL of region `index` as clients reach it, e.g. `http://127.0.0.1:9999`. */
  url(index?: number): string;
  close(): Promise<void>;
}

export class ListenError extends Error {
  override name = "ListenError";
}

export async function startServer(overrides: Partial<ServerConfig> = {}, logger?: Logger): Promise<RunningServer> {
  const config = resolveConfig({ ...defaultConfig, ...overrides });
  const regions: Region[] = [];
  const readiness: Readiness = { ready: false };
  const shared = {
    config,
    routes: createMethodRoutes(methodStubs),
    verifier: createTokenVerifier(config.apiSecret),
    log: logger ?? createLogger(config.logLevel, config.logFormat),
    regions,
    readiness,
  };
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  try {
    regions.push(...(await Promise.all(config.ports.map((port, index) => listen(port, index)))));
  } catch (err) {
    await closeAll();
    throw err;
  }
  readiness.ready = true;

  async function listen(port: number, index: number): Promise<Region> {
    // The region is known only after binding when the port is 0; requests cannot arrive earlier.
    const context = { ...shared } as Partial<ListenerContext> as { -readonly [K in keyof ListenerContext]: ListenerContext[K] };
    const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
      void handleRequest(req, res, context);
    });
    server.on("upgrade", (req, socket: Socket, head: Buffer) => handleUpgrade(req, socket, head, context));
    server.on("connection", (socket: Socket) => {
      sockets.add(socket);
      socket.once("close", () => sockets.delete(socket));
    });
    // Garbage on the wire: answer 400 when we still can, never let it reach the process.
    server.on("clientError", (_err, socket: Socket) => {
      if (socket.writable) socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n");
      else socket.destroy();
    });
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) => {
        const reason = err.code === "EADDRINUSE" ? "address already in use" : err.code === "EACCES" ? "permission denied" : err.message;
        reject(new ListenError(`cannot listen on ${config.bind}:${port}: ${reason}`));
      });
      server.listen(port, config.bind, () => resolve());
    });
    context.region = createRegion(index, (server.address() as AddressInfo).port, config.advertiseHost);
    return context.region;
  }

  async function closeAll(): Promise<void> {
    for (const socket of sockets) socket.destroy();
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
  }

  return {
    regions,
    url: (index = 0) => regions[index]!.url,
    close: closeAll,
  };
}
