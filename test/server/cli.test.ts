// The command line (REFERENCE §4.5): flags, environment fallbacks, --help, startup lines, clean
// shutdown and one-line failures. Runs the built `dist/src/cli.js` (`npm run build` first).
import assert from "node:assert/strict";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server } from "node:net";
import { fileURLToPath } from "node:url";
import { after, before, describe, it } from "node:test";
import { signToken } from "../support/tokens.js";
import { get, twirp } from "../support/twirp.js";

const cli = fileURLToPath(new URL("../../dist/src/cli.js", import.meta.url));

/** Env without any LK_TEST_SERVER_* the developer may have set. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("LK_TEST_SERVER_")) env[k] = v;
  return { ...env, ...extra };
}

/** Ports that were free a moment ago: bound on port 0, then released. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve) => {
          const server = createServer();
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  readonly exited: Promise<Exit>;
}

function run(args: readonly string[], env: Record<string, string> = {}): Running {
  const child = spawn(process.execPath, [cli, ...args], { env: cleanEnv(env) });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const exited = new Promise<Exit>((resolve) => child.on("close", (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, stdout: () => stdout, stderr: () => stderr, exited };
}

/** Starts the CLI and waits for its `lines` startup lines (or fails with what it printed). */
async function start(args: readonly string[], lines: number, env: Record<string, string> = {}): Promise<Running> {
  const running = run(args, env);
  // Generous: on a 2-core machine shared with other builds, several CLIs starting at once have
  // taken over 10 s.
  const deadline = Date.now() + 30_000;
  while (
    running
      .stdout()
      .split("\n")
      .filter((l) => l.includes(" listening on ")).length < lines
  ) {
    if (running.child.exitCode !== null || Date.now() > deadline) {
      running.child.kill("SIGKILL");
      const exit = await running.exited;
      assert.fail(`cli did not start: code ${exit.code}\nstdout: ${exit.stdout}\nstderr: ${exit.stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return running;
}

async function stop(running: Running, signal: NodeJS.Signals = "SIGTERM"): Promise<Exit> {
  if (running.child.exitCode === null) running.child.kill(signal);
  return running.exited;
}

async function assertFailsWithOneLine(args: readonly string[], pattern: RegExp, env: Record<string, string> = {}): Promise<void> {
  const exit = await run(args, env).exited;
  assert.notEqual(exit.code, 0, `exit code for ${args.join(" ")}`);
  assert.equal(exit.stdout, "");
  const lines = exit.stderr.split("\n").filter((l) => l !== "");
  assert.equal(lines.length, 1, `one line on stderr, got ${JSON.stringify(exit.stderr)}`);
  assert.match(lines[0]!, /^test-server: /);
  assert.match(lines[0]!, pattern);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

describe("the command line", { concurrency: true }, () => {
  before(() => {
    assert.ok(existsSync(cli), `${cli} is missing: run \`npm run build\` first`);
  });
  const started: Running[] = [];
  after(async () => {
    await Promise.all(started.map((r) => stop(r, "SIGKILL")));
  });
  const startTracked = async (args: readonly string[], lines: number, env: Record<string, string> = {}): Promise<Running> => {
    const running = await start(args, lines, env);
    started.push(running);
    return running;
  };

  it("--help lists every flag with its environment variable and default, and exits 0", async () => {
    const exit = await run(["--help"]).exited;
    assert.equal(exit.code, 0);
    const expected: [string, string, string][] = [
      ["--ports", "LK_TEST_SERVER_PORTS", "9999,10000,10001,10002"],
      ["--advertise-host", "LK_TEST_SERVER_ADVERTISE_HOST", "http://127.0.0.1"],
      ["--advertise-urls", "LK_TEST_SERVER_ADVERTISE_URLS", "(none)"],
      ["--bind", "LK_TEST_SERVER_BIND", "0.0.0.0"],
      ["--twirp-prefix", "LK_TEST_SERVER_TWIRP_PREFIX", "/twirp"],
      ["--api-secret", "LK_TEST_SERVER_API_SECRET", "secret"],
    ];
    for (const [flag, env, def] of expected) {
      const at = exit.stdout.indexOf(flag);
      assert.ok(at !== -1, `${flag} listed`);
      const section = exit.stdout.slice(
        at,
        exit.stdout.indexOf("\n  --", at + 1) === -1 ? undefined : exit.stdout.indexOf("\n  --", at + 1),
      );
      assert.ok(section.includes(env), `${flag} names ${env}`);
      assert.ok(section.includes(def), `${flag} shows its default ${def}`);
    }
    assert.match(exit.stdout, /--help/);
  });

  it("--version prints the package's version and exits 0", async () => {
    const { version } = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
    const exit = await run(["--version"]).exited;
    assert.equal(exit.code, 0);
    assert.equal(exit.stdout, `${version}\n`);
    assert.equal(exit.stderr, "");
  });

  it("under --log-format json prints every line as a JSON object, start-up, requests and shutdown alike", async () => {
    const ports = await freePorts(2);
    const running = await startTracked(["--ports", ports.join(","), "--bind", "127.0.0.1", "--log-format", "json"], 2);
    await twirp(`http://127.0.0.1:${ports[1]}`, "livekit.RoomService/ListRooms", {}, { control: { failRegions: [1] } });
    const deadline = Date.now() + 5000;
    while (!running.stdout().includes("ListRooms") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const exit = await stop(running, "SIGTERM");
    assert.equal(exit.code, 0);
    assert.equal(exit.stderr, "");
    const lines = exit.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => l["event"] ?? l["target"]),
      ["listening", "listening", "livekit.RoomService/ListRooms", "shutdown"],
    );
    assert.equal(lines[0]!["msg"], `test-server: region-0 listening on 127.0.0.1:${ports[0]} (advertised as http://127.0.0.1:${ports[0]})`);
    assert.deepEqual([lines[1]!["region"], lines[1]!["port"], lines[1]!["url"]], ["region-1", ports[1], `http://127.0.0.1:${ports[1]}`]);
    assert.equal(lines[2]!["status"], 503);
    assert.deepEqual([lines[3]!["msg"], lines[3]!["why"]], ["test-server: shutting down", "SIGTERM"]);
    for (const line of lines) assert.ok(!Number.isNaN(Date.parse(line["time"] as string)), `no time in ${JSON.stringify(line)}`);
  });

  it("under --log-format json reports a failed start as one JSON line on stderr", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
    const busy = (blocker.address() as { port: number }).port;
    try {
      const exit = await run(["--ports", String(busy), "--bind", "127.0.0.1", "--log-format=json"]).exited;
      assert.equal(exit.code, 1);
      assert.equal(exit.stdout, "");
      const lines = exit.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, exit.stderr);
      const line = JSON.parse(lines[0]!) as Record<string, unknown>;
      assert.equal(line["level"], "error");
      assert.match(line["msg"] as string, new RegExp(`^test-server: .*${busy}.*address already in use`));
      // A flag that does not parse is reported the same way, the format read from the variable.
      const bad = await run(["--ports", "x"], { LK_TEST_SERVER_LOG_FORMAT: "json" }).exited;
      assert.match((JSON.parse(bad.stderr) as { msg: string }).msg, /^test-server: invalid --ports/);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it("prints one startup line per region, serves them, and shuts down cleanly on SIGTERM", async () => {
    const ports = await freePorts(3);
    const running = await startTracked(["--ports", ports.join(","), "--bind", "127.0.0.1", "--log-level", "silent"], 3);
    assert.deepEqual(
      running.stdout().trim().split("\n"),
      ports.map((p, i) => `test-server: region-${i} listening on 127.0.0.1:${p} (advertised as http://127.0.0.1:${p})`),
    );
    const regions = await get(`http://127.0.0.1:${ports[2]}`, "/settings/regions");
    assert.equal(regions.region, "2");
    assert.equal(JSON.parse(regions.text).regions.length, 3);
    const exit = await stop(running, "SIGTERM");
    assert.equal(exit.code, 0);
    assert.ok(exit.stdout.endsWith("test-server: shutting down\n"), exit.stdout);
    assert.equal(exit.stderr, "");
    await assert.rejects(get(`http://127.0.0.1:${ports[0]}`, "/"), "the listeners are closed");
  });

  it("shuts down cleanly on SIGINT", async () => {
    const ports = await freePorts(1);
    const running = await startTracked([`--ports=${ports[0]}`, "--bind=127.0.0.1", "--log-level=silent"], 1);
    const exit = await stop(running, "SIGINT");
    assert.equal(exit.code, 0);
    assert.match(exit.stdout, /test-server: shutting down\n$/);
  });

  it("accepts --flag=value for every flag", async () => {
    const [port] = await freePorts(1);
    const running = await startTracked(
      [
        `--ports=${port}`,
        "--bind=127.0.0.1",
        "--advertise-host=http://localhost/",
        "--twirp-prefix=/lk",
        "--api-secret=other-secret",
        "--log-level=silent",
      ],
      1,
    );
    assert.equal(running.stdout(), `test-server: region-0 listening on 127.0.0.1:${port} (advertised as http://localhost:${port})\n`);
    const url = `http://127.0.0.1:${port}`;
    assert.equal((await get(url, "/settings/regions")).text, `{"regions":[{"region":"region-0","url":"http://localhost:${port}"}]}`);
    const token = await signToken({ video: { roomList: true }, secret: "other-secret" });
    assert.equal((await twirp(url, "livekit.RoomService/ListRooms", {}, { prefix: "/lk", token })).status, 200);
    assert.equal(
      (await twirp(url, "livekit.RoomService/ListRooms", {}, { prefix: "/lk", token: await signToken({ video: { roomList: true } }) }))
        .status,
      401,
    );
    assert.equal((await twirp(url, "livekit.RoomService/ListRooms", {}, { token })).status, 404);
  });

  it("reads every setting from its environment variable when the flag is absent", async () => {
    const [port] = await freePorts(1);
    const running = await startTracked([], 1, {
      LK_TEST_SERVER_PORTS: String(port),
      LK_TEST_SERVER_BIND: "127.0.0.1",
      LK_TEST_SERVER_ADVERTISE_HOST: "http://localhost",
      LK_TEST_SERVER_TWIRP_PREFIX: "/env",
      LK_TEST_SERVER_API_SECRET: "env-secret",
      LK_TEST_SERVER_LOG_LEVEL: "silent",
    });
    assert.equal(running.stdout(), `test-server: region-0 listening on 127.0.0.1:${port} (advertised as http://localhost:${port})\n`);
    const token = await signToken({ video: { roomList: true }, secret: "env-secret" });
    assert.equal((await twirp(`http://127.0.0.1:${port}`, "livekit.RoomService/ListRooms", {}, { prefix: "/env", token })).status, 200);
  });

  it("lets a flag win over its environment variable, and ignores empty variables", async () => {
    const [flagPort, envPort] = await freePorts(2);
    const running = await startTracked(["--ports", String(flagPort), "--bind", "127.0.0.1", "--log-level", "silent"], 1, {
      LK_TEST_SERVER_PORTS: String(envPort),
      LK_TEST_SERVER_TWIRP_PREFIX: "",
      LK_TEST_SERVER_ADVERTISE_HOST: "",
    });
    assert.equal(
      running.stdout(),
      `test-server: region-0 listening on 127.0.0.1:${flagPort} (advertised as http://127.0.0.1:${flagPort})\n`,
    );
    assert.equal((await twirp(`http://127.0.0.1:${flagPort}`, "livekit.RoomService/ListRooms", {})).status, 200, "default /twirp prefix");
  });

  it("advertises the ports or URLs of --advertise-urls (or its variable), in region order", async () => {
    const ports = await freePorts(2);
    const running = await startTracked(["--ports", ports.join(","), "--bind", "127.0.0.1", "--log-level", "silent"], 2, {
      LK_TEST_SERVER_ADVERTISE_URLS: "20000, http://lk.example:8080/",
    });
    assert.deepEqual(running.stdout().trim().split("\n"), [
      `test-server: region-0 listening on 127.0.0.1:${ports[0]} (advertised as http://127.0.0.1:20000)`,
      `test-server: region-1 listening on 127.0.0.1:${ports[1]} (advertised as http://lk.example:8080)`,
    ]);
    const regions = JSON.parse((await get(`http://127.0.0.1:${ports[1]}`, "/settings/regions")).text).regions;
    assert.deepEqual(
      regions.map((r: { url: string }) => r.url),
      ["http://127.0.0.1:20000", "http://lk.example:8080"],
    );
  });

  it("exits 1 with one line when --advertise-urls does not list one entry per region", async () => {
    // Bad entries are covered in-process (test/server/regions.test.ts); here, the CLI's answer.
    const exit = await run(["--ports", "1,2,3", "--advertise-urls", "20000,20001"]).exited;
    assert.equal(exit.code, 1);
    assert.equal(exit.stdout, "");
    assert.equal(exit.stderr, "test-server: invalid --advertise-urls: 2 entries for 3 regions (one per --ports entry)\n");
    await assertFailsWithOneLine([], /--advertise-urls: 5 entries for 4 regions/, { LK_TEST_SERVER_ADVERTISE_URLS: "1,2,3,4,5" });
  });

  it("logs one line per request unless silenced", async () => {
    const [port] = await freePorts(1);
    const running = await startTracked(["--ports", String(port), "--bind", "127.0.0.1"], 1);
    await twirp(`http://127.0.0.1:${port}`, "livekit.RoomService/ListRooms", {}, { control: { failRegions: [0] } });
    const deadline = Date.now() + 2000;
    while (!running.stdout().includes("livekit.RoomService/ListRooms") && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    assert.match(running.stdout(), /region-0 livekit\.RoomService\/ListRooms 503 unavailable/);
  });

  it("exits non-zero with one line naming a bad --ports value", async () => {
    await assertFailsWithOneLine(["--ports", "abc"], /invalid --ports: .*abc/);
    await assertFailsWithOneLine(["--ports", ""], /invalid --ports/);
    await assertFailsWithOneLine(["--ports=1,,2"], /invalid --ports/);
    await assertFailsWithOneLine(["--ports", "70000"], /invalid --ports: .*70000/);
    await assertFailsWithOneLine([], /invalid --ports: .*x/, { LK_TEST_SERVER_PORTS: "x" });
  });

  it("exits non-zero with one line naming other bad flag values", async () => {
    await assertFailsWithOneLine(["--advertise-host", "not a url"], /--advertise-host/);
    await assertFailsWithOneLine(["--twirp-prefix", "twirp"], /--twirp-prefix/);
    await assertFailsWithOneLine(["--log-level", "loud"], /--log-level.*loud/);
    await assertFailsWithOneLine(["--ports"], /--ports needs a value/);
    await assertFailsWithOneLine(["--no-such-flag", "1"], /--no-such-flag/);
    await assertFailsWithOneLine(["--api-secret="], /--api-secret/);
  });

  it("exits non-zero with one line naming an unwritable --ready-file and why, before binding any port", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lk-ready-"));
    try {
      const missing = join(dir, "no-such-dir", "ready.json");
      await assertFailsWithOneLine(
        ["--ports", "0", "--ready-file", missing],
        new RegExp(`^test-server: cannot write --ready-file ${escapeRegExp(missing)}: no such file or directory$`),
      );
      await assertFailsWithOneLine(
        ["--ports", "0"],
        new RegExp(`^test-server: cannot write --ready-file ${escapeRegExp(dir)}: is a directory$`),
        { LK_TEST_SERVER_READY_FILE: dir },
      );
      const file = join(dir, "file");
      writeFileSync(file, "");
      await assertFailsWithOneLine(
        ["--ports", "0", `--ready-file=${join(file, "ready.json")}`],
        new RegExp(`^test-server: cannot write --ready-file ${escapeRegExp(join(file, "ready.json"))}: .*not a directory$`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("exits non-zero with one line naming a port already in use", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", () => resolve()));
    const busy = (blocker.address() as { port: number }).port;
    const [free] = await freePorts(1);
    try {
      await assertFailsWithOneLine(
        ["--ports", `${free},${busy}`, "--bind", "127.0.0.1", "--log-level", "silent"],
        new RegExp(`${busy}.*address already in use`),
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
    // The listener that did bind was closed again on the way out.
    const probe = createServer();
    await new Promise<void>((resolve, reject) => {
      probe.once("error", reject);
      probe.listen(free, "127.0.0.1", () => resolve());
    });
    await new Promise((resolve) => probe.close(resolve));
  });
});
