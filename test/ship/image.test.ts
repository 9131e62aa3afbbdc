// The real Dockerfile, built with podman and run: the image users get, with only its base replaced
// (no image registry is reachable here, so the Node base is made locally by make-base.sh from the
// same official Node build). Skipped, saying why, where podman is not installed.
import assert from "node:assert/strict";
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { freePortRange, freePorts } from "../support/free-ports.js";
import { signToken } from "../support/tokens.js";
import { get, twirp } from "../support/twirp.js";
import {
  mustPodman,
  podman,
  podmanEnv,
  podmanMissing,
  removeContainer,
  run,
  startContainer,
  waitHealthy,
  withoutSystemdNoise,
  type Ran,
} from "./image/podman.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
// A tag of this run's own: two runs at once (two worktrees, or CI beside a developer) neither
// overwrite nor remove each other's image.
const image = `localhost/livekit-test-server:ship-test-${process.pid}-${Date.now().toString(36)}`;
const regionPorts = [9999, 10000, 10001, 10002];
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(2)} MB`;

describe("the image, built from the Dockerfile and run with podman", { skip: podmanMissing() ?? false }, () => {
  let base = "";
  let madeMs = 0;
  let builtMs = 0;
  const containers: string[] = [];
  const start = async (...args: Parameters<typeof startContainer>): Promise<{ id: string; startedAt: number }> => {
    const started = await startContainer(...args);
    containers.push(started.id);
    return started;
  };

  before(async () => {
    const made = await run("bash", [join(repo, "test/ship/image/make-base.sh"), "26"]);
    assert.equal(made.code, 0, `make-base.sh failed: ${made.stderr}`);
    base = made.stdout.trim();
    madeMs = made.ms;
    // --format docker keeps HEALTHCHECK (the OCI format has no field for it); --layers=false leaves
    // no cached build-stage image behind.
    const built = await podman("build", "--format", "docker", "--layers=false", "--build-arg", `NODE_IMAGE=${base}`, "--tag", image, repo);
    assert.equal(built.code, 0, `podman build failed:\n${built.stdout}\n${built.stderr}`);
    builtMs = built.ms;
  });

  after(async () => {
    await Promise.all(containers.map(removeContainer));
    await podman("rmi", "--force", image);
  });

  test("adds under 5 MB to its Node base and keeps the HEALTHCHECK, the node user and the entry point", async (t) => {
    const [inspected] = JSON.parse(await mustPodman("image", "inspect", image)) as ImageInspect[];
    const [baseInspected] = JSON.parse(await mustPodman("image", "inspect", base)) as ImageInspect[];
    const ours = inspected!.Size - baseInspected!.Size;
    t.diagnostic(`base ${base} ready in ${(madeMs / 1000).toFixed(1)} s; image built in ${(builtMs / 1000).toFixed(1)} s`);
    t.diagnostic(`image ${mb(inspected!.Size)}, Node base ${mb(baseInspected!.Size)}, our layers ${mb(ours)}`);
    assert.ok(ours > 0 && ours < 5e6, `our layers add ${mb(ours)}`);
    assert.deepEqual(inspected!.Healthcheck?.Test, ["CMD", "livekit-test-server-healthcheck"]);
    assert.equal(inspected!.Config.User, "node");
    assert.deepEqual(inspected!.Config.Entrypoint, ["livekit-test-server"]);
    assert.ok(inspected!.Config.Env.includes("LK_TEST_SERVER_READY_FILE=/tmp/livekit-test-server.ready.json"));
  });

  test("its own layers hold the bundled bins, package.json and the bin links, and delete nothing", async () => {
    const [inspected] = JSON.parse(await mustPodman("image", "inspect", image)) as ImageInspect[];
    const [baseInspected] = JSON.parse(await mustPodman("image", "inspect", base)) as ImageInspect[];
    const baseLayers = baseInspected!.RootFS.Layers.length;
    assert.deepEqual(inspected!.RootFS.Layers.slice(0, baseLayers), baseInspected!.RootFS.Layers, "built on the base");
    const dir = mkdtempSync(join(tmpdir(), "lk-image-"));
    try {
      await mustPodman("save", "--format", "docker-dir", "--output", join(dir, "image"), image);
      const manifest = JSON.parse(readFileSync(join(dir, "image", "manifest.json"), "utf8")) as { layers: { digest: string }[] };
      const entries = manifest.layers
        .slice(baseLayers)
        .flatMap((layer) =>
          execFileSync("tar", ["-tvf", join(dir, "image", layer.digest.replace(/^sha256:/, ""))], { encoding: "utf8" }).split("\n"),
        )
        .filter((line) => line !== "");
      const files = entries.map((line) => line.replace(/^.*? \d\d:\d\d /, ""));
      assert.ok(!files.some((f) => f.split("/").at(-1)!.startsWith(".wh.")), `a layer deletes a file:\n${files.join("\n")}`);
      const installed = "usr/local/lib/node_modules/livekit-test-server/";
      assert.deepEqual(files.filter((f) => !f.endsWith("/")).sort(), [
        "usr/local/bin/livekit-test-server -> ../lib/node_modules/livekit-test-server/dist/bin/cli.mjs",
        "usr/local/bin/livekit-test-server-healthcheck -> ../lib/node_modules/livekit-test-server/dist/bin/healthcheck.mjs",
        `${installed}dist/bin/cli.mjs`,
        `${installed}dist/bin/healthcheck.mjs`,
        `${installed}package.json`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("starts healthy through its own HEALTHCHECK, answers on every region port, and checks tokens", async (t) => {
    const host = await freePorts(4);
    const { id, startedAt } = await start(image, { ports: host.map((p, i) => [p, regionPorts[i]!] as const) });
    const healthyMs = await waitHealthy(id, startedAt);
    t.diagnostic(`healthy ${(healthyMs / 1000).toFixed(2)} s after podman run`);
    for (const [i, port] of host.entries()) {
      const health = await get(`http://127.0.0.1:${port}`, "/_test/health");
      assert.equal(health.text, "ok", `region ${i}`);
      const regions = await get(`http://127.0.0.1:${port}`, "/settings/regions");
      assert.equal(regions.region, String(i));
      // Without --advertise-urls the container's own ports are advertised (see the next tests).
      assert.deepEqual(
        JSON.parse(regions.text).regions.map((r: { url: string }) => r.url),
        regionPorts.map((p) => `http://127.0.0.1:${p}`),
      );
    }
    const url = `http://127.0.0.1:${host[2]}`;
    const created = await twirp(
      url,
      "livekit.RoomService/CreateRoom",
      { name: "image-room" },
      { token: await signToken({ video: { roomCreate: true } }) },
    );
    assert.equal(created.status, 200, created.text);
    assert.equal(created.json().name, "image-room");
    assert.equal(created.region, "2");
    const anonymous = await twirp(url, "livekit.RoomService/CreateRoom", { name: "image-room" }, { token: null });
    assert.equal(anonymous.status, 401);
    // Large bodies are decoded on a worker thread that loads the bundled bin again: the bundle
    // alone, as the image ships it, must be enough for that too.
    const metadata = "m".repeat(64 * 1024);
    const large = await twirp(
      url,
      "livekit.RoomService/CreateRoom",
      { name: "large", metadata },
      { token: await signToken({ video: { roomCreate: true } }) },
    );
    assert.equal(large.status, 200, large.text.slice(0, 200));
    assert.equal(large.json().metadata, metadata);
  });

  test("runs its server as uid 1000, not root", async () => {
    const host = await freePorts(4);
    const { id, startedAt } = await start(image, { ports: host.map((p, i) => [p, regionPorts[i]!] as const) });
    await waitHealthy(id, startedAt);
    // Rootful podman maps no user namespace: the host sees the container's uid as it is.
    const pid = await mustPodman("inspect", "--format", "{{.State.Pid}}", id);
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    assert.match(status, /^Uid:\t1000\t1000\t1000\t1000$/m);
    assert.match(readFileSync(`/proc/${pid}/cmdline`, "utf8"), /livekit-test-server/);
  });

  test("stops within 2 s with exit code 0, logging the shutdown line", async (t) => {
    const host = await freePorts(4);
    const { id, startedAt } = await start(image, { ports: host.map((p, i) => [p, regionPorts[i]!] as const) });
    await waitHealthy(id, startedAt);
    const stopped = await podman("stop", "--time", "10", id);
    t.diagnostic(`stopped in ${(stopped.ms / 1000).toFixed(2)} s`);
    assert.equal(stopped.code, 0, withoutSystemdNoise(stopped.stderr));
    assert.ok(stopped.ms < 2000, `podman stop took ${stopped.ms} ms`);
    assert.equal(await mustPodman("inspect", "--format", "{{.State.ExitCode}}", id), "0");
    const logs = await podman("logs", id);
    assert.match(logs.stdout, /^test-server: shutting down$/m);
  });

  test("stays healthy when LK_TEST_SERVER_PORTS moves the listeners", async () => {
    const host = await freePorts(2);
    const { id, startedAt } = await start(image, {
      ports: [
        [host[0]!, 7880],
        [host[1]!, 7881],
      ],
      env: { LK_TEST_SERVER_PORTS: "7880,7881" },
    });
    await waitHealthy(id, startedAt);
    for (const [i, port] of host.entries()) {
      const regions = await get(`http://127.0.0.1:${port}`, "/settings/regions");
      assert.equal(regions.region, String(i));
      assert.equal(JSON.parse(regions.text).regions.length, 2);
    }
    // The image's default ports are not bound, which the health check must not probe.
    const listening = await mustPodman("exec", id, "cat", "/tmp/livekit-test-server.ready.json");
    assert.deepEqual(JSON.parse(listening).healthUrls, ["http://127.0.0.1:7880/_test/health", "http://127.0.0.1:7881/_test/health"]);
  });

  test("advertises the host's mapped ports with LK_TEST_SERVER_ADVERTISE_URLS, so failover reaches them", async () => {
    const host = await freePorts(4);
    const { id, startedAt } = await start(image, {
      ports: host.map((p, i) => [p, regionPorts[i]!] as const),
      env: { LK_TEST_SERVER_ADVERTISE_URLS: host.join(",") },
    });
    await waitHealthy(id, startedAt);
    const regions = JSON.parse((await get(`http://127.0.0.1:${host[0]}`, "/settings/regions")).text).regions as { url: string }[];
    assert.deepEqual(
      regions.map((r) => r.url),
      host.map((p) => `http://127.0.0.1:${p}`),
    );
    // What an SDK does: region 0 fails, so it tries the next advertised URL, which must be reachable.
    const control = { failRegions: [0] };
    const first = await twirp(regions[0]!.url, "livekit.RoomService/ListRooms", {}, { control });
    assert.equal(first.status, 503);
    const next = await twirp(regions[1]!.url, "livekit.RoomService/ListRooms", {}, { control });
    assert.equal(next.status, 200);
    assert.equal(next.region, "1");
  });

  test("exits 1 with one line when the advertised list does not match the regions", async () => {
    const { id } = await start(image, { ports: [], env: { LK_TEST_SERVER_ADVERTISE_URLS: "20000,20001" } });
    // `timeout` bounds the wait should the server start after all; after() removes the container.
    const waited = await run("timeout", ["20", "podman", "wait", id]);
    assert.equal(waited.code, 0, "the container did not exit");
    assert.equal(waited.stdout.trim(), "1");
    const logs = await podman("logs", id);
    assert.equal(logs.stdout, "");
    const lines = logs.stderr.split("\n").filter((l) => l !== "");
    assert.equal(lines.length, 1, logs.stderr);
    assert.match(lines[0]!, /^test-server: .*advertise-urls.* 2 .* 4 /);
  });

  describe("the CI recipes of docs/ci/, run against it", () => {
    test("Testcontainers for Node starts it through podman's Docker-compatible socket and waits for /_test/health", async (t) => {
      const dir = mkdtempSync(join(tmpdir(), "lk-podman-socket-"));
      const socket = join(dir, "podman.sock");
      // The Docker API that Testcontainers speaks, served by podman itself (no Docker engine here).
      const service = spawn("podman", ["system", "service", "--time=0", `unix://${socket}`], { env: podmanEnv, stdio: "ignore" });
      try {
        await waitForSocket(socket);
        setEnv({
          DOCKER_HOST: `unix://${socket}`,
          // Its reaper is an image from Docker Hub, which is not reachable here.
          TESTCONTAINERS_RYUK_DISABLED: "true",
          // This machine looks like a container to it (/.dockerenv), so it would dial the bridge.
          TESTCONTAINERS_HOST_OVERRIDE: "127.0.0.1",
        });
        const { startTestServer } = await import("../../docs/ci/testcontainers.js");
        const hostPorts = await freePorts(4);
        const started = performance.now();
        const container = await startTestServer(hostPorts, image);
        t.diagnostic(`Testcontainers: started and healthy in ${((performance.now() - started) / 1000).toFixed(2)} s`);
        try {
          const url = `http://${container.getHost()}:${container.getMappedPort(9999)}`;
          assert.equal(url, `http://127.0.0.1:${hostPorts[0]}`);
          const regions = JSON.parse((await get(url, "/settings/regions")).text).regions as { url: string }[];
          assert.deepEqual(
            regions.map((r) => r.url),
            hostPorts.map((p) => `http://127.0.0.1:${p}`),
          );
          for (const [i, region] of regions.entries()) {
            const listed = await twirp(region.url, "livekit.RoomService/ListRooms");
            assert.equal(listed.status, 200);
            assert.equal(listed.region, String(i));
          }
        } finally {
          await container.stop();
        }
      } finally {
        restoreEnv();
        service.kill("SIGTERM");
        await new Promise((resolve) => (service.exitCode === null ? service.once("exit", resolve) : resolve(undefined)));
        rmSync(dir, { recursive: true, force: true });
      }
    });

    test(
      "docker compose's file, brought up by podman-compose, advertises the host's ports",
      { skip: composeMissing() ?? false },
      async () => {
        const ports = await freePortRange(4);
        const recipe = readFileSync(join(repo, "docs/ci/compose.yaml"), "utf8");
        // The recipe with only the image and the host ports (20000–20003 there) replaced.
        const file = recipe
          .replace(/^(\s+image:) ghcr\.io\/your-org\/livekit-test-server:0$/m, `$1 ${image}`)
          .replace(/\b2000([0-3])\b/g, (_, i: string) => String(ports[Number(i)]));
        assert.notEqual(file, recipe);
        const dir = mkdtempSync(join(tmpdir(), "lk-compose-"));
        writeFileSync(join(dir, "compose.yaml"), file);
        const project = `lkrecipe${process.pid}`;
        const compose = (...args: string[]): Promise<Ran> =>
          run("podman-compose", ["--project-name", project, "--file", join(dir, "compose.yaml"), ...args]);
        try {
          const startedAt = performance.now();
          const up = await compose("up", "--detach");
          assert.equal(up.code, 0, up.stderr);
          const id = await mustPodman("ps", "--all", "--quiet", "--filter", `label=io.podman.compose.project=${project}`);
          assert.match(id, /^[0-9a-f]+$/, `one container, from:\n${up.stdout}${up.stderr}`);
          await waitHealthy(id, startedAt);
          const regions = JSON.parse((await get(`http://127.0.0.1:${ports[3]}`, "/settings/regions")).text).regions as { url: string }[];
          assert.deepEqual(
            regions.map((r) => r.url),
            ports.map((p) => `http://127.0.0.1:${p}`),
          );
        } finally {
          await compose("down");
          // podman-compose 1.0 leaves the project's network behind.
          await podman("network", "rm", "--force", `${project}_default`);
          rmSync(dir, { recursive: true, force: true });
        }
      },
    );
  });
});

interface ImageInspect {
  readonly Size: number;
  readonly RootFS: { readonly Layers: readonly string[] };
  readonly Config: {
    readonly User: string;
    readonly Env: readonly string[];
    readonly Entrypoint: readonly string[];
  };
  /** podman's inspect puts it here, beside Config. */
  readonly Healthcheck?: { readonly Test: readonly string[] };
}

function composeMissing(): string | undefined {
  const probe = spawnSync("podman-compose", ["version"], { encoding: "utf8" });
  return probe.error === undefined && probe.status === 0 ? undefined : "podman-compose is not installed";
}

/** Resolves once the API socket answers `_ping`. */
async function waitForSocket(socketPath: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const req = request({ socketPath, path: "/_ping" }, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.once("error", () => resolve(false));
      req.end();
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`podman system service did not answer on ${socketPath}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const savedEnv = new Map<string, string | undefined>();

/** Sets variables for this process (Testcontainers reads its settings from the environment). */
function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!savedEnv.has(name)) savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
}

function restoreEnv(): void {
  for (const [name, value] of savedEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  savedEnv.clear();
}
