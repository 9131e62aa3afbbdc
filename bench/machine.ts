// What a result was measured on and against: the header of every report.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, release } from "node:os";
import { BenchError } from "./bench-error.js";

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly kernel: string;
  readonly node: string;
  readonly wrk: string;
  /** livekit-server's version in test/conformance/oracle/go.mod. */
  readonly original: string;
  /** package.json `config.livekitProtocol`. */
  readonly protocol: string;
  /** The last commit that changed src/, i.e. the server code measured (dist/ is built from it). */
  readonly serverCommit: string;
}

const repo = (path: string): URL => new URL(`../${path}`, import.meta.url);

export function describeMachine(): Machine {
  const goMod = readFileSync(repo("test/conformance/oracle/go.mod"), "utf8");
  const packageJson = JSON.parse(readFileSync(repo("package.json"), "utf8")) as { config?: { livekitProtocol?: string } };
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
    cores: cpus().length,
    kernel: `${process.platform === "linux" ? "Linux" : process.platform} ${release()}`,
    node: process.version,
    wrk: wrkVersion(),
    original: /github\.com\/livekit\/livekit-server (v\S+)/.exec(goMod)?.[1] ?? "unknown",
    protocol: packageJson.config?.livekitProtocol ?? "unknown",
    serverCommit: serverCommit(),
  };
}

function serverCommit(): string {
  const git = (...args: string[]): string => spawnSync("git", args, { cwd: repo(""), encoding: "utf8" }).stdout?.trim() ?? "";
  const commit = git("log", "-1", "--format=%h", "--", "src");
  if (commit === "") return "unknown";
  return git("status", "--porcelain", "--", "src") === "" ? commit : `${commit} with uncommitted changes`;
}

/** Throws a clear error when wrk is not installed. */
export function wrkVersion(): string {
  const result = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  if (result.error !== undefined) {
    throw new BenchError("wrk is not installed (Debian/Ubuntu: apt-get install wrk; elsewhere see https://github.com/wg/wrk)");
  }
  return /wrk (\S+)/.exec(result.stdout + result.stderr)?.[1] ?? "unknown";
}
