# livekit-test-server image.
#
#   docker build -t livekit-test-server .
#   docker run --rm -p 9999-10002:9999-10002 livekit-test-server
#
# NODE_IMAGE replaces the base of both stages; test/ship/image.test.ts builds this file with a base
# made without any image registry (test/ship/image/make-base.sh), runs it and checks it.
ARG NODE_IMAGE=node:26-alpine

# ---- build: compile and bundle --------------------------------------------------------------------
# On the builder's own platform: the bundles are JavaScript, the same for every platform, so an
# arm64 image needs no emulated npm ci (release.yml builds linux/amd64 and linux/arm64).
FROM --platform=$BUILDPLATFORM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY generated ./generated
# The bins are bundles that carry every dependency, so the runtime stage needs neither npm nor the
# registry: they are laid out here as `npm install --global` would place them, bins symlinked, and
# copied over in one layer.
RUN npm run build \
 && pkg=/out/lib/node_modules/livekit-test-server \
 && mkdir -p "$pkg/dist" /out/bin \
 && cp -R dist/bin "$pkg/dist/bin" \
 && cp package.json "$pkg/" \
 && ln -s ../lib/node_modules/livekit-test-server/dist/bin/cli.mjs /out/bin/livekit-test-server \
 && ln -s ../lib/node_modules/livekit-test-server/dist/bin/healthcheck.mjs /out/bin/livekit-test-server-healthcheck

# ---- runtime: the base plus the bundled server ----------------------------------------------------
FROM ${NODE_IMAGE}
COPY --from=build /out/ /usr/local/
USER node
# The server writes the addresses it bound here; the health check probes exactly those, so it
# follows --ports/--bind (or their env vars) whichever way they were given.
ENV LK_TEST_SERVER_READY_FILE=/tmp/livekit-test-server.ready.json
EXPOSE 9999 10000 10001 10002
HEALTHCHECK --interval=5s --timeout=3s --start-period=3s --retries=3 CMD ["livekit-test-server-healthcheck"]
ENTRYPOINT ["livekit-test-server"]
