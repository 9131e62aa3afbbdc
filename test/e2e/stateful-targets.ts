// The two servers the Node SDK's stateful tests run against with the same expectations: ours with
// one server-wide world (--stateful), and the real LiveKit server.
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { startLivekitServer, type RunningLivekitServer } from "../conformance/stateful/start-livekit-server.js";

export interface StatefulTarget {
  readonly name: string;
  /** The real server, which has no egress worker: what needs one is ours alone. */
  readonly real: boolean;
  start(): Promise<{ url: string; close(): Promise<unknown> }>;
}

/** Ours under `--stateful=<world>`, then the real server. */
export function statefulTargets(world: string): readonly StatefulTarget[] {
  return [
    {
      name: "ours (--stateful)",
      real: false,
      start: async () => {
        const server: RunningServer = await startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent", stateful: world });
        return { url: server.url(0), close: () => server.close() };
      },
    },
    {
      name: "the real LiveKit server",
      real: true,
      start: async () => {
        const server: RunningLivekitServer = await startLivekitServer();
        return { url: server.url, close: () => server.close() };
      },
    },
  ];
}
