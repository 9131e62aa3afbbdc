// What a Twirp request gets under a control header, from the docs' rules alone (docs/control-header.md,
// docs/faults.md, docs/journal.md, docs/permissions.md), written apart
// from the server's code so that a property test can hold the two against each other.

/** The fault menu, as docs/faults.md lists it. */
export const menu = [
  "status",
  "drop",
  "delay",
  "reset",
  "hang",
  "close-after-headers",
  "truncated-body",
  "garbage",
  "intermediary",
  "slow-body",
] as const;
export type Mode = (typeof menu)[number];

export interface Plan {
  readonly failMode?: Mode;
  readonly failStatus?: number;
  readonly failTwirpCode?: string;
  readonly failMeta?: Readonly<Record<string, string>>;
  readonly delayMs?: number;
}

/** The control as sent, with `failUntil` already an epoch time and `journal` a key. */
export interface Control extends Plan {
  readonly failRegions?: readonly number[];
  readonly regions?: Readonly<Record<string, Plan>>;
  readonly failUntil?: number;
  readonly failFirst?: number;
  readonly journal?: string;
  readonly listSize?: number;
  readonly pinnedRegions?: readonly string[];
  readonly skipAuth?: boolean;
  readonly sipStatus?: { readonly code: number; readonly status?: string };
  readonly echo?: boolean;
  readonly slowBytesPerSec?: number;
}

export const methods = ["livekit.RoomService/ListRooms", "livekit.RoomService/CreateRoom", "livekit.SIP/CreateSIPParticipant"] as const;
export type Method = (typeof methods)[number];
/** Tokens: every grant, none at all, or only `video.roomList`. */
export type TokenKind = "admin" | "none" | "list-only";

export interface Call {
  readonly region: number;
  readonly method: Method;
  readonly token: TokenKind;
}

/** The request bodies the property test sends, per method. */
export const requestBodies: Readonly<Record<Method, object>> = {
  "livekit.RoomService/ListRooms": {},
  "livekit.RoomService/CreateRoom": { name: "r" },
  "livekit.SIP/CreateSIPParticipant": {},
};

export interface TwirpErrorBody {
  readonly code: string;
  readonly msg?: string;
  readonly msgPrefix?: string;
  /** The whole meta (absent and {} are the same). */
  readonly meta?: Readonly<Record<string, string>>;
  /** Entries the meta has, among others. */
  readonly metaIncludes?: Readonly<Record<string, string>>;
}

/** What goes over the wire. */
export type Wire =
  | {
      readonly kind: "answer";
      readonly status: number;
      /** `X-Lk-Mock-Region`: its value, or null when it must be absent. */
      readonly region: string | null;
      readonly body:
        { readonly json: unknown } | { readonly twirp: TwirpErrorBody } | { readonly text: string } | { readonly htmlStatus: number };
    }
  | { readonly kind: "reset" | "drop" | "hang" | "garbage" }
  /** A Twirp error's head, then none (close-after-headers) or only part (truncated-body) of its body. */
  | { readonly kind: "close-after-headers" | "truncated-body"; readonly status: number; readonly errorJson: string };

export interface Expectation {
  readonly wire: Wire;
  /** How long the answer (or the fault) waits at least. */
  readonly delayMs: number;
  /** `X-Lk-Mock-Echo` is on the answer. */
  readonly echo: boolean;
  /** The journal entry (null: the control names no journal, or is refused). */
  readonly journal: { readonly outcome: string; readonly status: number | null } | null;
}

/** What the oracle remembers between the calls of one case: the `failFirst` count. */
export interface OracleState {
  failFirstCounted: number;
}

/** How long the legacy `delay` mode sleeps, sent as `X-Lk-Mock-Delay-Ms`. */
export const legacyDelayMs = 15;

const grants: Readonly<Record<Method, "roomList" | "roomCreate" | "sipCall">> = {
  "livekit.RoomService/ListRooms": "roomList",
  "livekit.RoomService/CreateRoom": "roomCreate",
  "livekit.SIP/CreateSIPParticipant": "sipCall",
};

export function expect(control: Control, call: Call, state: OracleState, now: number): Expectation {
  if (refused(control)) {
    const twirp = { code: "invalid_argument", msgPrefix: "mock: invalid control: " };
    return { wire: { kind: "answer", status: 400, region: "", body: { twirp } }, delayMs: 0, echo: false, journal: null };
  }
  const echo = control.echo === true;
  const journaled = control.journal !== undefined;
  const answered = (wire: Wire & { kind: "answer" }, delayMs: number, outcome = "answered"): Expectation => ({
    wire,
    delayMs,
    echo,
    journal: journaled ? { outcome, status: wire.status } : null,
  });
  const twirpError = (status: number, twirp: TwirpErrorBody, delayMs: number): Expectation =>
    answered({ kind: "answer", status, region: "", body: { twirp } }, delayMs);

  // Auth (401/403, at once).
  if (control.skipAuth !== true) {
    if (call.token === "none") return twirpError(401, { code: "unauthenticated", msg: "mock: unauthenticated" }, 0);
    if (call.token === "list-only" && grants[call.method] !== "roomList")
      return twirpError(403, { code: "permission_denied", msgPrefix: "mock: permission_denied" }, 0);
  }
  // Pinned region (451, at once).
  const pinned = control.pinnedRegions ?? [];
  if (pinned.length > 0 && !pinned.includes(`region-${call.region}`)) {
    return answered({ kind: "answer", status: 451, region: "", body: { text: "project not allowed in this region." } }, 0, "pinned");
  }
  // Delay: the region's plan replaces the flat delayMs there; the methods sent have no natural latency.
  const plan = control.regions?.[String(call.region)];
  const delayMs = Math.max(0, plan?.delayMs ?? control.delayMs ?? 0);
  // sipStatus, for the SIP dial methods only: 486 and 480 are 429 resource_exhausted.
  if (control.sipStatus !== undefined && call.method === "livekit.SIP/CreateSIPParticipant") {
    return twirpError(429, { code: "resource_exhausted", metaIncludes: { sip_status_code: String(control.sipStatus.code) } }, delayMs);
  }
  // The failing region.
  if (fails(control, call.region, state, now)) {
    const mode = plan?.failMode ?? control.failMode ?? "status";
    const failStatus = plan?.failStatus ?? control.failStatus;
    const status = failStatus ?? 503;
    const meta = { ...(plan?.failMeta ?? control.failMeta) };
    const code = plan?.failTwirpCode ?? control.failTwirpCode ?? derivedCode(status);
    const error: TwirpErrorBody = { code, msg: `mock failure (status ${status})`, meta };
    const errorJson = JSON.stringify({ code, msg: error.msg, ...(Object.keys(meta).length > 0 ? { meta } : {}) });
    // A fault that sends a status line carries the echo and is journaled with that status.
    const fault = (wire: Wire, status: number | null): Expectation => ({
      wire,
      delayMs,
      echo: echo && status !== null,
      journal: journaled ? { outcome: mode === "drop" ? "dropped" : mode, status } : null,
    });
    switch (mode) {
      case "status":
        return twirpError(status, error, delayMs);
      case "delay":
        return twirpError(status, error, delayMs + legacyDelayMs);
      case "drop":
      case "reset":
      case "hang":
      case "garbage":
        return fault({ kind: mode }, null);
      case "close-after-headers":
      case "truncated-body":
        return fault({ kind: mode, status, errorJson }, status);
      case "intermediary": {
        const page = failStatus ?? 502;
        return fault({ kind: "answer", status: page, region: null, body: { htmlStatus: page } }, page);
      }
      case "slow-body":
        return fault({ kind: "answer", status: 200, region: String(call.region), body: { json: success(call, control) } }, 200);
    }
  }
  return answered({ kind: "answer", status: 200, region: String(call.region), body: { json: success(call, control) } }, delayMs);
}

/** The refusals docs/control-header.md names: failFirst without journal, listSize outside 0–100, intermediary not 502–504. */
function refused(control: Control): boolean {
  if (control.failFirst !== undefined && control.journal === undefined) return true;
  if (control.listSize !== undefined && (control.listSize < 0 || control.listSize > 100)) return true;
  const badIntermediary = (mode: Mode | undefined, status: number | undefined): boolean =>
    mode === "intermediary" && status !== undefined && (status < 502 || status > 504);
  if (badIntermediary(control.failMode, control.failStatus)) return true;
  return Object.values(control.regions ?? {}).some((plan) =>
    badIntermediary(plan.failMode ?? control.failMode, plan.failStatus ?? control.failStatus),
  );
}

/**
 * "Which regions fail": targeted, before failUntil, and among the first failFirst requests that
 * reach a targeted region. A request answered earlier in the order of evaluation (auth, pin,
 * sipStatus) never reaches this step, so it is not counted.
 */
function fails(control: Control, region: number, state: OracleState, now: number): boolean {
  const plans = control.regions ?? {};
  const namesFailField = (plan: Plan | undefined): boolean =>
    plan !== undefined &&
    (plan.failMode !== undefined || plan.failStatus !== undefined || plan.failTwirpCode !== undefined || plan.failMeta !== undefined);
  const failRegions = control.failRegions ?? [];
  const anyNamed = failRegions.length > 0 || Object.values(plans).some(namesFailField);
  const targeted =
    failRegions.includes(region) ||
    namesFailField(plans[String(region)]) ||
    (!anyNamed && (control.failUntil !== undefined || control.failFirst !== undefined));
  if (!targeted) return false;
  if (control.failUntil !== undefined && now >= control.failUntil) return false;
  if (control.failFirst !== undefined) return ++state.failFirstCounted <= control.failFirst;
  return true;
}

function derivedCode(status: number): string {
  const codes: Readonly<Record<number, string>> = {
    400: "invalid_argument",
    401: "unauthenticated",
    403: "permission_denied",
    404: "not_found",
    429: "resource_exhausted",
  };
  return codes[status] ?? (status >= 500 ? "unavailable" : "internal");
}

/**
 * The populated answer: `MOCK_<FIELD>` ids, top-level scalars echoed, `listSize` elements per list
 * (ids suffixed `_1`, `_2`, … when there are several), lowerCamelCase JSON without defaults.
 */
function success(call: Call, control: Control): unknown {
  const n = control.listSize ?? 1;
  const ids = (i: number): string => (n === 1 ? "MOCK_SID" : `MOCK_SID_${i + 1}`);
  switch (call.method) {
    case "livekit.RoomService/ListRooms":
      return n === 0 ? {} : { rooms: Array.from({ length: n }, (_, i) => ({ sid: ids(i) })) };
    case "livekit.RoomService/CreateRoom":
      return { sid: "MOCK_SID", name: "r", ...(n === 0 ? {} : { enabledCodecs: Array.from({ length: n }, () => ({})) }) };
    case "livekit.SIP/CreateSIPParticipant":
      return { participantId: "MOCK_PARTICIPANT_ID", sipCallId: "MOCK_SIP_CALL_ID" };
  }
}
