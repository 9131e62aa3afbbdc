// Runs the Go SDK conformance suite (test/conformance/go) against our server, in-process on free
// loopback ports, with LK_TEST_SERVER_TARGET=ours. Missing Go fails the test, it never skips. The
// first run downloads the Go modules pinned by go.sum.
import { describeSdkSuite, requireTool } from "./parity/run-suite.js";

describeSdkSuite("Go SDK conformance suite", {
  script: "test/conformance/go/run.sh",
  requires: () => requireTool("go", ["version"], "Go"),
});
