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
/** Measured on ours and on ours mounted on node:http, in a table of their own. */
const layerScenarios = ["create-room-json", "settings-regions", "failing-region"];
/** Measured on ours, the original and a bare node:http server. */
const againstBare = ["start", "idle-rss", "head-cpu", "chunk-rss", "flood-pipeline", "flood-heads"];
const againstOriginalOnly = ["burst", "signal", "isolation"];

/** The report's sections by heading (`## …`), each its lines. */
function sections(report: string): Map<string, string[]> {
  const found = new Map<string, string[]>();
  let current: string[] = [];
  for (const line of report.split("\n")) {
    if (line.startsWith("## ")) found.set(line.slice(3), (current = []));
    else current.push(line);
  }
  return found;
}

/** The cells of every table row naming `name`, without the leading scenario cell. */
function rowsOf(lines: readonly string[], name: string): string[][] {
  return lines
    .filter((line) => line.startsWith("| ") && line.includes(`(\`${name}\`)`))
    .map((line) =>
      line
        .split("|")
        .slice(2, -1)
        .map((cell) => cell.trim()),
    );
}

const number = /^\d[\d,]*(\.\d+)?×?$/;

function assertNumbers(lines: readonly string[], name: string, cells: (row: string[]) => string[], report: string): void {
  const rows = rowsOf(lines, name);
  assert.ok(rows.length > 0, `no row for ${name} in:\n${report}`);
  for (const row of rows) for (const cell of cells(row)) assert.match(cell, number, `${name}: ${row.join(" | ")}`);
}

test("a smoke run of the bench prints numbers for our server and the original on every measure", { timeout: 900_000 }, async () => {
  const wrk = spawnSync("wrk", ["-v"]);
  assert.equal(wrk.error, undefined, "wrk is not installed: the bench needs it (apt-get install wrk; .ci/run installs it)");
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ["--import", "tsx", "bench/run.ts", "--against-original", "--smoke", "--no-write"],
    { cwd: repoRoot, maxBuffer: 16 * 2 ** 20 },
  );
  const parts = [...sections(stdout)];
  const part = (heading: string): string[] => {
    const found = parts.find(([title]) => title.startsWith(heading));
    assert.ok(found !== undefined, `no section "${heading}" in:\n${stdout}`);
    return found[1];
  };
  // ours and the original, side by side
  for (const name of wrkScenarios) assertNumbers(part("Throughput"), name, (row) => row.slice(0, 2), stdout);
  // after the placement: ours, then ours on node:http
  for (const name of layerScenarios) assertNumbers(part("The HTTP layer"), name, (row) => row.slice(1, 3), stdout);
  // ours, the original, then bare Node where it was measured
  for (const name of [...againstBare, ...againstOriginalOnly])
    assertNumbers(part("Start, memory"), name, (row) => row.slice(0, againstBare.includes(name) ? 3 : 2), stdout);
});
