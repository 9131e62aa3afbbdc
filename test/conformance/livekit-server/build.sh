#!/usr/bin/env bash
# Build the REAL LiveKit server (livekit-server's cmd/server) from the Go module proxy: the
# reference that the stateful parity matrix holds our stateful mode to. The version is pinned in
# ./go.mod (github.com/livekit/livekit-server).
#
# Usage: test/conformance/livekit-server/build.sh [OUTPUT_BINARY]
#   OUTPUT_BINARY defaults to <repo>/.cache/livekit-server/livekit-server.
# The build is skipped when the binary exists and is newer than go.mod and go.sum.
# Prints the binary path on stdout (last line).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out="${1:-$repo/.cache/livekit-server/livekit-server}"

mkdir -p "$(dirname "$out")"
# One build at a time: test files that run at once may all find the binary missing, and a cold
# build takes minutes of both cores; the ones that waited then find it built.
exec 9>"$out.lock"
flock 9

if [[ -x "$out" && "$out" -nt "$here/go.mod" && "$out" -nt "$here/go.sum" ]]; then
  echo "livekit-server: up to date: $out" >&2
  echo "$out"
  exit 0
fi

version="$(cd "$here" && go list -m -f '{{.Version}}' github.com/livekit/livekit-server)"
echo "livekit-server: building github.com/livekit/livekit-server/cmd/server@$version -> $out" >&2
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# -mod=readonly: go.mod/go.sum are committed and must already be complete.
(cd "$here" && GOFLAGS=-mod=readonly go build -trimpath -o "$tmp" github.com/livekit/livekit-server/cmd/server)
mv -f "$tmp" "$out"
trap - EXIT
echo "$out"
