// Runs the Python SDK conformance suite (test/conformance/python) against our server, in-process
// on free loopback ports, with LK_TEST_SERVER_TARGET=ours. run.sh builds .cache/python-venv on
// first use (creating the virtualenv and installing livekit-api). Missing Python fails the test,
// it never skips.
import { describeSdkSuite, requireTool } from "./parity/run-suite.js";

describeSdkSuite("Python SDK conformance suite", {
  script: "test/conformance/python/run.sh",
  requires: () => requireTool(process.env["PYTHON"] ?? "python3", ["-c", "import venv"], "Python 3 with venv"),
});
