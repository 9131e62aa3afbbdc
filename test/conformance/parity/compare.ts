// Field-by-field comparison of two observations, and the readable report of a difference.
import { isDeepStrictEqual } from "node:util";
import { fields, type FieldDiff, type Observation } from "./parity-case.js";

export function diffObservations(ours: Observation, original: Observation): FieldDiff[] {
  // The raw error text is compared only when code, msg and meta agree: it then catches what
  // they cannot (key order, escaping, a trailing newline) without repeating their differences.
  const errorAgrees = (["code", "msg", "meta"] as const).every((f) => isDeepStrictEqual(ours[f], original[f]));
  const diffs: FieldDiff[] = [];
  if (ours["transport"] !== original["transport"]) {
    // One side has no HTTP answer at all: the per-field list would only repeat "(absent)".
    return [{ field: "transport", ours: summary(ours), original: summary(original) }];
  }
  for (const field of fields) {
    if (field === "errorRaw" && !errorAgrees) continue;
    if (!isDeepStrictEqual(ours[field], original[field])) diffs.push({ field, ours: ours[field], original: original[field] });
  }
  return diffs;
}

/** The observation without the fields that depend on the moment, for baseline comparisons. */
export function sameAnswer(a: Observation, b: Observation): FieldDiff[] {
  const strip = (o: Observation): Observation => Object.fromEntries(Object.entries(o).filter(([k]) => k !== "delayed"));
  return diffObservations(strip(a), strip(b));
}

export function formatDiffs(diffs: readonly FieldDiff[], labels: [string, string] = ["ours", "original"]): string {
  return diffs.map((d) => `    ${d.field}:\n      ${labels[0]}: ${show(d.ours)}\n      ${labels[1]}: ${show(d.original)}`).join("\n");
}

export function show(value: unknown): string {
  if (value === undefined) return "(absent)";
  const text = JSON.stringify(value);
  return text.length > 400 ? `${text.slice(0, 400)}…` : text;
}

function summary(o: Observation): unknown {
  return o["transport"] === "response" ? { status: o["status"], code: o["code"], msg: o["msg"], body: o["body"] } : o["transport"];
}
