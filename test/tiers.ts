// Which tier each test file runs in. A file's tier is the one of the first rule its path matches,
// so a file-level rule goes above the rule for its folder. A test file no rule matches fails
// test/architecture/test-tiers.test.ts: a new folder must be placed here, on purpose.
//
// The rule of thumb (CONTRIBUTING.md, "Test tiers"):
// - unit: needs nothing but Node and the npm packages; unit tests and wire tests against our own
//   server. What a maintainer runs while editing.
// - docs: every block of the README and docs/ run or checked, and their links (needs the build).
// - fuzz: the fuzzing properties against an in-process server.
// - conformance: real SDKs and the original: Go, Python, Chromium, the oracle, SDK suites, and
//   tests held to the pinned protocol's Go sources.
// - ship: what users get: the npm package, the image, the CI recipes, the benchmark's smoke run.
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const tierNames = ["unit", "docs", "fuzz", "conformance", "ship"] as const;
export type Tier = (typeof tierNames)[number];

export interface TierRule {
  /** A path from the repository root; `*` matches within a path segment, `**` across segments. */
  readonly pattern: string;
  readonly tier: Tier;
  /** Why a file-level rule overrides its folder's tier. */
  readonly why?: string;
}

export const tierRules: readonly TierRule[] = [
  // Files that need more than their folder's tier has: a toolchain besides Node.
  { pattern: "test/**/livekit-client-*.test.ts", tier: "conformance", why: "livekit-client in Chromium" },
  { pattern: "test/webhooks/sdk-receivers.test.ts", tier: "conformance", why: "the Go and Python SDKs' receivers" },
  { pattern: "test/webhooks/go-protojson.test.ts", tier: "conformance", why: "the pinned protocol's Go encoder" },
  { pattern: "test/webhooks/event-names.test.ts", tier: "conformance", why: "the pinned protocol's Go webhook package" },
  { pattern: "test/codegen/pinned-protocol.test.ts", tier: "conformance", why: "fetches the pinned protocol with Go" },
  { pattern: "test/codegen/bump-cli.test.ts", tier: "conformance", why: "asks the Go module proxy for protocol versions with Go" },
  {
    pattern: "test/docs/ci-files.test.ts",
    tier: "ship",
    why: "the CI files users copy, checked with Go's actionlint and Python's Testcontainers",
  },

  { pattern: "test/architecture/**", tier: "unit" },
  { pattern: "test/auth/**", tier: "unit" },
  { pattern: "test/codegen/**", tier: "unit" },
  { pattern: "test/control/**", tier: "unit" },
  { pattern: "test/http/**", tier: "unit" },
  { pattern: "test/journal/**", tier: "unit" },
  { pattern: "test/server/**", tier: "unit" },
  { pattern: "test/shared/**", tier: "unit" },
  { pattern: "test/signal/**", tier: "unit" },
  { pattern: "test/soak/**", tier: "unit" },
  { pattern: "test/state/**", tier: "unit" },
  { pattern: "test/twirp/**", tier: "unit" },
  { pattern: "test/webhooks/**", tier: "unit" },

  { pattern: "test/docs/**", tier: "docs" },

  { pattern: "test/fuzz/**", tier: "fuzz" },

  { pattern: "test/conformance/**", tier: "conformance" },
  { pattern: "test/e2e/**", tier: "conformance" },

  { pattern: "test/ship/**", tier: "ship" },
  { pattern: "test/bench/**", tier: "ship" },
];

const repoRoot = fileURLToPath(new URL("../", import.meta.url));

/** Every `*.test.ts` under test/, as paths from the repository root, sorted. */
export function testFiles(root: string = repoRoot): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith(".test.ts")) found.push(relative(root, path));
    }
  };
  walk(join(root, "test"));
  return found.sort();
}

export function globToRegExp(pattern: string): RegExp {
  let source = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else source += c.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

const compiled = tierRules.map((rule) => ({ rule, regexp: globToRegExp(rule.pattern) }));

/** The rule that places `file` (a path from the repository root), or undefined. */
export function ruleFor(file: string): TierRule | undefined {
  return compiled.find(({ regexp }) => regexp.test(file))?.rule;
}

/** The files of one tier, sorted. */
export function filesOf(tier: Tier, files: readonly string[] = testFiles()): string[] {
  return files.filter((file) => ruleFor(file)?.tier === tier);
}
