// `npm run bench`: the speed and memory targets, measured against the built server as CI boots it
// (a separate process, loopback only, bounded in time). Prints one line per measure and exits 1
// if a target is missed.
import { spawn, spawnSync } from "node:child_process";
import { Agent, request } from "node:http";
import { SignJWT } from "jose";
import { freePorts } from "../test/support/free-ports.js";

const cli = new URL("../dist/bin/cli.mjs", import.meta.url).pathname;
const targets = {
  /** Start-to-ready beyond a bare `node` start. */
  startOverheadMs: 150,
  throughputRps: 8000,
  p99Ms: 25,
  rssMb: 200,
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function timeNodeFloor(): number {
  const started = performance.now();
  spawnSync(process.execPath, ["-e", "process.stdout.write('ok')"]);
  return performance.now() - started;
}

async function timeStartToReady(ports: number[]): Promise<number> {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, "--ports", ports.join(","), "--bind", "127.0.0.1", "--log-level", "silent"]);
  await new Promise<void>((resolve, reject) => {
    let seen = 0;
    child.stdout.on("data", (chunk: Buffer) => {
      seen += chunk.toString().split("listening on").length - 1;
      if (seen >= ports.length) resolve();
    });
    child.once("exit", (code) => reject(new Error(`server exited with ${code}`)));
  });
  const elapsed = performance.now() - started;
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("close", resolve));
  return elapsed;
}

async function load(port: number, seconds: number, concurrency: number): Promise<{ rps: number; p50: number; p99: number }> {
  const token = await new SignJWT({ video: { roomCreate: true } })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("devkey")
    .setExpirationTime("10m")
    .sign(new TextEncoder().encode("secret"));
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const body = JSON.stringify({ name: "bench-room", metadata: "m", emptyTimeout: 30 });
  const latencies: number[] = [];
  const deadline = performance.now() + seconds * 1000;
  const one = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const started = performance.now();
      const req = request(
        {
          agent,
          host: "127.0.0.1",
          port,
          method: "POST",
          path: "/twirp/livekit.RoomService/CreateRoom",
          headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}`, "Content-Length": Buffer.byteLength(body) },
        },
        (res) => {
          res.resume();
          res.on("end", () => {
            if (res.statusCode !== 200) reject(new Error(`status ${res.statusCode}`));
            latencies.push(performance.now() - started);
            resolve();
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) await one();
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsed = (performance.now() - started) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / elapsed,
    p50: latencies[Math.floor(latencies.length * 0.5)]!,
    p99: latencies[Math.floor(latencies.length * 0.99)]!,
  };
}

function rssMb(pid: number): number {
  const status = spawnSync("cat", [`/proc/${pid}/status`], { encoding: "utf8" }).stdout;
  const match = /VmRSS:\s+(\d+) kB/.exec(status);
  return match === null ? NaN : Number(match[1]) / 1024;
}

const failures: string[] = [];
const check = (name: string, value: number, limit: number, higherIsBetter = false): void => {
  const ok = higherIsBetter ? value >= limit : value <= limit;
  console.log(`${ok ? "ok  " : "MISS"} ${name}: ${value.toFixed(1)} (target ${higherIsBetter ? "≥" : "≤"} ${limit})`);
  if (!ok) failures.push(name);
};

const floor = median(Array.from({ length: 7 }, timeNodeFloor));
const ports = await freePorts(4);
const ready: number[] = [];
for (let i = 0; i < 7; i++) ready.push(await timeStartToReady(ports));
console.log(`node floor (spawn to first output): ${floor.toFixed(1)} ms; start-to-ready median: ${median(ready).toFixed(1)} ms`);
check("start-to-ready overhead over node's floor, ms", median(ready) - floor, targets.startOverheadMs);

const server = spawn(process.execPath, [cli, "--ports", ports.join(","), "--bind", "127.0.0.1", "--log-level", "silent"]);
await new Promise<void>((resolve) => server.stdout.once("data", () => resolve()));
await new Promise((resolve) => setTimeout(resolve, 200));
await load(ports[0]!, 1, 16); // warm-up
const result = await load(ports[0]!, 5, 32);
console.log(
  `CreateRoom JSON with a cached token, 32 connections for 5 s: ${result.rps.toFixed(0)} req/s, p50 ${result.p50.toFixed(2)} ms, p99 ${result.p99.toFixed(2)} ms`,
);
check("throughput, requests/s", result.rps, targets.throughputRps, true);
check("p99 latency, ms", result.p99, targets.p99Ms);
check("server RSS after load, MiB", rssMb(server.pid!), targets.rssMb);
server.kill("SIGTERM");

if (failures.length > 0) {
  console.error(`bench: missed ${failures.join(", ")}`);
  process.exit(1);
}
