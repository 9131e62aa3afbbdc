// The change report as Markdown, one file per version under docs/protocol/: decisions first, then
// each kind of change, then the default answers of every RPC a change touches. Pure.
import type { JsonValue } from "@bufbuild/protobuf";
import { fieldText, grantText, type ChangeReport } from "./change-report.js";
import type { Reach } from "./message-reach.js";

export function renderChangeReport(report: ChangeReport): string {
  const { from, to } = report;
  const out: string[] = [
    `# LiveKit protocol ${from} → ${to}`,
    "",
    `What moving \`config.livekitProtocol\` from ${from} to ${to} changes for users of the mock, computed by`,
    "`npm run bump` from the two versions' descriptors and Go sources. The original test server (the parity",
    `oracle) links protocol ${report.oracleProtocol}.`,
    "",
    "## Decisions",
    "",
    ...(report.decisions.length === 0
      ? ["Nothing to decide: no RPC, SIP mapping, webhook event, grant, signal message or mirrored Go source changed."]
      : report.decisions.map((d, i) => `${i + 1}. ${d}`)),
    "",
    ...servicesSection(report),
    ...messagesSection(report),
    ...enumsSection(report),
    ...sipSection(report),
    ...twirpSection(report),
    ...webhookSection(report),
    ...signalSection(report),
    ...grantsSection(report),
    ...goFilesSection(report),
    ...answersSection(report),
  ];
  return `${out.join("\n").trimEnd()}\n`;
}

function servicesSection({ diff, addedRpcs }: ChangeReport): string[] {
  const lines = ["## Services and RPCs", ""];
  const servedText = (served: boolean): string => (served ? "" : " (not served: another package)");
  for (const s of diff.services.added)
    lines.push(`- Service added: \`${s.typeName}\`${servedText(s.served)}, with ${s.methods.join(", ")}`);
  for (const s of diff.services.removed)
    lines.push(`- Service removed: \`${s.typeName}\`${servedText(s.served)}, with ${s.methods.join(", ")}`);
  for (const r of diff.rpcs.added)
    lines.push(`- RPC added: \`${r.key}\`${r.streaming ? " (streaming: no Twirp route)" : ""}${servedText(r.served)}`);
  for (const r of diff.rpcs.removed) lines.push(`- RPC removed: \`${r.key}\`${servedText(r.served)}`);
  for (const r of diff.rpcs.retyped) lines.push(`- RPC retyped: \`${r.key}\`${servedText(r.served)}: ${r.before} became ${r.after}`);
  for (const r of addedRpcs) {
    lines.push(`- Grant of \`${r.key}\`: ${r.grant === undefined ? "**undecided**" : grantText(r.grant)}`);
  }
  if (lines.length === 2) lines.push("None.");
  return [...lines, ""];
}

function messagesSection({ diff, reachAfter, reachBefore }: ChangeReport): string[] {
  const lines = ["## Messages", ""];
  const felt: string[] = [];
  const unfelt: string[] = [];
  for (const message of diff.messages.changed) {
    const where = whereText(merge(reachAfter(message.typeName), reachBefore(message.typeName)));
    for (const change of message.fields) {
      if (where === undefined) unfelt.push(`- \`${message.typeName}\`: ${fieldText(change)}`);
      else felt.push(`| \`${message.typeName}\` | ${fieldText(change)} | ${where} |`);
    }
  }
  if (felt.length > 0)
    lines.push(
      "Fields users meet (in a request or answer, a signal message or a webhook):",
      "",
      "| Message | Change | Where |",
      "|---|---|---|",
      ...felt,
      "",
    );
  if (unfelt.length > 0) lines.push("Fields of messages no served RPC, signal message or webhook carries:", "", ...unfelt, "");
  if (diff.messages.added.length > 0) lines.push(`Message types added: ${diff.messages.added.map(code).join(", ")}.`, "");
  if (diff.messages.removed.length > 0) lines.push(`Message types removed: ${diff.messages.removed.map(code).join(", ")}.`, "");
  if (lines.length === 2) lines.push("No field of any message changed.", "");
  return lines;
}

function enumsSection({ diff, reachAfter, reachBefore }: ChangeReport): string[] {
  const lines = ["## Enums", ""];
  for (const e of diff.enums.changed) {
    const where = whereText(merge(reachAfter(e.typeName), reachBefore(e.typeName))) ?? "nowhere a user of the mock meets it";
    const parts = [
      ...e.added.map((v) => `${v.name} = ${v.number} added`),
      ...e.removed.map((v) => `${v.name} = ${v.number} removed`),
      ...e.renamed.map((v) => `${v.number} renamed ${v.before} → ${v.after}`),
    ];
    lines.push(`- \`${e.typeName}\`: ${parts.join("; ")} (${where})`);
  }
  if (diff.enums.added.length > 0) lines.push(`- Enums added: ${diff.enums.added.map(code).join(", ")}`);
  if (diff.enums.removed.length > 0) lines.push(`- Enums removed: ${diff.enums.removed.map(code).join(", ")}`);
  if (lines.length === 2) lines.push("No enum value changed.");
  return [...lines, ""];
}

function sipSection({ sip }: ChangeReport): string[] {
  const lines = ["## SIP status codes", ""];
  if (sip === undefined) return [...lines, "The mapping could not be read from the Go sources: see Decisions.", ""];
  const row = (r: (typeof sip.rows)[number]): string =>
    `| ${r.code} | ${r.name} | ${r.before === undefined ? "(new code)" : codeText(r.before)} | ${codeText(r.after)} | ${codeText(r.ours)} |`;
  const header = ["| SIP | Name | Protocol before | Protocol now | The mock |", "|---|---|---|---|---|"];
  if (sip.changed.length === 0) lines.push("The protocol maps every SIP status to the same Twirp code as before.", "");
  else
    lines.push(
      "The protocol's own mapping moved (a maintainer decides whether the mock follows):",
      "",
      ...header,
      ...sip.changed.map(row),
      "",
    );
  if (sip.fallbackChanged) lines.push("The rule for codes outside the map (`SIPStatus.GRPCStatus`) changed: read it.", "");
  if (sip.oursDiffers.length > 0) {
    lines.push(
      "Where the mock answers other than the protocol, because it follows what the published SDK suites assert:",
      "",
      ...header,
      ...sip.oursDiffers.map(row),
      "",
    );
  }
  return lines;
}

function twirpSection({ sip }: ChangeReport): string[] {
  const lines = ["## Twirp error codes", ""];
  if (sip === undefined) return [...lines, "Not read (see Decisions).", ""];
  if (sip.twirpOfGrpcChanged.length === 0)
    lines.push("`xtwirp.ErrorCodeFromGRPC` turns every gRPC code into the same Twirp code as before.");
  for (const c of sip.twirpOfGrpcChanged) lines.push(`- gRPC ${c.grpc}: ${codeText(c.before)} → ${codeText(c.after)}`);
  const rows = sip.rows;
  const reachable = (pick: (r: (typeof rows)[number]) => string | undefined): string[] =>
    [...new Set(rows.map(pick).filter((c): c is string => c !== undefined && c !== ""))].sort();
  const [before, after] = [reachable((r) => r.before), reachable((r) => r.after)];
  const gained = after.filter((c) => !before.includes(c));
  const lost = before.filter((c) => !after.includes(c));
  lines.push(
    "",
    gained.length + lost.length === 0
      ? `A failed SIP call can answer the same Twirp codes as before: ${after.join(", ")}.`
      : `Twirp codes a failed SIP call can now answer: ${gained.join(", ") || "none new"}; no longer: ${lost.join(", ") || "none"}.`,
    "",
  );
  return lines;
}

function webhookSection({ go }: ChangeReport): string[] {
  const { added, removed } = go.webhookEvents;
  if (added.length + removed.length === 0) return ["## Webhook event names", "", "Unchanged (`webhook/consts.go`).", ""];
  return ["## Webhook event names", "", ...added.map((e) => `- Added: \`${e}\``), ...removed.map((e) => `- Removed: \`${e}\``), ""];
}

function signalSection({ signal }: ChangeReport): string[] {
  const lines = ["## Signal messages", ""];
  for (const s of signal) for (const f of s.fields) lines.push(`- \`${s.message}\`: ${fieldText(f)}`);
  if (signal.length === 0)
    lines.push(
      "`livekit.SignalRequest` and `livekit.SignalResponse` carry the same messages as before (changes inside them are under Messages).",
    );
  return [...lines, ""];
}

function grantsSection({ go }: ChangeReport): string[] {
  const lines = ["## Token grants", ""];
  for (const g of go.grants) {
    const parts = [
      ...g.added.map((f) => `\`${f.json}\` (${f.goType}) added`),
      ...g.removed.map((f) => `\`${f.json}\` (${f.goType}) removed`),
      ...g.retyped.map((f) => `\`${f.json}\` ${f.before} → ${f.after}`),
    ];
    lines.push(`- \`${g.struct}\`: ${parts.join("; ")}`);
  }
  if (go.grants.length === 0) lines.push("The claims a token decodes into (`auth/grants.go`) are unchanged.");
  return [...lines, ""];
}

function goFilesSection({ go }: ChangeReport): string[] {
  const lines = ["## Mirrored Go sources", ""];
  // These are read above; a change elsewhere in them is listed so a maintainer can glance at it.
  const readAbove: Record<string, string> = {
    "livekit/sip.go": "SIP status codes",
    "utils/xtwirp/errors.go": "Twirp error codes",
    "webhook/consts.go": "Webhook event names",
    "auth/grants.go": "Token grants",
  };
  for (const f of go.changedFiles) {
    const section = readAbove[f.path];
    lines.push(
      `- \`${f.path}\` changed; mirrored by ${f.mirroredBy}${section === undefined ? "" : ` (its table is compared under ${section})`}`,
    );
  }
  if (go.changedFiles.length === 0) lines.push("None of the Go files the mock mirrors changed.");
  return [...lines, ""];
}

function answersSection({ answers }: ChangeReport): string[] {
  const lines = ["## Populated answers", ""];
  if (answers.length === 0) return [...lines, "No served RPC's request or answer changed.", ""];
  lines.push("The mock's default answer to an empty request, for each RPC a change above touches.", "");
  for (const a of answers) {
    lines.push(`### \`${a.key}\``, "");
    if (a.after === undefined) {
      lines.push("Gone.", "");
      continue;
    }
    if (a.echoes.length > 0) lines.push(`Copies from the request when set: ${a.echoes.map(code).join(", ")}.`, "");
    lines.push(...block(a.after));
    if (a.before === undefined) lines.push("New RPC.", "");
    else if (JSON.stringify(a.before) === JSON.stringify(a.after)) lines.push("Unchanged from before.", "");
    else lines.push("Before:", "", ...block(a.before));
  }
  return lines;
}

function block(json: JsonValue): string[] {
  return ["```text", JSON.stringify(json, null, 2), "```", ""];
}

function merge(a: Reach, b: Reach): Reach {
  const union = (x: readonly string[], y: readonly string[]): string[] => [...new Set([...x, ...y])].sort();
  return {
    requestOf: union(a.requestOf, b.requestOf),
    responseOf: union(a.responseOf, b.responseOf),
    carriedBy: union(a.carriedBy, b.carriedBy),
  };
}

/** "request of A, B; answer of C; signal response", or undefined when nothing reaches the type. */
function whereText(reach: Reach): string | undefined {
  const parts: string[] = [];
  if (reach.requestOf.length > 0) parts.push(`request of ${listText(reach.requestOf)}`);
  if (reach.responseOf.length > 0) parts.push(`answer of ${listText(reach.responseOf)}`);
  parts.push(...reach.carriedBy);
  return parts.length === 0 ? undefined : parts.join("; ");
}

function listText(keys: readonly string[]): string {
  const shown = keys.slice(0, 4).map((k) => k.replace(/^livekit\./, ""));
  return keys.length > 4 ? `${shown.join(", ")} and ${keys.length - 4} more` : shown.join(", ");
}

function codeText(code: string): string {
  return code === "" ? "no error" : `\`${code}\``;
}

function code(text: string): string {
  return `\`${text}\``;
}
