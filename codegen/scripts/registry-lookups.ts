// The newest published version of a package, asked of its registry with the registry's ordinary
// client: the Go proxy through `go`, npm through `npm view`, PyPI through `pip index versions`,
// Maven Central through `mvn` (the versions plugin, on a throwaway pom). Each lookup fails alone,
// with the client's own words, so one unreachable registry does not hide the others' answers.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import type { NewestVersion as Newest } from "../describe-versions.js";
import { newestRelease } from "../module-version.js";

const run = promisify(execFile);
const timeout = 180_000;

async function output(command: string, args: readonly string[], cwd = tmpdir()): Promise<string> {
  try {
    return (await run(command, args, { cwd, timeout, encoding: "utf8", maxBuffer: 16 << 20 })).stdout;
  } catch (err) {
    const { stderr, stdout } = err as { stderr?: string; stdout?: string };
    const said = `${stderr ?? ""}\n${stdout ?? ""}`.trim().split("\n").filter(Boolean).at(-1);
    throw new Error(`${command} ${args.join(" ")} failed: ${said ?? String(err)}`);
  }
}

/** Newest release on the Go proxy; for a newer one, any `replace` of its go.mod the proxy cannot serve. */
export async function newestGoModule(module: string): Promise<Newest> {
  const versions = (await output("go", ["list", "-m", "-versions", module])).trim().split(/\s+/).slice(1);
  const version = newestRelease(versions);
  if (version === undefined) throw new Error(`the Go proxy lists no release of ${module}`);
  return { version, notes: await unservedReplacements(module, version) };
}

// A module's own `replace` lines do not apply to those who require it, but they say which forks
// its code was built against: when the proxy cannot serve one, the version may not build here.
async function unservedReplacements(module: string, version: string): Promise<string[]> {
  const info = JSON.parse(await output("go", ["mod", "download", "-json", `${module}@${version}`])) as { GoMod?: string };
  if (info.GoMod === undefined) return [];
  const notes: string[] = [];
  for (const [, from, to, toVersion] of readFileSync(info.GoMod, "utf8").matchAll(
    /^\s*(?:replace\s+)?(\S+)(?:\s+\S+)?\s+=>\s+(\S+)\s+(v\S+)/gm,
  )) {
    const refused = await goDownloadError(`${to}@${toVersion}`);
    if (refused !== undefined)
      notes.push(`its go.mod replaces ${from} with ${to} ${toVersion}, which the Go proxy does not serve (${refused})`);
  }
  return notes;
}

/** The npm `latest` tag, with the Node versions it declares it needs. */
export async function newestNpmPackage(name: string): Promise<Newest> {
  // With one of the two fields absent, npm prints the other alone, not an object.
  const parsed = JSON.parse(await output("npm", ["view", name, "version", "engines", "--json"])) as unknown;
  const view = (typeof parsed === "string" ? { version: parsed } : parsed) as { version?: string; engines?: { node?: string } };
  if (view.version === undefined) throw new Error(`npm view ${name} names no version`);
  return { version: view.version, notes: view.engines?.node === undefined ? [] : [`engines.node ${view.engines.node}`] };
}

/** The newest release pip would pick. */
export async function newestPypiPackage(name: string): Promise<Newest> {
  const text = await output("python3", ["-m", "pip", "index", "versions", name, "--disable-pip-version-check"]);
  const version = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} \\(([^)]+)\\)`, "m").exec(text)?.[1];
  if (version === undefined) throw new Error(`pip index versions ${name} names no version`);
  return { version, notes: [] };
}

/** The newest release Maven's versions plugin offers for `group:artifact`. */
export async function newestMavenArtifact(coordinates: string): Promise<Newest> {
  const [group, artifact] = coordinates.split(":");
  const dir = mkdtempSync(join(tmpdir(), "lk-maven-probe-"));
  try {
    // Version 0 is below every release, so the plugin always names the newest as an update.
    writeFileSync(
      join(dir, "pom.xml"),
      `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>probe</groupId><artifactId>probe</artifactId><version>0</version><packaging>pom</packaging>
<dependencies><dependency><groupId>${group}</groupId><artifactId>${artifact}</artifactId><version>0</version></dependency></dependencies>
</project>\n`,
    );
    const text = await output("mvn", ["-B", "-ntp", "org.codehaus.mojo:versions-maven-plugin:2.18.0:display-dependency-updates"], dir);
    const version = new RegExp(`${coordinates.replace(/[.]/g, "\\.")} \\.*\\s*0 -> (\\S+)`).exec(text)?.[1];
    if (version === undefined) throw new Error(`mvn versions:display-dependency-updates names no version of ${coordinates}`);
    return { version, notes: [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Why `go mod download` cannot fetch a module version (its JSON's Error, first line), or undefined. */
async function goDownloadError(moduleAtVersion: string): Promise<string | undefined> {
  try {
    await run("go", ["mod", "download", "-json", moduleAtVersion], { cwd: tmpdir(), timeout, encoding: "utf8" });
    return undefined;
  } catch (err) {
    const stdout = (err as { stdout?: string }).stdout ?? "";
    let reason: string;
    try {
      reason = String((JSON.parse(stdout) as { Error?: unknown }).Error ?? stdout);
    } catch {
      reason = stdout || String(err);
    }
    // "…: reading https://…/@v/x.info: 403 Forbidden\n\tserver response: …": the status is the point.
    return reason.split("\n")[0]!.replace(/^.*: (?=\d{3} )/, "");
  }
}
