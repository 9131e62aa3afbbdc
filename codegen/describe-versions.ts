// The lines `npm run check:protocol` prints: a pin beside what its registry offers. Pure, so the
// wording for "behind", "the newest" and "the registry did not answer" is tested without a network.
import { compareVersions, releasesAfter } from "./module-version.js";

export interface Pin {
  readonly version: string;
  /** The file (and anything else) that pins it. */
  readonly where: string;
}

export interface NewestVersion {
  readonly version: string;
  /** What the newest version needs or lacks that decides whether the suite can take it. */
  readonly notes: readonly string[];
}

export function describeProtocol(module: string, pin: string, versions: readonly string[] | Error): string {
  const head = `${module} (Go module proxy): pinned ${pin} (package.json config.livekitProtocol)`;
  if (versions instanceof Error) return `${head}; newer versions unknown: ${versions.message}`;
  const newer = releasesAfter(versions, pin);
  return newer.length === 0
    ? `${head}, the newest release`
    : `${head}; released since: ${newer.join(", ")} — run \`npm run bump -- latest\``;
}

export function describeSdk(name: string, registry: string, pins: readonly Pin[], newest: NewestVersion | Error): string {
  const pinned = pins.length === 0 ? "not in the suite yet" : `pinned ${pins.map((p) => `${p.version} (${p.where})`).join(", ")}`;
  const head = `${name} (${registry}): ${pinned}`;
  if (newest instanceof Error) return `${head}; newest unknown: ${newest.message}`;
  const behind = pins.length === 0 || pins.some((p) => compareVersions(p.version, newest.version) < 0);
  return `${head}; ${[behind ? `newest ${newest.version}` : `the newest (${newest.version})`, ...newest.notes].join("; ")}`;
}
