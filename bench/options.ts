// Command-line options of `npm run bench -- …`.
import { BenchError } from "./bench-error.js";

export interface Options {
  readonly againstOriginal: boolean;
  readonly smoke: boolean;
  readonly rounds: number;
  /** Measured seconds per wrk run. */
  readonly seconds: number;
  /** Names of the measures to run; undefined runs them all. */
  readonly scenarios: readonly string[] | undefined;
  readonly write: boolean;
  readonly profile: string | undefined;
  readonly note: string | undefined;
  readonly help: boolean;
}

export const usage = `usage: npm run bench -- [options]

  --against-original   also run the original Go test server (built by test/conformance/oracle/build.sh,
                       needs Go) and judge the targets (bench/README.md); a run of every measure writes
                       bench/results/latest.md
  --smoke              every measure for a fraction of a second, one round, small counts, pinned
                       placement only, no targets judged: proves the harness works
  --rounds N           rounds of every measure (default 5; smoke 1)
  --seconds N          measured seconds per wrk run, fractions allowed (default 5; smoke 0.3)
  --scenarios a,b      only these measures (names below)
  --profile NAME       run our server under node --cpu-prof for one pinned wrk scenario and print
                       the 25 functions with the most self time
  --note TEXT          a line for the report's header (e.g. what else the machine was doing)
  --no-write           do not write bench/results/latest.md
  --help               this text

Measures: create-room-json, create-room-json-new-token, create-room-protobuf, list-rooms-skip-auth,
settings-regions, failing-region (wrk; pinned and unpinned), http-layer (create-room-json,
settings-regions and failing-region on ours and on ours mounted on node:http; pinned and unpinned),
start, idle-rss, burst, signal, isolation, head-cpu, chunk-rss, flood-pipeline, flood-heads.`;

export function parseOptions(argv: readonly string[]): Options {
  const flags = new Map<string, string | true>();
  const valued = new Set(["--rounds", "--seconds", "--scenarios", "--profile", "--note"]);
  const switches = new Set(["--against-original", "--smoke", "--no-write", "--help", "-h"]);
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const equals = arg.indexOf("=");
    const name = equals === -1 ? arg : arg.slice(0, equals);
    if (switches.has(name) && equals === -1) flags.set(name, true);
    else if (valued.has(name)) {
      const value = equals === -1 ? argv[++i] : arg.slice(equals + 1);
      if (value === undefined || value === "") throw new BenchError(`${name} needs a value`);
      flags.set(name, value);
    } else throw new BenchError(`unknown option ${arg} (see --help)`);
  }
  const smoke = flags.has("--smoke");
  const number = (name: string, fallback: number, integer: boolean): number => {
    const value = flags.get(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!(parsed > 0) || (integer && !Number.isInteger(parsed)))
      throw new BenchError(`${name} must be a positive ${integer ? "integer" : "number"}, got ${String(value)}`);
    return parsed;
  };
  const text = (name: string): string | undefined => {
    const value = flags.get(name);
    return typeof value === "string" ? value : undefined;
  };
  return {
    againstOriginal: flags.has("--against-original"),
    smoke,
    rounds: number("--rounds", smoke ? 1 : 5, true),
    seconds: number("--seconds", smoke ? 0.3 : 5, false),
    scenarios: text("--scenarios")
      ?.split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
    write: !flags.has("--no-write"),
    profile: text("--profile"),
    note: text("--note"),
    help: flags.has("--help") || flags.has("-h"),
  };
}
