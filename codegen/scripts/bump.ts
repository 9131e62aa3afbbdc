// `npm run bump -- [latest | vX.Y.Z]`: moves the protocol pin, regenerates, and writes the change
// report (docs/protocol/<version>.md, linked from docs/changelog.md). It stops before generating
// when an RPC lacks a grant decision, naming each; run it again once they are decided. The version
// generated/ was built from is the "before", so a run that stopped can simply be repeated.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { buildChangeReport } from "../change-report.js";
import { withProtocolEntry } from "../changelog-entry.js";
import { grantTable } from "../grant-table.js";
import { latencyTable } from "../latency-table.js";
import { newestRelease } from "../module-version.js";
import { renderChangeReport } from "../render-change-report.js";
import { twirpCodeOfSipStatus } from "../../src/twirp/sip-status.js";
import { buildProtocol } from "./build-protocol.js";
import { goModuleVersions, protocolModule } from "./fetch-protocol.js";
import { goModulesFollowingPin, pinQuotes, readProtocolPin, repoRoot, requiredVersion, writeProtocolPin } from "./protocol-pin.js";

class BumpError extends Error {
  override name = "BumpError";
}

try {
  process.exitCode = bump(process.argv.slice(2));
} catch (err) {
  console.error(`bump: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
}

function bump(args: readonly string[]): number {
  if (args.length > 1) throw new BumpError(`expected one version (latest or vX.Y.Z), got ${args.join(" ")}`);
  const to = resolveVersion(args[0] ?? "latest");
  const from = generatedFrom();
  if (from === to && readProtocolPin() === to) {
    console.log(`bump: generated/ is already built from ${protocolModule} ${to}; nothing to do`);
    return 0;
  }
  console.log(`bump: ${protocolModule} ${from} → ${to}`);
  writeProtocolPin(to);
  for (const dir of goModulesFollowingPin) moveGoModule(dir, to);
  for (const quote of pinQuotes) requote(quote.file, quote.pattern, to);

  const before = buildProtocol(from);
  const after = buildProtocol(to);
  const report = buildChangeReport({
    from,
    to,
    before: before.registry,
    after: after.registry,
    goBefore: goReader(before.moduleDir),
    goAfter: goReader(after.moduleDir),
    grantTable,
    latencyTable,
    oursSip: twirpCodeOfSipStatus,
    oracleProtocol: requiredVersion("test/conformance/oracle", protocolModule) ?? "(unknown)",
  });
  const reportPath = join(repoRoot, "docs", "protocol", `${to}.md`);
  mkdirSync(join(repoRoot, "docs", "protocol"), { recursive: true });
  writeFileSync(reportPath, renderChangeReport(report));
  const changelogPath = join(repoRoot, "docs", "changelog.md");
  writeFileSync(changelogPath, withProtocolEntry(existsSync(changelogPath) ? readFileSync(changelogPath, "utf8") : undefined, from, to));

  if (report.undecided.length > 0) {
    console.error(`bump: stopped before generating: ${report.undecided.length} decision(s) the generator needs:`);
    for (const problem of report.undecided) console.error(`  - ${problem}`);
    console.error(`then run \`npm run bump -- ${to}\` again (the pin is ${to}; generated/ is still built from ${from})`);
    console.error(`the change report so far: ${relative(repoRoot, reportPath)}`);
    return 1;
  }
  execFileSync(process.execPath, ["--import", "tsx", "codegen/scripts/generate.ts"], { cwd: repoRoot, stdio: "inherit" });

  const changed = execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "--", "generated"], {
    cwd: repoRoot,
    encoding: "utf8",
  })
    .split("\n")
    .filter((line) => line.trim() !== "").length;
  console.log(
    `bump: generated/ regenerated (${changed} file(s) changed); change report: ${relative(repoRoot, reportPath)}, linked from docs/changelog.md`,
  );
  if (report.decisions.length === 0) console.log("bump: the report names nothing to decide");
  else {
    console.log(`bump: the report names ${report.decisions.length} decision(s):`);
    for (const decision of report.decisions) console.log(`  - ${decision}`);
  }
  console.log("next: npm run build, run the suites (README: Protocol bump), read the report, commit");
  return 0;
}

function resolveVersion(wanted: string): string {
  if (wanted !== "latest" && !/^v\d+\.\d+\.\d+(-[\w.]+)?$/.test(wanted)) {
    throw new BumpError(`expected latest or a version like v1.54.1, got ${JSON.stringify(wanted)}`);
  }
  const versions = goModuleVersions(protocolModule);
  if (wanted === "latest") {
    const newest = newestRelease(versions);
    if (newest === undefined) throw new BumpError(`the Go proxy lists no release of ${protocolModule}`);
    return newest;
  }
  if (!versions.includes(wanted)) {
    throw new BumpError(`${wanted} is not a published version of ${protocolModule} (newest: ${newestRelease(versions) ?? "none"})`);
  }
  return wanted;
}

/** The protocol version the committed generated/ was built from (its method table says). */
function generatedFrom(): string {
  const table = readFileSync(join(repoRoot, "generated", "mock", "method-table.ts"), "utf8");
  const version = /export const protocolVersion = "([^"]+)"/.exec(table)?.[1];
  if (version === undefined) throw new BumpError("generated/mock/method-table.ts names no protocolVersion: run `npm run generate` first");
  return version;
}

function moveGoModule(dir: string, version: string): void {
  const cwd = join(repoRoot, dir);
  try {
    execFileSync("go", ["get", `${protocolModule}@${version}`], { cwd, stdio: ["ignore", "pipe", "pipe"] });
    execFileSync("go", ["mod", "tidy"], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  } catch (err) {
    throw new BumpError(
      `moving ${dir} to ${protocolModule} ${version} failed: ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`,
    );
  }
  console.log(`bump: ${dir}/go.mod now requires ${protocolModule} ${version}`);
}

function requote(file: string, pattern: RegExp, version: string): void {
  const path = join(repoRoot, file);
  const text = existsSync(path) ? readFileSync(path, "utf8") : "";
  if (!pattern.test(text)) {
    console.warn(`bump: ${file} no longer quotes the pin where codegen/scripts/protocol-pin.ts expects it: update pinQuotes`);
    return;
  }
  writeFileSync(path, text.replace(pattern, `$1${version}$3`));
}

function goReader(moduleDir: string): (path: string) => string | undefined {
  return (path) => {
    const file = join(moduleDir, path);
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  };
}
