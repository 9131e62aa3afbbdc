// Runs the Go SDK conformance suite (test/conformance/go) against our server, in-process on free
// loopback ports, with LK_TEST_SERVER_TARGET=ours. Missing Go fails the test, it never skips.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { RunningServer } from "../../src/server/start-server.js";
import { requireTool, runCommand, startOurs, tail } from "./parity/run-suite.js";

describe("Go SDK conformance suite", () => {
  let server: RunningServer | undefined;
  before(async () => {
    server = await startOurs();
  });
  after(async () => {
    await server?.close();
  });

  // The first run downloads the Go modules pinned by go.sum.
  it("passes against our server (LK_TEST_SERVER_TARGET=ours)", { timeout: 20 * 60_000 }, async () => {
    await requireTool("go", ["version"], "Go");
    const run = await runCommand("bash", ["test/conformance/go/run.sh"], {
      LK_TEST_SERVER_URL: server!.url(0),
      LK_TEST_SERVER_API_KEY: "devkey",
      LK_TEST_SERVER_API_SECRET: "secret",
      LK_TEST_SERVER_TARGET: "ours",
    });
    assert.equal(run.code, 0, `test/conformance/go/run.sh exited with ${run.code ?? run.signal}:\n${tail(run.output)}`);
  });
});
