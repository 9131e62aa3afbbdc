// What the Dockerfile promises without building it (image.test.ts builds and runs it where podman
// is installed): the official Node base unless NODE_IMAGE replaces it, a runtime stage that needs
// no registry, bins that exist, and a build context of only what the build copies.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

const dockerfile = readFileSync(new URL("../../Dockerfile", import.meta.url), "utf8");
const dockerignore = readFileSync(new URL("../../.dockerignore", import.meta.url), "utf8");
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  bin: Record<string, string>;
};
const [preamble, ...stages] = dockerfile.split(/^FROM /m);
const build = stages[0]!;
const runtime = stages.at(-1)!;
const instructions = (stage: string): string[] => stage.split("\n").filter((l) => /^[A-Z]+ /.test(l));

describe("the Dockerfile", () => {
  test("defaults both stages to a current LTS Node alpine image, replaceable through NODE_IMAGE", () => {
    const base = /^ARG NODE_IMAGE=(\S+)$/m.exec(preamble!)?.[1];
    assert.ok(base !== undefined, "ARG NODE_IMAGE=… before the first FROM");
    assert.match(base, /^node:\d+-(alpine|slim)$/);
    assert.equal(Number(/^node:(\d+)/.exec(base)![1]) % 2, 0, "only even Node majors become LTS");
    assert.equal(stages.length, 2);
    // The build stage runs on the builder's platform; only the runtime stage is per platform.
    assert.match(build, /^--platform=\$BUILDPLATFORM \$\{NODE_IMAGE\} AS build\n/);
    assert.match(runtime, /^\$\{NODE_IMAGE\}\n/);
  });

  test("builds with npm ci and the build script", () => {
    assert.match(build, /^RUN npm ci\b/m);
    assert.match(build, /^RUN npm run build\b/m);
  });

  test("its runtime stage runs nothing, so it needs neither npm nor a registry, and copies no sources", () => {
    assert.deepEqual(
      instructions(runtime).filter((l) => l.startsWith("RUN ") || l.startsWith("ADD ")),
      [],
    );
    for (const copy of instructions(runtime).filter((l) => l.startsWith("COPY "))) assert.match(copy, /^COPY --from=build /);
  });

  test("runs as a non-root user and exposes the default region ports", () => {
    assert.match(runtime, /^USER (?!root)\w+/m);
    assert.match(runtime, /^EXPOSE 9999 10000 10001 10002$/m);
  });

  test("its entry point and health check are the package's bins, linked where npm would link them", () => {
    const entrypoint = /^ENTRYPOINT \["([^"]+)"\]$/m.exec(runtime)?.[1];
    const healthcheck = /^HEALTHCHECK .*CMD \["([^"]+)"\]$/m.exec(runtime)?.[1];
    for (const bin of [entrypoint, healthcheck]) {
      assert.ok(bin !== undefined && pkg.bin[bin] !== undefined, `${bin} is not a bin of the package`);
      assert.ok(
        build.includes(`ln -s ../lib/node_modules/livekit-test-server/${pkg.bin[bin]} /out/bin/${bin}`),
        `${bin} is not linked to ${pkg.bin[bin]}`,
      );
    }
    assert.match(runtime, /^COPY --from=build \/out\/ \/usr\/local\/$/m);
    assert.match(runtime, /^ENV LK_TEST_SERVER_READY_FILE=\S+$/m);
  });

  test("its build context is exactly what the build stage copies", () => {
    const lines = dockerignore.split("\n").filter((l) => l !== "" && !l.startsWith("#"));
    assert.equal(lines[0], "*", "everything is left out unless listed");
    const kept = lines.slice(1).map((l) => l.replace(/^!/, "").replace(/\/$/, ""));
    const copied = instructions(build)
      .filter((l) => l.startsWith("COPY ") && !l.startsWith("COPY --from"))
      .flatMap((l) => l.split(/\s+/).slice(1, -1));
    assert.deepEqual([...kept].sort(), [...copied].sort());
  });
});
