package io.livekit.testserver.conformance;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The server under test, read from LK_TEST_SERVER_URL, _API_KEY, _API_SECRET and _TARGET. A missing
 * URL fails every test that reaches the server: a suite that silently tests nothing must never
 * look green.
 */
final class Target {
  static final String OURS = "ours";
  static final String ORIGINAL = "original";

  private Target() {}

  /** Region 0's base URL, without a trailing slash. */
  static String url() {
    String url = System.getenv("LK_TEST_SERVER_URL");
    if (url == null || url.isEmpty()) {
      fail(
          "LK_TEST_SERVER_URL is not set: point it at region 0 of a running test server, e.g."
              + " LK_TEST_SERVER_URL=http://127.0.0.1:9999");
    }
    return url.replaceAll("/+$", "");
  }

  static String key() {
    return env("LK_TEST_SERVER_API_KEY", "devkey");
  }

  static String secret() {
    return env("LK_TEST_SERVER_API_SECRET", "secret");
  }

  /** "ours" or "original" (the Go test server); only intended differences depend on it. */
  static String name() {
    String name = env("LK_TEST_SERVER_TARGET", OURS);
    if (!name.equals(OURS) && !name.equals(ORIGINAL)) {
      fail("LK_TEST_SERVER_TARGET must be " + OURS + " or " + ORIGINAL + ", got " + name);
    }
    return name;
  }

  static boolean original() {
    return name().equals(ORIGINAL);
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isEmpty() ? fallback : value;
  }
}
