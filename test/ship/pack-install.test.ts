// What npm users get, in a clean temporary folder: pack the package, install the tarball with
// production dependencies only, start its bin, pass the health check, answer one API call, stop on
// SIGTERM. (The image is built and run by image.test.ts.)
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { freePorts } from "../support/free-ports.js";

const repo = new URL("../../", import.meta.url).pathname;
const workdir = mkdtempSync(join(tmpdir(), "lk-pack-"));
const npm = (args: string[], cwd: string): string =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8" });

let tarball: string;
let installDir: string;

before(() => {
  // Packs dist/ as built (npm test builds first); building here would rewrite it under the test
  // files that run beside this one.
  assert.ok(existsSync(join(repo, "dist/bin/cli.mjs")), "run `npm run build` first");
  const packed = JSON.parse(npm(["pack", "--ignore-scripts", "--json", "--pack-destination", workdir], repo)) as { filename: string }[];
  tarball = join(workdir, packed[0]!.filename);
  installDir = join(workdir, "app");
  execFileSync("mkdir", ["-p", installDir]);
  writeFileSync(join(installDir, "package.json"), JSON.stringify({ name: "consumer", private: true }));
  npm(["install", "--omit=dev", tarball], installDir);
});

after(() => rmSync(workdir, { recursive: true, force: true }));

describe("the packed package, installed with production dependencies only", () => {
  test("ships the bundled bins and no TypeScript sources", () => {
    const listing = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" });
    assert.match(listing, /package\/dist\/bin\/cli\.mjs/);
    assert.match(listing, /package\/dist\/bin\/healthcheck\.mjs/);
    assert.doesNotMatch(listing, /^package\/(src|codegen|test)\//m);
    assert.doesNotMatch(listing, /(?<!\.d)\.ts$/m, "a TypeScript source was packed");
    const installed = JSON.parse(readFileSync(join(installDir, "node_modules", "livekit-test-server", "package.json"), "utf8")) as {
      devDependencies?: Record<string, string>;
    };
    for (const dev of Object.keys(installed.devDependencies ?? {})) {
      assert.throws(() => readFileSync(join(installDir, "node_modules", dev, "package.json")), `dev dependency ${dev} was installed`);
    }
  });

  test("its bin starts, passes the health check, answers an API call and stops on SIGTERM", async () => {
    const ports = await freePorts(2);
    const readyFile = join(workdir, "ready.json");
    const bin = join(installDir, "node_modules", ".bin");
    const server = spawn(join(bin, "livekit-test-server"), ["--ports", ports.join(","), "--bind", "127.0.0.1", "--log-level", "silent"], {
      env: { ...process.env, LK_TEST_SERVER_READY_FILE: readyFile },
    });
    try {
      await waitForLines(server, 2);
      execFileSync(join(bin, "livekit-test-server-healthcheck"), [], { env: { ...process.env, LK_TEST_SERVER_READY_FILE: readyFile } });
      const response = await fetch(`http://127.0.0.1:${ports[1]}/twirp/livekit.RoomService/ListRooms`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Lk-Mock": '{"skipAuth":true}' },
        body: "{}",
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("x-lk-mock-region"), "1");
      assert.deepEqual(await response.json(), { rooms: [{ sid: "MOCK_SID" }] });
      const exit = new Promise<number | null>((resolve) => server.once("exit", resolve));
      server.kill("SIGTERM");
      assert.equal(await exit, 0);
      assert.throws(() => readFileSync(readyFile), "the ready file outlived the server");
    } finally {
      server.kill("SIGKILL");
    }
  });

  test("the health check fails while no server has written its ready file", () => {
    const bin = join(installDir, "node_modules", ".bin");
    assert.throws(() => execFileSync(join(bin, "livekit-test-server-healthcheck"), [join(workdir, "missing.json")], { stdio: "pipe" }));
  });

  test(
    "the README's first SDK test passes in the project, with livekit-server-sdk beside it",
    // Node runs a TypeScript file as it is from 22.18 on, as the README says; older Nodes skip.
    { skip: process.features.typescript === undefined ? "this Node does not run TypeScript files" : false, timeout: 120_000 },
    () => {
      const sdk = (JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as { devDependencies: Record<string, string> })
        .devDependencies["livekit-server-sdk"]!;
      npm(["install", "--prefer-offline", "--no-save", `livekit-server-sdk@${sdk}`], installDir);
      const readme = readFileSync(join(repo, "README.md"), "utf8");
      const firstTest = /## A first SDK test\n[\s\S]*?```ts\n([\s\S]*?)```/.exec(readme)?.[1];
      assert.ok(firstTest !== undefined, "the README has a first SDK test");
      writeFileSync(join(installDir, "rooms.test.mts"), firstTest);
      const ran = execFileSync(process.execPath, ["--test", "--test-reporter=spec", "rooms.test.mts"], {
        cwd: installDir,
        encoding: "utf8",
        // Without the variable that makes a test file report to this test runner instead.
        env: Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "NODE_TEST_CONTEXT")),
      });
      assert.match(ran, /^ℹ pass 2$/m);
      assert.match(ran, /^ℹ fail 0$/m);
    },
  );

  test("npx runs the bin from the tarball with the same flags", () => {
    const help = execFileSync("npx", ["--yes", "--package", tarball, "livekit-test-server", "--help"], { cwd: workdir, encoding: "utf8" });
    assert.match(help, /--ports <value>/);
    assert.match(help, /LK_TEST_SERVER_PORTS/);
  });
});

function waitForLines(child: ChildProcess, count: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = 0;
    child.stdout!.on("data", (chunk: Buffer) => {
      seen += chunk.toString().split("listening on").length - 1;
      if (seen >= count) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code} before it was ready`)));
  });
}
