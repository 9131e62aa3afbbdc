// Starts the real server in-process on free loopback ports for a test file, and stops it after.
import { after, before } from "node:test";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import type { ServerConfig } from "../../src/server/config.js";

export interface TestServer {
  /** Valid after the suite's `before` hook has run. */
  readonly server: RunningServer;
  url(region?: number): string;
}

/** Registers before/after hooks that run one server (4 regions by default) for the file. */
export function useServer(overrides: Partial<ServerConfig> = {}): TestServer {
  let running: RunningServer | undefined;
  before(async () => {
    running = await startServer({ ports: [0, 0, 0, 0], bind: "127.0.0.1", logLevel: "silent", ...overrides });
  });
  after(async () => {
    await running?.close();
  });
  return {
    get server() {
      if (running === undefined) throw new Error("server not started yet");
      return running;
    },
    url(region = 0) {
      if (running === undefined) throw new Error("server not started yet");
      return running.url(region);
    },
  };
}
