// Everything a maintainer must know about one protocol bump, gathered from the two descriptor sets,
// the two versions' Go sources and the mock's own tables: what changed, where users feel it, what
// the default answers now are, and which of it needs a decision. Pure; rendering is separate.
import type { FileRegistry } from "@bufbuild/protobuf";
import { checkGrantTable, checkLatencyTable } from "./check-tables.js";
import { collectRpcs } from "./collect-rpcs.js";
import type { GrantTable } from "./grant-table.js";
import { isGoSourceError } from "./go-source.js";
import { diffGoSurface, type GoSourceReader, type GoSurfaceDiff } from "./go-surface-diff.js";
import type { LatencyTable } from "./latency-table.js";
import { messageReach, type ReachOf } from "./message-reach.js";
import { populatedAnswers, type PopulatedAnswer } from "./populated-answers.js";
import { diffProtocols, type FieldChange, type ProtocolDiff } from "./protocol-diff.js";
import { compareSipMappings, type SipMappingComparison } from "./sip-mapping.js";
import type { MethodGrant, NaturalLatency } from "../src/twirp/method-stub.js";

export interface ChangeReportInput {
  readonly from: string;
  readonly to: string;
  readonly before: FileRegistry;
  readonly after: FileRegistry;
  readonly goBefore: GoSourceReader;
  readonly goAfter: GoSourceReader;
  readonly grantTable: GrantTable;
  readonly latencyTable: LatencyTable;
  /** The mock's Twirp code for a SIP status. */
  readonly oursSip: (code: number) => string;
  /** The protocol version linked into the original test server (the parity oracle). */
  readonly oracleProtocol: string;
  readonly servedPackage?: string;
}

export interface AddedRpcDecision {
  readonly key: string;
  /** undefined when the grant table has no entry yet (the generator stops). */
  readonly grant: MethodGrant | undefined;
  readonly latency: NaturalLatency | undefined;
}

export interface SignalChange {
  readonly message: string;
  readonly fields: readonly FieldChange[];
}

export interface ChangeReport {
  readonly from: string;
  readonly to: string;
  readonly oracleProtocol: string;
  readonly diff: ProtocolDiff;
  /** Where users meet a type at the new version (and at the old one, for what was removed). */
  readonly reachAfter: ReachOf;
  readonly reachBefore: ReachOf;
  /** Problems the generator stops on: RPCs with no grant, entries naming no RPC. */
  readonly undecided: readonly string[];
  readonly addedRpcs: readonly AddedRpcDecision[];
  readonly sip: SipMappingComparison | undefined;
  readonly signal: readonly SignalChange[];
  readonly go: GoSurfaceDiff;
  readonly answers: readonly PopulatedAnswer[];
  /** One line per thing a maintainer must decide before committing. */
  readonly decisions: readonly string[];
}

const signalMessages = ["livekit.SignalRequest", "livekit.SignalResponse"];

export function buildChangeReport(input: ChangeReportInput): ChangeReport {
  const served = input.servedPackage ?? "livekit";
  const diff = diffProtocols(input.before, input.after, served);
  const reachAfter = messageReach(input.after, served);
  const reachBefore = messageReach(input.before, served);
  const rpcs = collectRpcs([...input.after.files], served).flatMap((f) => [...f.rpcs]);
  const undecided = [...checkGrantTable(rpcs, input.grantTable), ...checkLatencyTable(rpcs, input.latencyTable)];
  const addedKeys = [
    ...diff.rpcs.added.map((r) => r.key),
    ...diff.services.added.flatMap((s) => s.methods.map((m) => `${s.typeName}/${m}`)),
  ]
    .filter((key) => rpcs.some((rpc) => rpc.key === key && !rpc.streaming))
    .sort();
  const addedRpcs = addedKeys.map((key) => {
    const slash = key.lastIndexOf("/");
    return { key, grant: input.grantTable[key.slice(0, slash)]?.[key.slice(slash + 1)], latency: input.latencyTable[key] };
  });
  const sip = sipComparison(input);
  const signal = diff.messages.changed
    .filter((m) => signalMessages.includes(m.typeName))
    .map((m) => ({ message: m.typeName, fields: m.fields }));
  const go = diffGoSurface(input.goBefore, input.goAfter);
  const answers = populatedAnswers(changedRpcs(diff, reachAfter, reachBefore, addedKeys), input.before, input.after);
  const report = {
    from: input.from,
    to: input.to,
    oracleProtocol: input.oracleProtocol,
    diff,
    reachAfter,
    reachBefore,
    undecided,
    addedRpcs,
    sip,
    signal,
    go,
    answers,
  };
  return { ...report, decisions: decisionsOf(report) };
}

/** Served unary RPCs a change touches: added, retyped, or reaching a changed, added or removed type. */
function changedRpcs(diff: ProtocolDiff, after: ReachOf, before: ReachOf, added: readonly string[]): string[] {
  const keys = new Set<string>(added);
  for (const r of diff.rpcs.retyped) if (r.served) keys.add(r.key);
  const touched = [...diff.messages.changed.map((m) => m.typeName), ...diff.enums.changed.map((e) => e.typeName)];
  for (const typeName of touched) {
    for (const reach of [after(typeName), before(typeName)]) for (const key of [...reach.requestOf, ...reach.responseOf]) keys.add(key);
  }
  return [...keys].sort();
}

function sipComparison(input: ChangeReportInput): SipMappingComparison | undefined {
  const afterCodes = input.after.getEnum("livekit.SIPStatusCode");
  const [sipBefore, sipAfter] = [input.goBefore("livekit/sip.go"), input.goAfter("livekit/sip.go")];
  const [xBefore, xAfter] = [input.goBefore("utils/xtwirp/errors.go"), input.goAfter("utils/xtwirp/errors.go")];
  if (afterCodes === undefined || sipBefore === undefined || sipAfter === undefined || xBefore === undefined || xAfter === undefined) {
    return undefined;
  }
  try {
    return compareSipMappings({
      before: { sipGo: sipBefore, xtwirpGo: xBefore },
      after: { sipGo: sipAfter, xtwirpGo: xAfter },
      beforeCodes: input.before.getEnum("livekit.SIPStatusCode"),
      afterCodes,
      ours: input.oursSip,
    });
  } catch (err) {
    // A table that moved is the maintainer's to find; the report says it could not read it.
    if (isGoSourceError(err)) return undefined;
    throw err;
  }
}

function decisionsOf(report: Omit<ChangeReport, "decisions">): string[] {
  const decisions: string[] = [...report.undecided];
  for (const rpc of report.addedRpcs) {
    if (rpc.grant === undefined) continue;
    decisions.push(
      `${rpc.key} is new: check its grant (${grantText(rpc.grant)}) in codegen/grant-table.ts and its natural latency (${rpc.latency === undefined ? "none" : `${rpc.latency.ms} ms`}) in codegen/latency-table.ts`,
    );
  }
  const gone = [
    ...report.diff.rpcs.removed.filter((r) => r.served).map((r) => r.key),
    ...report.diff.services.removed.filter((s) => s.served).flatMap((s) => s.methods.map((m) => `${s.typeName}/${m}`)),
  ];
  for (const key of gone.sort()) decisions.push(`${key} is gone: users calling it now get bad_route; name it in docs/changelog.md`);
  if (report.sip === undefined) {
    decisions.push(
      "the SIP status mapping could not be read (livekit/sip.go or utils/xtwirp/errors.go moved): compare src/twirp/sip-status.ts by hand",
    );
  } else {
    for (const row of report.sip.changed) {
      decisions.push(
        `the protocol now maps SIP ${row.code} ${row.name} to ${show(row.after)} (was ${show(row.before ?? "")}); the mock answers ${show(row.ours)}: follow it in src/twirp/sip-status.ts or keep what the SDK suites assert`,
      );
    }
    if (report.sip.fallbackChanged) {
      decisions.push(
        "SIPStatus.GRPCStatus (the rule for SIP codes outside the map) changed: compare its ranges with grpcCodeOf in src/twirp/sip-status.ts and rangeRule in codegen/sip-mapping.ts",
      );
    }
    for (const change of report.sip.twirpOfGrpcChanged) {
      decisions.push(
        `xtwirp now turns gRPC ${change.grpc} into ${show(change.after)} (was ${show(change.before)}): follow it in src/twirp/sip-status.ts`,
      );
    }
  }
  if (report.go.webhookEvents.added.length + report.go.webhookEvents.removed.length > 0) {
    decisions.push(
      "the webhook event names changed: update src/webhooks/webhook-events.ts and the events' shapes (test/webhooks/event-names.test.ts holds the list to the pin)",
    );
  }
  if (report.go.grants.length > 0) {
    decisions.push(
      `token grants changed in auth/grants.go (${report.go.grants.map((g) => g.struct).join(", ")}): src/auth/token-claims.ts decodes the grants of the protocol linked into the original (${report.oracleProtocol}); follow the pin there only with an intended difference in test/conformance/intended-differences.ts`,
    );
  }
  for (const change of report.signal) {
    decisions.push(
      `${change.message} changed (${change.fields.map(fieldText).join("; ")}): decide whether the signal mode (src/signal/) sends or accepts it`,
    );
  }
  const others = report.go.changedFiles.filter(
    (f) => !["auth/grants.go", "livekit/sip.go", "utils/xtwirp/errors.go", "webhook/consts.go"].includes(f.path),
  );
  for (const file of others) decisions.push(`${file.path} changed: read the diff against ${file.mirroredBy}`);
  return decisions;
}

export function grantText(grant: MethodGrant): string {
  if (!grant.enforced) return `not enforced: ${grant.reason}`;
  return `${grant.required.join(" + ")}${grant.roomScope === "none" ? "" : `, room scope ${grant.roomScope}`}`;
}

export function fieldText(change: FieldChange): string {
  if (change.kind !== "changed") return `${change.name} = ${change.number} (${change.type}) ${change.kind}`;
  const parts: string[] = [];
  if (change.before.name !== change.after.name) parts.push(`renamed ${change.before.name} → ${change.after.name}`);
  if (change.before.type !== change.after.type) parts.push(`retyped ${change.before.type} → ${change.after.type}`);
  return `${change.after.name} = ${change.number} ${parts.join(", ")}`;
}

function show(code: string): string {
  return code === "" ? "no error" : code;
}
