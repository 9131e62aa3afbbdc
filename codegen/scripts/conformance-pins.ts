// What the conformance suite pins each SDK to, read from the files that pin it: go.mod files, the
// npm lock file, a pip requirements file, and a Gradle or Maven build (the Kotlin suite's).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import type { Pin } from "../describe-versions.js";
import { repoRoot, requiredVersion } from "./protocol-pin.js";

export function goPins(module: string, dirs: readonly string[]): Pin[] {
  return dirs.flatMap((dir) => {
    const version = requiredVersion(dir, module);
    return version === undefined ? [] : [{ version, where: `${dir}/go.mod` }];
  });
}

/** What is installed (the lock file's choice), and the range package.json allows. */
export function npmPins(name: string): Pin[] {
  const pkg = JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")) as { devDependencies?: Record<string, string> };
  const range = pkg.devDependencies?.[name];
  if (range === undefined) return [];
  const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as { packages?: Record<string, { version?: string }> };
  const locked = lock.packages?.[`node_modules/${name}`]?.version ?? range;
  return [{ version: locked, where: `package-lock.json; package.json ${range}` }];
}

export function requirementPins(name: string, file: string): Pin[] {
  const version = new RegExp(`^${name}==(\\S+)`, "m").exec(readFileSync(join(repoRoot, file), "utf8"))?.[1];
  return version === undefined ? [] : [{ version, where: file }];
}

/** A Gradle coordinate (`group:artifact:version`) or a pom.xml dependency, in any build file under `root`. */
export function mavenPins(group: string, artifact: string, root: string): Pin[] {
  if (!existsSync(root)) return [];
  const coordinate = new RegExp(`${group.replace(/\./g, "\\.")}:${artifact}:([\\w.\\-]+)`);
  const pom = new RegExp(`<artifactId>${artifact}</artifactId>\\s*<version>([^<$]+)</version>`);
  const pins: Pin[] = [];
  for (const file of filesUnder(root)) {
    if (!/\.(kts|gradle|xml|toml)$/.test(file)) continue;
    const text = readFileSync(file, "utf8");
    const version = coordinate.exec(text)?.[1] ?? pom.exec(text)?.[1];
    if (version !== undefined) pins.push({ version, where: relative(repoRoot, file) });
  }
  return pins;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    if (name === "build" || name === "target" || name.startsWith(".")) return [];
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}
