// Builds (cached) and starts the ORIGINAL Go test server on four free loopback ports, for parity
// runs against ours. The binary comes from test/conformance/oracle/build.sh (see oracle/NOTES.md).
import { spawn, execFile } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const buildScript = join(here, "..", "oracle", "build.sh");

export interface RunningOracle {
  readonly ports: readonly number[];
  url(index?: number): string;
  close(): Promise<void>;
}

/** Builds the oracle binary if it is missing or stale; fails loudly when Go is not installed. */
export async function buildOracle(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("bash", [buildScript], { maxBuffer: 16 * 1024 * 1024 });
    const binary = stdout.trim().split("\n").pop();
    if (binary === undefined || binary === "") throw new Error("build.sh printed no binary path");
    return binary;
  } catch (err) {
    const detail = err as { stderr?: string; message: string };
    throw new Error(`cannot build the original test server with ${buildScript} (is Go installed?): ${detail.stderr ?? detail.message}`);
  }
}

export async function startOracle(regionCount = 4): Promise<RunningOracle> {
  const binary = await buildOracle();
  let lastError = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const ports = await freePorts(regionCount);
    const child = spawn(
      binary,
      ["--ports", ports.join(","), "--bind", "127.0.0.1", "--advertise-host", "http://127.0.0.1", "--api-secret", "secret"],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, "exit");
    const healthy = await waitHealthy(ports, exited);
    if (healthy) {
      return {
        ports,
        url: (index = 0) => `http://127.0.0.1:${ports[index]!}`,
        close: async () => {
          if (child.exitCode !== null || child.signalCode !== null) return;
          child.kill("SIGTERM");
          await exited;
        },
      };
    }
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
    lastError = output;
  }
  throw new Error(`the original test server did not start:\n${lastError}`);
}

async function waitHealthy(ports: readonly number[], exited: Promise<unknown>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  // Generous: a Go binary starting on a busy machine; a start that fails exits, which ends it early.
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && !gone) {
    const results = await Promise.all(
      ports.map((port) =>
        fetch(`http://127.0.0.1:${port}/_test/health`).then(
          (res) => res.status === 200,
          () => false,
        ),
      ),
    );
    if (results.every(Boolean)) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Ports in 20000–39999 that are free right now (checked by binding them on loopback). */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (!ports.includes(port) && (await isFree(port))) ports.push(port);
  }
  return ports;
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}
