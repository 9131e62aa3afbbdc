// Version order for the registries the project pins from: Go modules (v1.54.1, pseudo-versions),
// npm (2.19.2), PyPI (1.2.2, 1.3.0rc1) and Maven (0.13.0). Pure. A release is a version with no
// pre-release part; only releases are offered as the newest, as each registry's client does.

/** Negative when a < b, positive when a > b, 0 when they are the same version. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parse(a), parse(b)];
  for (let i = 0; i < Math.max(x.numbers.length, y.numbers.length); i++) {
    const d = (x.numbers[i] ?? 0) - (y.numbers[i] ?? 0);
    if (d !== 0) return d;
  }
  // A pre-release sorts before its release (1.0.0-rc.1 < 1.0.0).
  if (x.pre === "" || y.pre === "") return (x.pre === "" ? 1 : 0) - (y.pre === "" ? 1 : 0);
  return x.pre < y.pre ? -1 : x.pre > y.pre ? 1 : 0;
}

export function isRelease(version: string): boolean {
  return parse(version).pre === "";
}

/** The highest release among `versions`, or undefined when there is none. */
export function newestRelease(versions: readonly string[]): string | undefined {
  return versions.filter(isRelease).sort(compareVersions).at(-1);
}

/** The releases after `current`, oldest first. */
export function releasesAfter(versions: readonly string[], current: string): string[] {
  return versions.filter((v) => isRelease(v) && compareVersions(v, current) > 0).sort(compareVersions);
}

function parse(version: string): { numbers: number[]; pre: string } {
  const match = /^v?(\d+(?:\.\d+)*)(.*)$/.exec(version.trim());
  if (match === null) return { numbers: [], pre: version };
  // "+incompatible" and other build metadata do not order versions.
  const pre = match[2]!.replace(/\+.*$/, "").replace(/^[-.]/, "");
  return { numbers: match[1]!.split(".").map(Number), pre };
}
