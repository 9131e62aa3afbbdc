// The benchmark harness runs end to end against both servers in seconds (`--smoke`). Speed is never
// asserted here: the numbers of a smoke run mean nothing, only that every measure produced some.
import assert from "node:assert/strict";
import { execFile, spawnSync } from "node:child_process";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
const wrkScenarios = [
  "create-room-json",
  "create-room-json-new-token",
  "create-room-protobuf",
  "list-rooms-skip-auth",
  "settings-regions",
  "failing-region",
];
const againstBare = ["start", "idle-rss"];
const againstOriginalOnly = ["burst", "signal", "isolation"];

/** The cells of every table row naming `name`, without the leading scenario cell. */
function rowsOf(report: string, name: string): string[][] {
  return report
    .split("\n")
    .filter((line) => line.startsWith("| ") && line.includes(`(\`${name}\`)`))
    .map((line) =>
      line
        .split("|")
        .slice(2, -1)
        .map((cell) => cell.trim()),
    );
}

const number = /^\d[\d,]*(\.\d+)?×?$/;

test("a smoke run of the bench prints numbers for our server and the original on every measure", { timeout: 900_000 }, async () => {
  const wrk = spawnSync("wrk", ["-v"]);
  assert.equal(wrk.error, undefined, "wrk is not installed: the bench needs it (apt-get install wrk; .ci/run installs it)");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "bench/run.ts", "--against-original", "--smoke", "--no-write"],
    { cwd: repoRoot, maxBuffer: 16 * 2 ** 20 },
  );
  for (const name of [...wrkScenarios, ...againstBare, ...againstOriginalOnly]) {
    const rows = rowsOf(stdout, name);
    assert.ok(rows.length > 0, `no row for ${name} in:\n${stdout}`);
    for (const cells of rows) {
      // ours, original, then bare Node where it was measured
      const count = againstBare.includes(name) ? 3 : 2;
      for (const cell of cells.slice(0, count)) assert.match(cell, number, `${name}: ${cells.join(" | ")}`);
    }
  }
});
