#!/usr/bin/env bash
# Run the Go SDK conformance suite against a running test server.
#
#   LK_TEST_SERVER_URL=http://127.0.0.1:19999 [LK_TEST_SERVER_TARGET=ours|original] \
#     test/conformance/go/run.sh [extra go test args, e.g. -v -run TestSIP]
#
# The environment passes through unchanged (LK_TEST_SERVER_URL, _API_KEY,
# _API_SECRET, _TARGET). Exits with go test's status. Dependencies are pinned by
# the committed go.mod/go.sum (go test runs with -mod=readonly by default).
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 2
go test -count=1 "$@" ./...
exit $?
