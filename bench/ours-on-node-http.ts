// Bench only: our server with every region listening through node:http (bench/node-http-server.ts)
// instead of src/http/, for the `http-layer` rows. Takes the same flags as the CLI. The benchmark
// bundles this file as the CLI is bundled (bench/node-http-bundle.ts); it is not a way to run the
// server that anything else supports.
import { isMainThread } from "node:worker_threads";
import { parseArgs } from "../src/server/config.js";
import { startServer } from "../src/server/start-server.js";
import { createNodeHttpServer } from "./node-http-server.js";

// The bundle is also what the body-decoding worker thread loads (src/twirp/decode-off-thread.ts).
if (isMainThread) {
  const parsed = parseArgs(process.argv.slice(2), process.env);
  if (parsed.help) throw new Error("bench/ours-on-node-http.ts takes the CLI's flags; see the CLI's --help");
  const server = await startServer(parsed.config, undefined, createNodeHttpServer);
  // As the CLI stops: a clean exit is what lets `node --cpu-prof` write its profile.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => void server.close().then(() => process.exit(0)));
}
