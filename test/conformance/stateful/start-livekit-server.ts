// Builds (cached) and starts the REAL LiveKit server, the stateful mode's reference, on free
// loopback ports: `--dev` (devkey / secret), its RTC ports and a redis-server of its own chosen
// free so that parallel runs never collide, and a webhook URL when a test receives events. The
// binary comes from test/conformance/livekit-server/build.sh (see NOTES.md there).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createSocket } from "node:dgram";
import { once } from "node:events";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const here = dirname(fileURLToPath(import.meta.url));
const buildScript = join(here, "..", "livekit-server", "build.sh");

export interface RunningLivekitServer {
  readonly url: string;
  close(): Promise<void>;
}

export interface LivekitServerOptions {
  /** Where the server posts its webhooks (signed for devkey with secret). */
  readonly webhookUrl?: string;
}

/** Builds the binary if it is missing or stale; fails loudly when Go is not installed. */
export async function buildLivekitServer(): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)("bash", [buildScript], { maxBuffer: 16 * 1024 * 1024 });
    const binary = stdout.trim().split("\n").pop();
    if (binary === undefined || binary === "") throw new Error("build.sh printed no binary path");
    return binary;
  } catch (err) {
    const detail = err as { stderr?: string; message: string };
    throw new Error(`cannot build the real LiveKit server with ${buildScript} (is Go installed?): ${detail.stderr ?? detail.message}`);
  }
}

export async function startLivekitServer(options: LivekitServerOptions = {}): Promise<RunningLivekitServer> {
  const binary = await buildLivekitServer();
  const dir = await mkdtemp(join(tmpdir(), "livekit-server-"));
  let lastError = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const [http, rtcTcp, rtcUdp, redisPort] = await freePorts(4);
    const redis = await startRedis(redisPort!).catch((err: Error) => {
      lastError = err.message;
      return undefined;
    });
    if (redis === undefined) continue;
    const config = [
      "rtc:",
      `  tcp_port: ${rtcTcp}`,
      `  udp_port: ${rtcUdp}`,
      "  use_external_ip: false",
      ...(options.webhookUrl === undefined ? [] : ["webhook:", "  api_key: devkey", "  urls:", `    - ${options.webhookUrl}`]),
    ].join("\n");
    const configFile = join(dir, `config-${attempt}.yaml`);
    await writeFile(configFile, `${config}\n`);
    const child = spawn(
      binary,
      [
        "--dev",
        "--bind",
        "127.0.0.1",
        "--port",
        String(http),
        "--node-ip",
        "127.0.0.1",
        "--redis-host",
        `127.0.0.1:${redisPort}`,
        "--config",
        configFile,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    let output = "";
    const keep = (chunk: Buffer): void => {
      // The server logs at debug level in dev mode; the tail is what explains a failure.
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    const exited = once(child, "exit");
    const url = `http://127.0.0.1:${http}`;
    if (await waitHealthy(url, exited)) {
      return {
        url,
        close: async () => {
          await stop(child, exited);
          await redis.close();
          await rm(dir, { recursive: true, force: true });
        },
      };
    }
    await stop(child, exited);
    await redis.close();
    lastError = output;
  }
  await rm(dir, { recursive: true, force: true });
  throw new Error(`the real LiveKit server did not start:\n${lastError}`);
}

async function stop(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

interface RunningRedis {
  close(): Promise<void>;
}

/** A redis-server on loopback with nothing saved to disk, ready once it says so. */
async function startRedis(port: number): Promise<RunningRedis> {
  const child = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = once(child, "exit");
  let output = "";
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), 10_000);
    child.on("error", (err) => {
      output += `cannot run redis-server (install Debian's redis-server): ${err.message}`;
      clearTimeout(timer);
      resolve(false);
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve(true);
      }
    });
    child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    void exited.then(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
  if (!ready) {
    await stop(child, exited);
    throw new Error(`redis-server did not start on port ${port}:\n${output}`);
  }
  return { close: () => stop(child, exited) };
}

async function waitHealthy(url: string, exited: Promise<unknown>): Promise<boolean> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline && !gone) {
    const ok = await fetch(url).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

/** Ports in 20000–39999 free right now for both TCP and UDP on loopback. */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  while (ports.length < count) {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    if (!ports.includes(port) && (await tcpFree(port)) && (await udpFree(port))) ports.push(port);
  }
  return ports;
}

function tcpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

function udpFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createSocket("udp4");
    probe.once("error", () => {
      probe.close();
      resolve(false);
    });
    probe.bind(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}
