// No Docker engine runs here, so the Dockerfile is held to what the pack-install test exercises:
// the same npm steps, the bins it names exist, and the runtime stage is the one the issue asks for.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

const dockerfile = readFileSync(new URL("../../Dockerfile", import.meta.url), "utf8");
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const stages = dockerfile.split(/^FROM /m).slice(1);
const runtime = stages.at(-1)!;

describe("the Dockerfile", () => {
  test("builds in one stage and runs from a current LTS Node alpine or slim base in another", () => {
    assert.equal(stages.length, 2);
    assert.match(stages[0]!, /^node:\d+-(alpine|slim)\S* AS build/);
    assert.match(runtime, /^node:(\d+)-(alpine|slim)/);
    const major = Number(/^node:(\d+)/.exec(runtime)![1]);
    assert.equal(major % 2, 0, "only even Node majors become LTS");
  });

  test("builds with the npm scripts the pack test runs, and installs production dependencies only", () => {
    assert.match(stages[0]!, /npm ci/);
    assert.match(stages[0]!, /npm run build/);
    assert.match(stages[0]!, /npm pack/);
    assert.match(runtime, /npm install --global --omit=dev/);
    assert.doesNotMatch(runtime, /COPY (src|codegen|generated|test)\b/);
  });

  test("runs as a non-root user and exposes the default region ports", () => {
    assert.match(runtime, /^USER (?!root)\w+/m);
    assert.match(runtime, /^EXPOSE 9999 10000 10001 10002$/m);
  });

  test("its entry point and health check are bins of the package, the health check reading the ready file", () => {
    const entrypoint = /^ENTRYPOINT \["([^"]+)"\]$/m.exec(runtime)?.[1];
    const healthcheck = /^HEALTHCHECK .*CMD \["([^"]+)"\]$/m.exec(runtime)?.[1];
    assert.ok(entrypoint !== undefined && pkg.bin[entrypoint] !== undefined, `ENTRYPOINT ${entrypoint} is not a bin`);
    assert.ok(healthcheck !== undefined && pkg.bin[healthcheck] !== undefined, `HEALTHCHECK ${healthcheck} is not a bin`);
    assert.match(runtime, /^ENV LK_TEST_SERVER_READY_FILE=\S+$/m);
  });
});
