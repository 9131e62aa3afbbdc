// A long fuzzing campaign: the properties of `npm test`, with many more cases, against the built CLI
// in a child process (so a crash is seen as a crash). `--runs N` is the total number of cases,
// shared among the properties in proportion to their `npm test` share.
//
//   npm run fuzz -- --runs 100000 [--seed 42] [--property <words in its name>] [--in-process]
//   npm run fuzz -- --property http --runs 100000     the framing property alone, against llhttp
//
// Prints progress every 10 s and a summary (cases, requests, time, failures); exits 1 when a
// property fails (a `todo` property's failure is reported but does not fail the campaign).
import { parseArgs } from "node:util";
import { startChildTarget, startInProcessTarget } from "./fuzz-target.js";
import { closeProperties, properties } from "./properties.js";
import { createRawHttpClient } from "./raw-http.js";
import { signalConnectionsOpened } from "./raw-signal.js";
import { runProperty } from "./run-property.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "10000" },
    seed: { type: "string" },
    property: { type: "string" },
    "in-process": { type: "boolean", default: false },
  },
});
const totalRuns = Number(values.runs);
if (!Number.isInteger(totalRuns) || totalRuns < 1) throw new Error(`--runs must be a positive integer, got ${values.runs}`);
const seed = values.seed === undefined ? Date.now() % 2 ** 31 : Number(values.seed);
const selected = properties.filter((p) => values.property === undefined || p.name.includes(values.property));
const weight = selected.reduce((sum, p) => sum + p.runs, 0);

const target = values["in-process"] ? await startInProcessTarget() : await startChildTarget();
const client = createRawHttpClient();
// HTTP requests plus signal handshakes.
const requests = (): number => client.sent + signalConnectionsOpened();
const started = performance.now();
let cases = 0;
const progress = setInterval(() => {
  process.stdout.write(`fuzz: ${cases} cases, ${requests()} requests, ${Math.round((performance.now() - started) / 1000)} s\n`);
}, 10_000);

const results: { name: string; cases: number; requests: number; seconds: number; failure?: string; todo?: string }[] = [];
process.stdout.write(
  `fuzz: seed ${seed}, ${totalRuns} cases over ${selected.length} properties, server ${values["in-process"] ? "in-process" : "child process"}\n`,
);
for (const property of selected) {
  const numRuns = Math.max(1, Math.round((totalRuns * property.runs) / weight));
  const requestsBefore = requests();
  const casesBefore = cases;
  const propertyStarted = performance.now();
  let failure: string | undefined;
  try {
    await runProperty({ target, client }, property, { numRuns, seed, onCase: () => cases++ });
  } catch (err) {
    failure = err instanceof Error ? err.message : String(err);
  }
  const result = {
    name: property.name,
    cases: cases - casesBefore,
    requests: requests() - requestsBefore,
    seconds: Math.round((performance.now() - propertyStarted) / 100) / 10,
    ...(failure === undefined ? {} : { failure }),
    ...(property.todo === undefined ? {} : { todo: property.todo }),
  };
  results.push(result);
  const verdict = failure === undefined ? "ok" : property.todo === undefined ? "FAILED" : `failed (todo: ${property.todo})`;
  process.stdout.write(`fuzz: ${verdict}: ${property.name}: ${result.cases} cases, ${result.requests} requests, ${result.seconds} s\n`);
  if (property.report !== undefined) process.stdout.write(`fuzz:   ${property.report()}\n`);
  if (failure !== undefined) process.stdout.write(`${failure}\n`);
}
clearInterval(progress);
client.close();
await closeProperties();
const leftover = target.takeProblems();
await target.close();

const failed = results.filter((r) => r.failure !== undefined && r.todo === undefined);
const seconds = Math.round((performance.now() - started) / 1000);
process.stdout.write(
  `fuzz: ${cases} cases, ${requests()} requests in ${seconds} s (seed ${seed}); ${failed.length} properties failed, ${results.filter((r) => r.failure !== undefined && r.todo !== undefined).length} todo properties failed${leftover.length > 0 ? `; after the run: ${leftover.join("; ")}` : ""}\n`,
);
process.stdout.write(
  `${JSON.stringify({ seed, cases, requests: requests(), seconds, properties: results.map(({ failure, ...r }) => ({ ...r, failed: failure !== undefined })) })}\n`,
);
process.exit(failed.length > 0 || leftover.length > 0 ? 1 : 0);
