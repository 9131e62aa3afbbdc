// Starts one HTTP listener per region on a shared, read-only state, and stops them all.
import { stubModules } from "../../generated/mock/method-table.js";
import { createTokenVerifier } from "../auth/verify-token.js";
import { createJournal } from "../journal/journal.js";
import { createHttpServer, type HttpServer } from "../http/http-server.js";
import type { ConnectionHandlers } from "../http/connection.js";
import { defaultHttpLimits, type HttpLimits } from "../http/limits.js";
import { createRegion, type Region } from "../shared/region.js";
import { createMethodRoutes } from "../twirp/method-routes.js";
import { createStateStore } from "../state/world-store.js";
import { createWebhookNotifier } from "../webhooks/webhook-notifier.js";
import { advertisedUrl, defaultConfig, resolveConfig, type ServerConfig } from "./config.js";
import { handleRequest, refuseRequest } from "./handle-request.js";
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

/** What each region listens with; the benchmark mounts the same handlers on node:http through this (bench/README.md). */
export type CreateHttpServer = (limits: HttpLimits, handlers: ConnectionHandlers) => HttpServer;

export async function startServer(
  overrides: Partial<ServerConfig> = {},
  logger?: Logger,
  createListener: CreateHttpServer = createHttpServer,
): Promise<RunningServer> {
  const config = resolveConfig({ ...defaultConfig, ...overrides });
  const regions: Region[] = [];
  const readiness: Readiness = { ready: false };
  const log = logger ?? createLogger(config.logLevel, config.logFormat);
  const webhooks = createWebhookNotifier({ apiSecret: config.apiSecret, allowHosts: config.webhookAllowHosts, log });
  const shared = {
    config,
    routes: createMethodRoutes(stubModules),
    verifier: createTokenVerifier(config.apiSecret),
    log,
    journal: createJournal(),
    webhooks,
    state: createStateStore({
      serverWide: config.stateful === "" ? undefined : config.stateful,
      notifier: webhooks,
      defaultWebhooks:
        config.webhookUrl === "" ? undefined : webhooks.destination({ url: config.webhookUrl, apiKey: config.webhookApiKey }),
      log,
    }),
    regions,
    readiness,
  };
  const servers: HttpServer[] = [];
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
    const server = createListener(defaultHttpLimits, {
      request: (req, res) => void handleRequest(req, res, context),
      refused: (problem, res) => refuseRequest(problem, res, context),
    });
    servers.push(server);
    let bound: number;
    try {
      bound = await server.listen(port, config.bind);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const reason = code === "EADDRINUSE" ? "address already in use" : code === "EACCES" ? "permission denied" : (err as Error).message;
      throw new ListenError(`cannot listen on ${config.bind}:${port}: ${reason}`);
    }
    context.region = createRegion(index, bound, advertisedUrl(config, index, bound));
    return context.region;
  }

  async function closeAll(): Promise<void> {
    shared.state.close();
    shared.webhooks.close();
    await Promise.all(servers.map((s) => s.close()));
  }

  return {
    regions,
    url: (index = 0) => regions[index]!.url,
    close: closeAll,
  };
}
