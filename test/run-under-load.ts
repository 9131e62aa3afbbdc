// Runs tests several times while every core is kept busy by a spinning process, as a shared CI
// machine is: a test that waits for a fixed window instead of an event fails here first.
//
//   npm run test:under-load                          # the unit tier, 3 times, one spinner per core
//   npm run test:under-load -- all                   # every tier
//   npm run test:under-load -- --runs 5 test/twirp/fail-plans.test.ts test/webhooks/webhook-notifier.test.ts
//   npm run test:under-load -- --busy 4 unit fuzz    # more spinners than cores
import { spawn, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { tierNames } from "./tiers.js";

const repoRoot = fileURLToPath(new URL("../", import.meta.url));

interface Options {
  readonly runs: number;
  readonly busy: number;
  /** Tier names for run-tiers.ts, or test files for node --test. */
  readonly targets: readonly string[];
}

function parseArgs(argv: readonly string[]): Options {
  let runs = 3;
  let busy = availableParallelism();
  const targets: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes("=") ? arg.split("=", 2) : [arg, undefined];
    if (flag === "--runs" || flag === "--busy") {
      const value = Number(inline ?? argv[++i]);
      if (!Number.isInteger(value) || value < (flag === "--runs" ? 1 : 0)) throw new Error(`invalid ${flag}: ${inline ?? argv[i]}`);
      if (flag === "--runs") runs = value;
      else busy = value;
    } else if (arg.startsWith("--")) throw new Error(`unknown flag ${arg}`);
    else targets.push(arg);
  }
  const tiers = targets.filter((t) => t === "all" || (tierNames as readonly string[]).includes(t));
  if (tiers.length > 0 && tiers.length !== targets.length) throw new Error("name tiers or test files, not both");
  return { runs, busy, targets: targets.length === 0 ? ["unit"] : targets };
}

// A core kept busy. It also stops by itself once this runner is gone, even if the runner was
// killed without a chance to stop it: its parent then changes (checked every few hundred ms).
const spin =
  "const parent = Number(process.argv[1]); for (let i = 1; ; i++) if ((i & 0xfffffff) === 0 && process.ppid !== parent) process.exit();";

function run(command: readonly string[]): Promise<number> {
  const child = spawn(process.execPath, command, { cwd: repoRoot, stdio: "inherit" });
  return new Promise((resolve) => child.on("close", (code) => resolve(code ?? 1)));
}

async function main(): Promise<void> {
  let options: Options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`test:under-load: ${(err as Error).message}`);
    process.exit(2);
  }
  const byTier = options.targets.every((t) => t === "all" || (tierNames as readonly string[]).includes(t));
  const command = byTier
    ? ["--import", "tsx", "test/run-tiers.ts", ...options.targets, "--", "--test-reporter=dot"]
    : ["--import", "tsx", "--test", "--test-reporter=dot", ...options.targets];

  const spinners: ChildProcess[] = [];
  const stopSpinners = (): void => {
    for (const spinner of spinners) if (spinner.exitCode === null) spinner.kill("SIGKILL");
  };
  process.once("exit", stopSpinners);
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      stopSpinners();
      process.exit(130);
    });
  }
  for (let i = 0; i < options.busy; i++) {
    spinners.push(spawn(process.execPath, ["-e", spin, String(process.pid)], { stdio: "ignore" }));
  }
  console.log(
    `== under load: ${options.busy} spinning processes (pids ${spinners.map((s) => s.pid).join(", ")}) on ${availableParallelism()} cores`,
  );

  const results: { code: number; ms: number }[] = [];
  try {
    for (let i = 1; i <= options.runs; i++) {
      console.log(`== under load: run ${i} of ${options.runs}: ${options.targets.join(" ")}`);
      const started = performance.now();
      const code = await run(command);
      results.push({ code, ms: performance.now() - started });
      console.log(
        `== under load: run ${i} ${code === 0 ? "passed" : `failed (exit ${code})`} in ${(results.at(-1)!.ms / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    stopSpinners();
  }
  const failed = results.filter((r) => r.code !== 0).length;
  console.log(`== under load: ${results.length - failed} of ${results.length} runs passed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

await main();
