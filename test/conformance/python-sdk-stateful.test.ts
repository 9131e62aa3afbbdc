// The Python SDK's stateful tests (test/conformance/python/stateful/) run unchanged against ours
// started as `livekit-test-server --stateful --ports <port>` and against the real LiveKit server:
// devkey / secret, no control header. Missing Python fails, never skips.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { requireTool, runCommand, tail } from "./parity/run-suite.js";
import { startStatefulCli, type RunningCli } from "./stateful/start-ours-cli.js";
import { startLivekitServer, type RunningLivekitServer } from "./stateful/start-livekit-server.js";

describe("Python SDK stateful tests", { timeout: 30 * 60_000 }, () => {
  let ours: RunningCli | undefined;
  let real: RunningLivekitServer | undefined;
  before(async () => {
    [ours, real] = await Promise.all([startStatefulCli(), startLivekitServer()]);
  });
  after(async () => {
    await Promise.all([ours?.close(), real?.close()]);
  });

  for (const target of ["ours", "real"] as const) {
    it(
      `pass against ${target === "ours" ? "livekit-test-server --stateful" : "the real LiveKit server"}`,
      { timeout: 20 * 60_000 },
      async () => {
        await requireTool(process.env["PYTHON"] ?? "python3", ["-c", "import venv"], "Python 3 with venv");
        const run = await runCommand("bash", ["test/conformance/python/run.sh", "stateful", "-v"], {
          LK_TEST_SERVER_URL: target === "ours" ? ours!.url : real!.url,
          LK_TEST_SERVER_API_KEY: "devkey",
          LK_TEST_SERVER_API_SECRET: "secret",
          LK_TEST_SERVER_TARGET: target,
          // What the docs' first test reads, as LiveKit's own tools name it.
          LIVEKIT_URL: target === "ours" ? ours!.url : real!.url,
        });
        assert.equal(run.code, 0, `test/conformance/python/run.sh exited with ${run.code ?? run.signal}:\n${tail(run.output)}`);
        // The life of an egress needs an egress worker, which ours simulates and the real server lacks.
        assert.match(run.output, target === "ours" ? /12 passed/ : /11 passed, 1 skipped/);
      },
    );
  }
});
