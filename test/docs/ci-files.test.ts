// The CI files the docs show (docs/ci/) and the project's own workflows (.github/workflows/) are
// valid by construction: actionlint passes on every GitHub workflow, the GitLab file and the
// compose file parse into what their runners expect, the Go and Python Testcontainers code builds
// against the libraries it names, and every one of them runs the image the release publishes.
// actionlint comes from the Go module proxy, into .cache/bin/; the Python libraries into a virtual
// environment in .cache/.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, test } from "node:test";
import { parse } from "yaml";
import { repo } from "./doc-blocks.js";

const actionlintVersion = "v1.7.12";
const published = "ghcr.io/your-org/livekit-test-server:0";
const workflows = [
  ...readdirSync(join(repo, ".github/workflows")).map((name) => `.github/workflows/${name}`),
  ...readdirSync(join(repo, "docs/ci"))
    .filter((name) => name.startsWith("github-actions"))
    .map((name) => `docs/ci/${name}`),
];
const read = (path: string): string => readFileSync(join(repo, path), "utf8");

interface Ran {
  readonly code: number;
  readonly output: string;
}

function run(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd ?? repo, env: options.env ?? process.env, maxBuffer: 16 << 20 }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : typeof error.code === "number" ? error.code : 127, output: `${stdout}${stderr}` }),
    );
  });
}

async function actionlint(): Promise<string> {
  const bin = join(repo, ".cache/bin/actionlint");
  const version = existsSync(bin) ? await run(bin, ["-version"]) : undefined;
  if (version === undefined || !version.output.startsWith(actionlintVersion)) {
    const installed = await run("go", ["install", `github.com/rhysd/actionlint/cmd/actionlint@${actionlintVersion}`], {
      env: { ...process.env, GOBIN: join(repo, ".cache/bin") },
    });
    assert.equal(installed.code, 0, `go install actionlint failed:\n${installed.output}`);
  }
  return bin;
}

describe("the CI files", () => {
  test("actionlint finds nothing in any GitHub workflow, the docs' and the project's own", { timeout: 300_000 }, async () => {
    assert.ok(workflows.length >= 4, `found ${workflows.join(", ")}`);
    const linted = await run(await actionlint(), ["-no-color", ...workflows]);
    assert.equal(linted.code, 0, linted.output);
  });

  test("the project's CI workflow runs .ci/run", () => {
    const ci = parse(read(".github/workflows/ci.yml")) as { jobs: Record<string, { steps: { run?: string }[] }> };
    const runs = Object.values(ci.jobs).flatMap((job) => job.steps.map((step) => step.run ?? ""));
    assert.ok(
      runs.some((line) => /\bbash \.ci\/run$/.test(line.trim())),
      runs.join("\n"),
    );
  });

  test("the release workflow, on a version tag, pushes a two-platform image with OCI labels and publishes to npm with provenance", () => {
    const release = parse(read(".github/workflows/release.yml")) as {
      on: { push: { tags: string[] } };
      jobs: Record<
        string,
        { permissions?: Record<string, string>; steps: { uses?: string; run?: string; with?: Record<string, unknown> }[] }
      >;
    };
    assert.deepEqual(release.on.push.tags, ["v*.*.*"]);
    const steps = Object.values(release.jobs).flatMap((job) => job.steps);
    const build = steps.find((s) => s.uses?.startsWith("docker/build-push-action@"));
    assert.equal(build?.with?.["platforms"], "linux/amd64,linux/arm64");
    assert.equal(build?.with?.["push"], true);
    const labels = String(steps.find((s) => s.uses?.startsWith("docker/metadata-action@"))?.with?.["labels"]);
    for (const label of ["source", "version", "revision"])
      assert.match(labels, new RegExp(`^org\\.opencontainers\\.image\\.${label}=`, "m"));
    assert.match(read(".github/workflows/release.yml"), /ghcr\.io\/\$\{GITHUB_REPOSITORY_OWNER,,\}\/livekit-test-server/);
    assert.ok(
      steps.some((s) => s.run === "npm publish --provenance --access public"),
      "npm publish --provenance",
    );
    const npmJob = Object.values(release.jobs).find((job) => job.steps.some((s) => s.run?.startsWith("npm publish")));
    assert.equal(npmJob?.permissions?.["id-token"], "write", "provenance needs an OIDC token");
  });

  test("the GitLab file is a job with an image and a script, and the server as an aliased service that advertises under its alias", () => {
    const gitlab = parse(read("docs/ci/gitlab-ci.yml")) as Record<string, unknown>;
    const jobs = Object.entries(gitlab).filter(
      ([name]) => !name.startsWith(".") && !["stages", "variables", "default", "include", "workflow"].includes(name),
    );
    assert.equal(jobs.length, 1);
    const job = jobs[0]![1] as {
      image: unknown;
      script: unknown;
      services: { name: string; alias: string; variables: Record<string, string> }[];
      variables: Record<string, string>;
    };
    assert.equal(typeof job.image, "string");
    assert.ok(Array.isArray(job.script) && job.script.every((line) => typeof line === "string"), "script is a list of commands");
    const [service] = job.services;
    assert.equal(service?.name, published);
    assert.match(service!.alias, /^[a-z][a-z0-9-]*$/);
    assert.equal(
      service!.variables["LK_TEST_SERVER_ADVERTISE_URLS"],
      [9999, 10000, 10001, 10002].map((port) => `http://${service!.alias}:${port}`).join(","),
    );
    assert.equal(job.variables["LIVEKIT_URL"], `http://${service!.alias}:9999`);
  });

  test("the compose file parses into one service of the published image with a one-second health check", () => {
    // test/ship/image.test.ts brings it up with podman-compose, which has no `config` to check it with.
    const compose = parse(read("docs/ci/compose.yaml")) as {
      services: Record<string, { image: string; healthcheck: { interval: string } }>;
    };
    const services = Object.values(compose.services);
    assert.equal(services.length, 1);
    assert.equal(services[0]!.image, published);
    assert.equal(services[0]!.healthcheck.interval, "1s");
  });

  test("the workflows and the compose file map 9999–10002 to four host ports and advertise exactly those", () => {
    for (const path of ["docs/ci/github-actions.yml", "docs/ci/compose.yaml"]) {
      const file = read(path);
      const mapping = /"(\d+)-(\d+):9999-10002"/.exec(file);
      assert.ok(mapping !== null, `${path}: a port range mapped to 9999-10002`);
      const first = Number(mapping[1]);
      assert.equal(Number(mapping[2]), first + 3);
      const advertised = /LK_TEST_SERVER_ADVERTISE_URLS: "([^"]+)"/.exec(file)?.[1];
      assert.equal(advertised, [0, 1, 2, 3].map((i) => first + i).join(","), `${path}: advertises the mapped ports`);
    }
  });

  test("every recipe runs the image the release publishes", () => {
    for (const path of [
      "docs/ci/github-actions.yml",
      "docs/ci/gitlab-ci.yml",
      "docs/ci/compose.yaml",
      "docs/ci/testcontainers.ts",
      "docs/ci/go/livekit_test.go",
      "docs/ci/python/test_livekit.py",
      "README.md",
    ]) {
      const images = [...read(path).matchAll(/ghcr\.io\/[\w.-]+\/[\w.-]+(:[\w.-]+)?/g)].map((m) => m[0]);
      assert.ok(images.length > 0, `${path} names no image`);
      assert.deepEqual([...new Set(images)], [published], path);
    }
  });

  test("the Go Testcontainers code builds and vets against testcontainers-go", { timeout: 600_000 }, async (t) => {
    const go = await run("go", ["version"]);
    if (go.code !== 0) return t.skip("Go is not installed");
    const vetted = await run("go", ["vet", "./..."], { cwd: join(repo, "docs/ci/go"), env: { ...process.env, GOFLAGS: "-mod=readonly" } });
    assert.equal(vetted.code, 0, vetted.output);
  });

  test("the Python Testcontainers code imports and is collected by pytest with testcontainers", { timeout: 600_000 }, async () => {
    const venv = join(repo, ".cache/ci-recipe-venv");
    const python = join(venv, "bin/python");
    const requirements = join(repo, "docs/ci/python/requirements.txt");
    if (!existsSync(python)) {
      const made = await run("python3", ["-m", "venv", venv]);
      assert.equal(made.code, 0, made.output);
    }
    const installed = await run(python, ["-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", requirements]);
    assert.equal(installed.code, 0, installed.output);
    const collected = await run(python, ["-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "test_livekit.py"], {
      cwd: join(repo, "docs/ci/python"),
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    });
    assert.equal(collected.code, 0, collected.output);
    assert.match(collected.output, /test_livekit\.py::test_rooms/);
  });
});
