#!/usr/bin/env bash
# Runs the JVM conformance suite (the Kotlin server SDK io.livekit:livekit-server on its own OkHttp
# client, and java.net.http.HttpClient) against a running test server.
#
#   LK_TEST_SERVER_URL=http://127.0.0.1:9999 [LK_TEST_SERVER_TARGET=ours|original] \
#     test/conformance/jvm/run.sh [extra mvn args, e.g. -Dtest=SipStatusTest]
#
# Maven's local repository is <repo>/.cache/m2 and the build directory <repo>/.cache/jvm-conformance.
# The first run resolves from Maven Central; once a run has resolved everything pom.xml names,
# later runs with the same pom.xml and JDK are offline (mvn -o), and fall back to online only when
# the cache lacks something. Exits with Maven's status.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
if [[ -z "${LK_TEST_SERVER_URL:-}" ]]; then
  echo "run.sh: LK_TEST_SERVER_URL is not set: point it at region 0 of a running test server," \
    "e.g. LK_TEST_SERVER_URL=http://127.0.0.1:9999" >&2
  exit 2
fi

m2="$repo/.cache/m2"
stamp="$m2/.jvm-conformance-resolved"
want="$(
  {
    java -version 2>&1
    cat "$here/pom.xml"
  } | sha256sum | cut -d' ' -f1
)"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

run() {
  (cd "$here" && mvn -B --no-transfer-progress -Dstyle.color=never -Dmaven.repo.local="$m2" "$@" test) 2>&1 | tee "$log"
  return "${PIPESTATUS[0]}"
}

status=0
if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  run -o "$@" || status=$?
  # A cache that lost an artifact: resolve again rather than fail.
  if ((status != 0)) && grep -q "offline mode" "$log"; then
    echo "run.sh: the Maven cache lacks an artifact; resolving online" >&2
    status=0
    run "$@" || status=$?
  fi
else
  run "$@" || status=$?
fi
# Surefire ran (so every plugin and provider resolved): later runs may be offline.
if grep -q "Tests run: " "$log"; then
  mkdir -p "$m2"
  echo "$want" >"$stamp"
fi
exit "$status"
