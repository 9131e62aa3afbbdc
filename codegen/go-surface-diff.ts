// The protocol's Go code that the mock mirrors by hand, compared between two versions: the webhook
// event names, the JSON shape of a token's grants, and every other mirrored file whose text moved.
// Descriptors do not carry these, yet a user feels each of them (an event the mock never sends, a
// claim it decodes differently), so the report names them for a maintainer to decide.
import { goStringConstants, goStructJsonFields, type GoStructField } from "./go-source.js";

/** Reads a file of one protocol version's Go module, by path from the module root. */
export type GoSourceReader = (path: string) => string | undefined;

/** The Go files the mock mirrors by hand, and where. */
export const mirroredGoSources: readonly { readonly path: string; readonly mirroredBy: string }[] = [
  { path: "auth/grants.go", mirroredBy: "src/auth/token-claims.ts (the claims a token decodes into)" },
  { path: "auth/verifier.go", mirroredBy: "src/auth/verify-token.ts" },
  { path: "livekit/sip.go", mirroredBy: "src/twirp/sip-status.ts (SIP status to Twirp code)" },
  { path: "utils/xtwirp/errors.go", mirroredBy: "src/twirp/sip-status.ts (code, msg and meta of a SIP error)" },
  { path: "utils/protojson/protojson.go", mirroredBy: "src/webhooks/go-protojson.ts" },
  { path: "webhook/consts.go", mirroredBy: "src/webhooks/webhook-events.ts and post-webhook.ts" },
  { path: "webhook/resource_queue.go", mirroredBy: "src/webhooks/resource-queues.ts" },
  { path: "webhook/resource_url_notifier.go", mirroredBy: "src/webhooks/post-webhook.ts and sign-webhook.ts" },
];

export interface GrantStructChange {
  readonly struct: string;
  readonly added: readonly GoStructField[];
  readonly removed: readonly GoStructField[];
  readonly retyped: readonly { readonly json: string; readonly before: string; readonly after: string }[];
}

export interface GoSurfaceDiff {
  readonly webhookEvents: { readonly added: readonly string[]; readonly removed: readonly string[] };
  readonly grants: readonly GrantStructChange[];
  /** Mirrored files whose text differs (or that exist at one version only). */
  readonly changedFiles: readonly { readonly path: string; readonly mirroredBy: string }[];
}

export function diffGoSurface(before: GoSourceReader, after: GoSourceReader): GoSurfaceDiff {
  const events = (read: GoSourceReader): string[] => goStringConstants(read("webhook/consts.go") ?? "", "Event");
  const [oldEvents, newEvents] = [events(before), events(after)];
  return {
    webhookEvents: {
      added: newEvents.filter((e) => !oldEvents.includes(e)),
      removed: oldEvents.filter((e) => !newEvents.includes(e)),
    },
    grants: diffStructs(goStructJsonFields(before("auth/grants.go") ?? ""), goStructJsonFields(after("auth/grants.go") ?? "")),
    changedFiles: mirroredGoSources.filter(({ path }) => before(path) !== after(path)),
  };
}

function diffStructs(before: Map<string, GoStructField[]>, after: Map<string, GoStructField[]>): GrantStructChange[] {
  const names = [...new Set([...before.keys(), ...after.keys()])].sort();
  const changes: GrantStructChange[] = [];
  for (const struct of names) {
    const old = new Map((before.get(struct) ?? []).map((f) => [f.json, f]));
    const now = new Map((after.get(struct) ?? []).map((f) => [f.json, f]));
    const change: GrantStructChange = {
      struct,
      added: [...now.values()].filter((f) => !old.has(f.json)),
      removed: [...old.values()].filter((f) => !now.has(f.json)),
      retyped: [...now.values()]
        .filter((f) => old.has(f.json) && old.get(f.json)!.goType !== f.goType)
        .map((f) => ({ json: f.json, before: old.get(f.json)!.goType, after: f.goType })),
    };
    if (change.added.length + change.removed.length + change.retyped.length > 0) changes.push(change);
  }
  return changes;
}
