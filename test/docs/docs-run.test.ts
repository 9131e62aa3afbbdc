// Every shell, TypeScript and JSON block of the README and docs/ (recursively) is run or checked,
// as CONTRIBUTING.md ("Writing docs") describes: shell blocks run in bash against a started server
// and must print what their `# →` lines say; TypeScript blocks type-check against the published
// types (the built package) and run; JSON blocks are checked as what their marker says they are;
// a block that shows a file must show it verbatim. Needs `npm run build` first.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { freePorts } from "../support/free-ports.js";
import { signToken } from "../support/tokens.js";
import { connect } from "../signal/signal-client.js";
import { docBlocks, docFiles, repo, where, type DocBlock } from "./doc-blocks.js";

/** The ports the docs write, and what they stand for when a block runs. */
const serverPorts = [9999, 10000, 10001, 10002] as const;
/** A webhook handler's port in the docs: the harness answers there, 200 to every POST. */
const handlerPort = 3000;
/** Ports the docs use for servers of their own: each run gets free ones instead. */
const sparePorts = [7880, 7881, 20000, 20001, 20002, 20003] as const;

const jsonKinds = ["control", "lk-mock", "journal", "example"] as const;
const allowed: Record<DocBlock["language"], readonly string[]> = {
  sh: ["no-run", "no-server"],
  ts: ["no-run", "no-server"],
  json: jsonKinds,
  yaml: [],
  other: [],
};
const allowedParams = ["file", "excerpt", "recipe"];

const work = join(repo, ".cache", "doc-blocks", String(process.pid));
const blocks = docFiles().flatMap(docBlocks);
const tsBlocks = blocks.filter((b) => b.language === "ts");
const tsFile = (block: DocBlock): string => `${block.file.replace(/[^\w]+/g, "-")}-${block.line}.ts`;

let server: RunningServer;
let handler: Server;
let handlerAt = 0;
let controlSchema: ValidateFunction;
let lkMockSchema: ValidateFunction;
/** Every key a real journal entry has (of any kind), for checking the docs' journal examples. */
let journalEntryKeys: Set<string>;
let journalAnswerKeys: Set<string>;
/** tsc's diagnostics for each TypeScript block's file. */
const typeErrors = new Map<string, string[]>();

before(async () => {
  assert.ok(existsSync(join(repo, "dist/bin/cli.mjs")), "run `npm run build` first: the blocks use the built package");
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "node_modules/.bin"), { recursive: true });
  // As in a project that installed the package: `npx livekit-test-server` finds the bin here.
  symlinkSync(join(repo, "dist/bin/cli.mjs"), join(work, "node_modules/.bin/livekit-test-server"));
  server = await startServer({ ports: [0, 0, 0, 0], bind: "127.0.0.1", logLevel: "silent" });
  handler = createServer((req, res) => req.resume().on("end", () => res.end("ok")));
  await new Promise<void>((resolve) => handler.listen(0, "127.0.0.1", resolve));
  handlerAt = (handler.address() as { port: number }).port;
  const schema = (await (await fetch(`${server.url(0)}/_test/schema`)).json()) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false });
  controlSchema = ajv.compile(schema);
  lkMockSchema = ajv.compile({ $schema: schema["$schema"] as string, $defs: schema["$defs"], $ref: "#/$defs/lkMock" });
  ({ entryKeys: journalEntryKeys, answerKeys: journalAnswerKeys } = await realJournalKeys());
  await typeCheck();
});

after(async () => {
  await server?.close();
  handler?.close();
  rmSync(work, { recursive: true, force: true });
});

describe("the code blocks of the README and docs/", () => {
  test("are found (the walk would pass vacuously otherwise)", () => {
    assert.ok(blocks.length > 40, `only ${blocks.length} blocks`);
    for (const language of ["sh", "ts", "json", "yaml"] as const) {
      assert.ok(
        blocks.some((b) => b.language === language),
        `no ${language} block`,
      );
    }
  });

  for (const block of blocks) {
    test(`${where(block)}: ${describeBlock(block)}`, { timeout: 120_000 }, async () => {
      checkMarker(block);
      if (block.params["file"] !== undefined) checkVerbatim(block, block.params["file"]);
      if (block.params["excerpt"] !== undefined) checkExcerpt(block, block.params["excerpt"]);
      switch (block.language) {
        case "sh":
          if (!block.words.includes("no-run")) await runShell(block);
          break;
        case "ts":
          assert.deepEqual(typeErrors.get(tsFile(block)) ?? [], [], `${where(block)} does not type-check`);
          if (!block.words.includes("no-run")) await runTypeScript(block);
          break;
        case "json":
          await checkJson(block);
          break;
        case "yaml":
          assert.ok(
            block.params["file"] !== undefined,
            `${where(block)}: a YAML block shows a file under docs/ci/ (file=…), which is linted`,
          );
          break;
        case "other":
          break;
      }
    });
  }
});

function describeBlock(block: DocBlock): string {
  const file = block.params["file"] === undefined ? "" : `, shows ${block.params["file"]} verbatim`;
  switch (block.language) {
    case "sh":
      return block.words.includes("no-run")
        ? `the sh block is not run (${block.reason})${file}`
        : `the sh block runs and prints what it says${file}`;
    case "ts":
      return block.words.includes("no-run")
        ? `the TypeScript block type-checks (not run: ${block.reason})${file}`
        : `the TypeScript block type-checks and runs${file}`;
    case "json":
      return `the JSON block is a valid ${block.words.find((w) => (jsonKinds as readonly string[]).includes(w)) ?? "(unmarked)"}${file}`;
    case "yaml":
      return `the YAML block${file || " shows a file"}`;
    case "other":
      return `the ${block.info || "plain"} block${file}${block.params["excerpt"] === undefined ? "" : `, an excerpt of ${block.params["excerpt"]}`}`;
  }
}

function checkMarker(block: DocBlock): void {
  assert.deepEqual(block.markerProblems, [], `${where(block)}: the marker is malformed`);
  const unknown = block.words.filter((w) => !allowed[block.language].includes(w));
  assert.deepEqual(unknown, [], `${where(block)}: ${block.language} blocks take ${allowed[block.language].join(", ") || "no words"}`);
  const unknownParams = Object.keys(block.params).filter((p) => !allowedParams.includes(p));
  assert.deepEqual(unknownParams, [], `${where(block)}: markers take ${allowedParams.join("=, ")}=`);
  if (block.words.includes("no-run")) {
    assert.ok((block.reason ?? "") !== "", `${where(block)}: no-run needs the reason in parentheses, e.g. no-run (needs a Docker engine)`);
  }
  if (block.language === "json") {
    const kinds = block.words.filter((w) => (jsonKinds as readonly string[]).includes(w));
    assert.equal(kinds.length, 1, `${where(block)}: a JSON block says what it is with one of ${jsonKinds.join(", ")}`);
  }
}

function checkVerbatim(block: DocBlock, path: string): void {
  const file = join(repo, path);
  assert.ok(existsSync(file), `${where(block)}: ${path} does not exist`);
  assert.equal(block.text, readFileSync(file, "utf8"), `${where(block)} differs from ${path}`);
}

/** Each non-blank line of the block appears in the file, in order (indentation aside). */
function checkExcerpt(block: DocBlock, path: string): void {
  const file = readFileSync(join(repo, path), "utf8")
    .split("\n")
    .map((l) => l.trim());
  let at = 0;
  for (const line of block.text.split("\n").map((l) => l.trim())) {
    if (line === "") continue;
    const found = file.indexOf(line, at);
    assert.ok(found !== -1, `${where(block)}: ${JSON.stringify(line)} is not in ${path} (after line ${at})`);
    at = found + 1;
  }
}

// ---- ports ------------------------------------------------------------------------------------

/** The block's text with the docs' ports replaced by the ports of this run. */
async function withPorts(block: DocBlock): Promise<{ text: string; ports: number[] }> {
  const own = block.words.includes("no-server");
  const ports = own ? await freePorts(serverPorts.length) : serverPorts.map((_, i) => server.regions[i]!.port);
  const spare = await freePorts(sparePorts.length);
  const map = new Map<number, number>([
    ...serverPorts.map((p, i) => [p, ports[i]!] as const),
    [handlerPort, handlerAt],
    ...sparePorts.map((p, i) => [p, spare[i]!] as const),
  ]);
  const text = block.text.replace(/\b(\d{4,5})\b/g, (digits) => String(map.get(Number(digits)) ?? digits));
  return { text, ports };
}

function environment(ports: readonly number[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith("LK_TEST_SERVER_")) env[name] = value;
  // A server a block starts without --ports takes the ports that stand for 9999–10002; npx never
  // asks the registry.
  return { ...env, LK_TEST_SERVER_PORTS: ports.join(","), LK_TEST_SERVER_BIND: "127.0.0.1", npm_config_offline: "true" };
}

// ---- shell ------------------------------------------------------------------------------------

async function runShell(block: DocBlock): Promise<void> {
  const { text, ports } = await withPorts(block);
  const ran = await run("bash", ["-e", "-o", "pipefail", "-c", text], environment(ports), 60_000);
  try {
    await checkShellRun(block, text, ports, ran);
  } finally {
    ran.killLeftovers();
  }
}

async function checkShellRun(block: DocBlock, text: string, ports: readonly number[], ran: Ran): Promise<void> {
  assert.equal(ran.code, 0, `${where(block)} exited ${ran.code}:\n${ran.output}`);
  let at = 0;
  for (const expected of expectations(text)) {
    const pattern = new RegExp(expected.split("…").map(escapeRegExp).join("[\\s\\S]*?"));
    const found = pattern.exec(ran.stdout.slice(at));
    assert.ok(
      found !== null,
      `${where(block)} should print ${JSON.stringify(expected)} after what it printed before; it printed:\n${ran.stdout}`,
    );
    at += found.index + found[0].length;
  }
  if (block.words.includes("no-server")) {
    // What the block started, it stopped: its ports are free again.
    const deadline = Date.now() + 10_000;
    let held = await heldPorts(ports);
    while (held.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      held = await heldPorts(ports);
    }
    assert.deepEqual(held, [], `${where(block)} left a server on its ports`);
  }
}

/** The `# → …` lines: what the command before them prints. */
function expectations(text: string): string[] {
  return [...text.matchAll(/^\s*# → (.*)$/gm)].map((m) => m[1]!.trimEnd());
}

async function heldPorts(ports: readonly number[]): Promise<number[]> {
  const held: number[] = [];
  for (const port of ports) {
    const free = await new Promise<boolean>((resolve) => {
      const probe = createServer();
      probe.once("error", () => resolve(false));
      probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
    });
    if (!free) held.push(port);
  }
  return held;
}

// ---- TypeScript -------------------------------------------------------------------------------

/** Writes every TypeScript block to its own module in the work folder and type-checks them together. */
async function typeCheck(): Promise<void> {
  for (const block of tsBlocks) {
    const { text } = await withPorts(block);
    writeFileSync(join(work, tsFile(block)), text);
    // A block that shows a file is also that file, for the blocks after it that import it.
    const shown = block.params["file"];
    if (shown !== undefined) writeFileSync(join(work, shown.split("/").at(-1)!), text);
  }
  writeFileSync(
    join(work, "tsconfig.json"),
    JSON.stringify({
      // The project's strict settings; a snippet may leave a value unused.
      extends: "../../../tsconfig.json",
      compilerOptions: { noUnusedLocals: false, noEmit: true },
      include: ["*.ts"],
    }),
  );
  const ran = await run(
    process.execPath,
    [join(repo, "node_modules/typescript/bin/tsc"), "-p", work, "--pretty", "false"],
    process.env,
    120_000,
  );
  ran.killLeftovers();
  for (const line of ran.stdout.split("\n")) {
    const match = /^([^(]+\.ts)\(\d+,\d+\): error/.exec(line);
    if (match === null) continue;
    const file = match[1]!.split("/").at(-1)!;
    typeErrors.set(file, [...(typeErrors.get(file) ?? []), line]);
  }
  if (ran.code !== 0) assert.ok(typeErrors.size > 0, `tsc failed without a diagnostic for a block:\n${ran.output}`);
}

async function runTypeScript(block: DocBlock): Promise<void> {
  const ports = block.words.includes("no-server") ? await freePorts(serverPorts.length) : server.regions.map((r) => r.port);
  const ran = await run(process.execPath, ["--import", "tsx", join(work, tsFile(block))], environment(ports), 90_000, work);
  ran.killLeftovers();
  assert.equal(ran.code, 0, `${where(block)} exited ${ran.code}:\n${ran.output}`);
}

// ---- JSON -------------------------------------------------------------------------------------

async function checkJson(block: DocBlock): Promise<void> {
  let value: unknown;
  try {
    value = JSON.parse(block.text);
  } catch (err) {
    assert.fail(`${where(block)} is not JSON: ${(err as Error).message}`);
  }
  if (block.words.includes("control")) {
    assert.ok(controlSchema(value), `${where(block)}: /_test/schema refuses it: ${JSON.stringify(controlSchema.errors)}`);
    const answer = await fetch(`${server.url(0)}/settings/regions`, { headers: { "X-Lk-Mock": JSON.stringify(value) } });
    assert.notEqual(answer.status, 400, `${where(block)}: the server refuses it: ${await answer.text()}`);
  } else if (block.words.includes("lk-mock")) {
    assert.ok(lkMockSchema(value), `${where(block)}: /_test/schema#/$defs/lkMock refuses it: ${JSON.stringify(lkMockSchema.errors)}`);
    const token = await signToken({ identity: "alice", video: { roomJoin: true, room: "my-room" }, attributes: { "lk.mock": block.text } });
    const answer = await fetch(`${server.url(0)}/rtc/validate?access_token=${token}`);
    assert.notEqual(answer.status, 400, `${where(block)}: the signal endpoints refuse it: ${await answer.text()}`);
  } else if (block.words.includes("journal")) {
    const answer = value as { entries?: unknown };
    const unknownTop = Object.keys(answer).filter((k) => !journalAnswerKeys.has(k));
    assert.deepEqual(unknownTop, [], `${where(block)}: a journal answer has no such keys`);
    assert.ok(Array.isArray(answer.entries), `${where(block)}: a journal answer has entries`);
    for (const entry of answer.entries as Record<string, unknown>[]) {
      const unknownKeys = Object.keys(entry).filter((k) => !journalEntryKeys.has(k));
      assert.deepEqual(unknownKeys, [], `${where(block)}: no journal entry has these keys`);
    }
  }
}

/** Records a Twirp call, a discovery, a webhook and a signal connection, and reads the keys they have. */
async function realJournalKeys(): Promise<{ entryKeys: Set<string>; answerKeys: Set<string> }> {
  const key = `doc-blocks-${process.pid}`;
  const headers = (control: Record<string, unknown>): Record<string, string> => ({
    "Content-Type": "application/json",
    "X-Lk-Mock": JSON.stringify({ journal: key, ...control }),
  });
  const webhooks = { url: `http://127.0.0.1:${handlerAt}/webhook`, apiKey: "devkey" };
  await fetch(`${server.url(0)}/twirp/livekit.RoomService/CreateRoom`, {
    method: "POST",
    headers: { ...headers({ skipAuth: true, webhooks }), Authorization: `Bearer ${await signToken({ identity: "alice" })}` },
    body: '{"name":"r"}',
  });
  await fetch(`${server.url(1)}/settings/regions`, { headers: headers({}) });
  const client = await connect(server.url(2), "/rtc", {
    token: await signToken({
      identity: "alice",
      video: { roomJoin: true, room: "r" },
      attributes: { "lk.mock": JSON.stringify({ journal: key }) },
    }),
  });
  await client.next();
  client.send({ case: "ping", value: 1n });
  client.ws.send("not a signal request");
  client.send({ case: "leave", value: {} });
  await client.closed;
  await fetch(`${server.url(3)}/rtc/validate`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = (await (await fetch(`${server.url(0)}/_test/journal/${key}`)).json()) as { entries: Record<string, unknown>[] };
    const kinds = new Set(answer.entries.map((e) => String(e["kind"])));
    const events = new Set(answer.entries.map((e) => String(e["event"])));
    if ((["twirp", "regions", "webhook", "signal"].every((k) => kinds.has(k)) && events.has("closed")) || Date.now() > deadline) {
      return { entryKeys: new Set(answer.entries.flatMap((e) => Object.keys(e))), answerKeys: new Set(Object.keys(answer)) };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// ---- processes --------------------------------------------------------------------------------

interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly output: string;
  /** Kills what the command left running in its process group. */
  readonly killLeftovers: () => void;
}

/**
 * Runs a command in a process group of its own. What it leaves running there is killed when it
 * times out, and otherwise by the caller (`killLeftovers`), after it has looked at it.
 */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number, cwd = work): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let output = "";
    const killGroup = (): void => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // Nothing left in the group.
      }
    };
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)`;
      killGroup();
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
      output += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => (output += d));
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, output, killLeftovers: killGroup });
    });
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
