# livekit-test-server image. Every step here is an npm command that test/ship/pack-install.test.ts
# runs too (npm ci → npm run build → npm pack → install the tarball with production dependencies
# only → start the bin → health check), so the image is exercised without a Docker engine.
#
#   docker build -t livekit-test-server .
#   docker run --rm -p 9999-10002:9999-10002 livekit-test-server

# ---- build: compile and bundle, then pack exactly what npm would publish -----------------------
FROM node:26-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json README.md ./
COPY src ./src
COPY generated ./generated
RUN npm run build \
 && npm pack --ignore-scripts --pack-destination /tmp \
 && mv /tmp/livekit-test-server-*.tgz /tmp/livekit-test-server.tgz

# ---- runtime: the packed package with production dependencies only ------------------------------
FROM node:26-alpine
COPY --from=build /tmp/livekit-test-server.tgz /tmp/livekit-test-server.tgz
RUN npm install --global --omit=dev --no-audit --no-fund /tmp/livekit-test-server.tgz \
 && rm /tmp/livekit-test-server.tgz \
 && npm cache clean --force
USER node
# The server writes the addresses it bound here; the health check probes exactly those, so it
# follows --ports/--bind (or their env vars) whichever way they were given.
ENV LK_TEST_SERVER_READY_FILE=/tmp/livekit-test-server.ready.json
EXPOSE 9999 10000 10001 10002
HEALTHCHECK --interval=5s --timeout=3s --start-period=3s --retries=3 CMD ["livekit-test-server-healthcheck"]
ENTRYPOINT ["livekit-test-server"]
