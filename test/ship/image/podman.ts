// podman for the image tests: always with our engine settings (containers.conf beside this file),
// answering exit codes and output instead of throwing, so a test can assert on a failure.
import { spawn, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const containersConf = fileURLToPath(new URL("./containers.conf", import.meta.url));
export const podmanEnv: NodeJS.ProcessEnv = { ...process.env, CONTAINERS_CONF: containersConf };

export interface Ran {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
}

/** Why the image tests cannot run here, or undefined when they can. */
export function podmanMissing(): string | undefined {
  const probe = spawnSync("podman", ["--version"], { env: podmanEnv, encoding: "utf8" });
  if (probe.error !== undefined || probe.status !== 0) {
    return "podman is not installed (apt-get install podman runc uidmap busybox-static, as .ci/run does): the image is not built";
  }
  return undefined;
}

export function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = podmanEnv): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr, ms: performance.now() - started }));
  });
}

export function podman(...args: string[]): Promise<Ran> {
  return run("podman", args);
}

/** stdout of a podman command that must succeed. */
export async function mustPodman(...args: string[]): Promise<string> {
  const ran = await podman(...args);
  if (ran.code !== 0) throw new Error(`podman ${args.join(" ")} exited ${ran.code}: ${withoutSystemdNoise(ran.stderr)}`);
  return ran.stdout.trim();
}

/**
 * podman schedules health checks with systemd timers; without systemd (our machines) it says so on
 * every run and stop. Health is checked with `podman healthcheck run` instead, so those lines are
 * noise.
 */
export function withoutSystemdNoise(stderr: string): string {
  return stderr
    .split("\n")
    .filter((line) => line !== "" && !line.includes("systemd"))
    .join("\n");
}

export interface ContainerOptions {
  /** [host port, container port]; host ports are bound on 127.0.0.1 only. */
  readonly ports: readonly (readonly [number, number])[];
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
}

export async function startContainer(image: string, options: ContainerOptions): Promise<{ id: string; startedAt: number }> {
  const args = ["run", "--detach"];
  for (const [host, container] of options.ports) args.push("--publish", `127.0.0.1:${host}:${container}`);
  for (const [name, value] of Object.entries(options.env ?? {})) args.push("--env", `${name}=${value}`);
  const startedAt = performance.now();
  const id = await mustPodman(...args, image, ...(options.args ?? []));
  return { id, startedAt };
}

/** Runs the image's own HEALTHCHECK command until it passes; ms since `since`. */
export async function waitHealthy(id: string, since: number, timeoutMs = 60_000): Promise<number> {
  let last: Ran | undefined;
  while (performance.now() - since < timeoutMs) {
    last = await podman("healthcheck", "run", id);
    if (last.code === 0) return performance.now() - since;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const logs = await podman("logs", id);
  throw new Error(
    `container ${id.slice(0, 12)} not healthy after ${timeoutMs} ms: ${last?.stdout}${withoutSystemdNoise(last?.stderr ?? "")}\nlogs:\n${logs.stdout}${logs.stderr}`,
  );
}

export async function removeContainer(id: string): Promise<void> {
  await podman("rm", "--force", "--time", "0", id);
}
