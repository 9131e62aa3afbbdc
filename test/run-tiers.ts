// Runs test tiers (test/tiers.ts) one after the other with Node's test runner, whatever fails,
// and prints how long each took. `npm test` runs them all; `npm run test:<tier>` one.
//
//   node --import tsx test/run-tiers.ts <tier>... [<node --test options>]
//   node --import tsx test/run-tiers.ts all --test-reporter=dot
//   npm run test:unit -- --test-name-pattern=journal
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { filesOf, tierNames, type Tier } from "./tiers.js";

/**
 * Files run in parallel within a tier where they mostly wait (timers, sockets): the unit tier's
 * files spend most of their time in delays the server is asked for. The toolchain suites and the
 * image build use every core themselves, so they run one at a time.
 */
const concurrency: Record<Tier, number> = {
  unit: Math.max(4, availableParallelism() * 2),
  docs: 1,
  fuzz: 1,
  conformance: 1,
  ship: 1,
};

const repoRoot = fileURLToPath(new URL("../", import.meta.url));

/** Tier names, then options for `node --test` (anything starting with `--`, or after a lone `--`). */
function parseArgs(argv: readonly string[]): { tiers: Tier[]; passThrough: string[] } {
  const dash = argv.indexOf("--");
  const before = dash === -1 ? argv : argv.slice(0, dash);
  const names = before.filter((arg) => !arg.startsWith("--"));
  const passThrough = [...before.filter((arg) => arg.startsWith("--")), ...(dash === -1 ? [] : argv.slice(dash + 1))];
  if (names.length === 0) throw new Error(`name a tier: ${tierNames.join(", ")} or all`);
  const tiers = names.flatMap((name) => {
    if (name === "all") return [...tierNames];
    if (!(tierNames as readonly string[]).includes(name)) throw new Error(`unknown tier "${name}": tiers are ${tierNames.join(", ")}`);
    return [name as Tier];
  });
  return { tiers, passThrough };
}

function runTier(tier: Tier, passThrough: readonly string[]): Promise<number> {
  const files = filesOf(tier);
  const reporter = passThrough.some((arg) => arg.startsWith("--test-reporter")) ? [] : ["--test-reporter=spec"];
  const args = ["--import", "tsx", "--test", `--test-concurrency=${concurrency[tier]}`, ...reporter, ...passThrough, ...files];
  console.log(`== test:${tier}: ${files.length} files`);
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: "inherit" });
  return new Promise((resolve) => child.on("close", (code, signal) => resolve(code ?? (signal === null ? 1 : 128))));
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`run-tiers: ${(err as Error).message}`);
    process.exit(2);
  }
  const results: { tier: Tier; code: number; ms: number }[] = [];
  for (const tier of parsed.tiers) {
    const started = performance.now();
    const code = await runTier(tier, parsed.passThrough);
    const ms = performance.now() - started;
    results.push({ tier, code, ms });
    console.log(`== test:${tier}: ${code === 0 ? "passed" : `failed (exit ${code})`} in ${seconds(ms)}`);
  }
  if (results.length > 1) {
    console.log("== tiers:");
    for (const { tier, code, ms } of results) console.log(`   ${tier.padEnd(12)} ${code === 0 ? "passed" : "FAILED"}  ${seconds(ms)}`);
  }
  process.exitCode = results.every((r) => r.code === 0) ? 0 : 1;
}

await main();
