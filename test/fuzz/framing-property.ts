// The differential framing property: each generated raw request case (valid requests, byte
// mutations, pipelines, random cuts) goes to our HTTP layer and to node:http (llhttp), and both
// must read the same requests (method, target, body) and end alike (cleanly, or refusing),
// unless a listed difference (llhttp-differences.ts) accounts for the way they parted.
import { piecesOf, type RawCase } from "./framing-arbitraries.js";
import { startFramingServers, type Framing, type FramingServers } from "./framing-servers.js";
import { explanations } from "./llhttp-differences.js";

let servers: Promise<FramingServers> | undefined;
const counts = { cases: 0, excusedCases: 0, excused: new Map<string, number>() };

/** What is wrong with how ours framed `c`, compared with llhttp; empty when nothing is. */
export async function framingProblems(c: RawCase): Promise<string[]> {
  servers ??= startFramingServers();
  const { ours, llhttp } = await (await servers).frame(piecesOf(c));
  counts.cases++;
  if (sameFraming(ours, llhttp)) return [];
  const excuses = explanations({ bytes: c.bytes, ours, llhttp });
  for (const d of excuses) counts.excused.set(d.id, (counts.excused.get(d.id) ?? 0) + 1);
  if (excuses.length > 0) {
    counts.excusedCases++;
    return [];
  }
  return [
    `ours and llhttp framed ${JSON.stringify(c.bytes)} (cut at ${c.cuts.join(", ") || "nothing"}) differently:\n  ours:   ${show(ours)}\n  llhttp: ${show(llhttp)}`,
  ];
}

/** Cases run, and how many each listed difference excused. */
export function framingReport(): string {
  const excused = [...counts.excused].sort((a, b) => b[1] - a[1]).map(([id, n]) => `${id} ${n}`);
  return `${counts.cases} cases, ${counts.cases - counts.excusedCases} read alike, ${counts.excusedCases} excused by a listed difference (${excused.length === 0 ? "none" : excused.join(", ")})`;
}

export async function closeFramingServers(): Promise<void> {
  const started = servers;
  servers = undefined;
  await (await started)?.close();
}

function sameFraming(a: Framing, b: Framing): boolean {
  return (
    (a.end === "clean") === (b.end === "clean") &&
    a.requests.length === b.requests.length &&
    a.requests.every((r, i) => r.method === b.requests[i]!.method && r.target === b.requests[i]!.target && r.body === b.requests[i]!.body)
  );
}

function show(f: Framing): string {
  const requests = f.requests.map((r) => `${r.method} ${r.target} ${JSON.stringify(r.body)}`).join("; ");
  return `[${requests}] then ${f.end}${f.why === "" ? "" : ` (${f.why})`}`;
}
