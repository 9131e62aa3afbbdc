// What a participant joining a stateful world takes from its token beyond TokenClaims: metadata,
// kind and the video grant's permissions, read as LiveKit's Go code reads them (the claims decoded
// with Go's encoding/json semantics, the permission defaults of protocol's VideoGrant getters).
// Only a stateful join asks, so the hot path of token verification never pays for it.
import { readGoJson } from "./go-json.js";
import { readAllClaims, type GoStruct } from "./token-claims.js";

export interface ParticipantGrants {
  readonly metadata: string;
  /** The `kind` claim as written ("" when absent). */
  readonly kind: string;
  readonly kindDetails: readonly string[];
  /** VideoGrant.ToPermission: absent booleans take the getters' defaults. */
  readonly canPublish: boolean;
  readonly canSubscribe: boolean;
  readonly canPublishData: boolean;
  readonly canPublishSources: readonly string[];
  readonly canUpdateOwnMetadata: boolean;
  readonly hidden: boolean;
  readonly recorder: boolean;
  readonly agent: boolean;
  readonly canSubscribeMetrics: boolean;
  readonly canManageAgentSession: boolean;
}

/** The grants of a token that has already been verified (its payload decodes). */
export function readParticipantGrants(token: string): ParticipantGrants {
  const segment = token.split(".")[1] ?? "";
  const bytes = Buffer.from(segment, "base64url");
  const claims = readAllClaims(readGoJson(bytes), bytes);
  const video = (claims["video"] as GoStruct | undefined) ?? {};
  const flag = (name: string, otherwise: boolean): boolean => {
    const value = video[name];
    return typeof value === "boolean" ? value : otherwise;
  };
  const canPublish = flag("canPublish", true);
  return {
    metadata: text(claims["metadata"]),
    kind: text(claims["kind"]),
    kindDetails: list(claims["kindDetails"]),
    canPublish,
    canSubscribe: flag("canSubscribe", true),
    canPublishData: flag("canPublishData", canPublish),
    canPublishSources: list(video["canPublishSources"]),
    canUpdateOwnMetadata: flag("canUpdateOwnMetadata", false),
    hidden: flag("hidden", false),
    recorder: flag("recorder", false),
    agent: flag("agent", false),
    canSubscribeMetrics: flag("canSubscribeMetrics", false),
    canManageAgentSession: flag("canManageAgentSession", false),
  };
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function list(value: unknown): readonly string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}
