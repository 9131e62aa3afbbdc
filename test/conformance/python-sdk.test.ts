// Runs the Python SDK conformance suite (test/conformance/python) against our server, in-process
// on free loopback ports, with LK_TEST_SERVER_TARGET=ours. run.sh builds .cache/python-venv on
// first use. Missing Python fails the test, it never skips.
import assert from "node:assert/strict";
import { access } from "node:fs/promises";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../src/server/start-server.js";
import { repoRoot, requireTool, runCommand, startOurs, tail } from "./parity/run-suite.js";

describe("Python SDK conformance suite", () => {
  let server: RunningServer | undefined;
  before(async () => {
    server = await startOurs();
  });
  after(async () => {
    await server?.close();
  });

  // The first run creates the virtualenv and installs livekit-api.
  it("passes against our server (LK_TEST_SERVER_TARGET=ours)", { timeout: 20 * 60_000 }, async () => {
    await requireTool(process.env["PYTHON"] ?? "python3", ["-c", "import venv"], "Python 3 with venv");
    const script = join(repoRoot, "test/conformance/python/run.sh");
    await access(script).catch(() => assert.fail(`${script} does not exist`));
    const run = await runCommand("bash", [script], {
      LK_TEST_SERVER_URL: server!.url(0),
      LK_TEST_SERVER_API_KEY: "devkey",
      LK_TEST_SERVER_API_SECRET: "secret",
      LK_TEST_SERVER_TARGET: "ours",
    });
    assert.equal(run.code, 0, `test/conformance/python/run.sh exited with ${run.code ?? run.signal}:\n${tail(run.output)}`);
  });
});
