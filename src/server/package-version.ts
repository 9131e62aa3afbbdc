// The package's version, for `--version`, from the package's own package.json: two folders above
// the bundled bin (dist/bin/ in the npm package and in the image, which copies package.json beside
// dist/) or the source file, three above the compiled file (dist/src/server/).
import { readFileSync } from "node:fs";

export function packageVersion(): string {
  for (const path of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(path, import.meta.url), "utf8")) as { name?: unknown; version?: unknown };
      if (pkg.name === "livekit-test-server" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // Not this layout; the next one.
    }
  }
  return "unknown";
}
