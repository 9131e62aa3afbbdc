#!/usr/bin/env bash
# Build (if needed) and start the ORIGINAL test server on loopback, run the Go
# SDK conformance suite against it with LK_TEST_SERVER_TARGET=original, then stop
# the server. Exits with the suite's status.
#
#   test/conformance/oracle/run-go-suite.sh [extra go test args]
#
# Ports: LK_ORACLE_PORTS (default 19999,20000,20001,20002), bound to 127.0.0.1.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="$("$here/build.sh")" || exit 2
ports="${LK_ORACLE_PORTS:-19999,20000,20001,20002}"
first="${ports%%,*}"

"$bin" --ports "$ports" --bind 127.0.0.1 --advertise-host http://127.0.0.1 --api-secret secret &
pid=$!
trap 'kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null' EXIT

for _ in $(seq 1 50); do
  curl -fsS -o /dev/null "http://127.0.0.1:$first/_test/health" 2>/dev/null && break
  sleep 0.1
done

LK_TEST_SERVER_URL="http://127.0.0.1:$first" LK_TEST_SERVER_API_KEY=devkey LK_TEST_SERVER_API_SECRET=secret \
  LK_TEST_SERVER_TARGET=original "$here/../go/run.sh" "$@"
