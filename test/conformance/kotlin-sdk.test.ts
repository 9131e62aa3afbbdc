// Runs the JVM conformance suite (test/conformance/jvm: the Kotlin server SDK on its own OkHttp
// client, and java.net.http.HttpClient) against our server, in-process on free loopback ports, and
// against the original test server. run.sh resolves from Maven Central into .cache/m2 on first use
// (the SDK, JUnit and Maven's plugins) and runs offline after that. Missing Java or Maven fails the
// test, it never skips.
import { describeSdkSuite, requireTool } from "./parity/run-suite.js";

describeSdkSuite("Kotlin SDK (JVM) conformance suite", {
  script: "test/conformance/jvm/run.sh",
  requires: async () => {
    await requireTool("java", ["-version"], "A JDK (17 or newer)");
    await requireTool("mvn", ["-v"], "Maven");
  },
  original: true,
});
