// The one definition of the `X-Lk-Mock` control object (REFERENCE §4.2). The strict parser, the
// JSON Schema served at /_test/schema and the typed helper's input type all derive from it, so
// they cannot drift apart.
import { pathKeyRule } from "../shared/path-key.js";

export type ValueSpec =
  | { readonly type: "integer"; readonly minimum?: number; readonly maximum?: number }
  | {
      readonly type: "string";
      readonly enum?: readonly string[];
      /** A regular expression the whole value must match, with a plain-words description. */
      readonly pattern?: { readonly source: string; readonly says: string };
    }
  | { readonly type: "boolean" }
  | { readonly type: "array"; readonly items: { readonly type: "integer" } | { readonly type: "string" } }
  | {
      readonly type: "object";
      readonly properties: Readonly<Record<string, ValueSpec>>;
      readonly required: readonly string[];
    }
  /** A JSON object with free keys (each matching `keys` when given) and values of one kind. */
  | {
      readonly type: "map";
      readonly keys?: { readonly source: string; readonly says: string };
      readonly values: ValueSpec;
    }
  | { readonly type: "any" };

/** Every way a failing region can fail. */
export const failModes = [
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

const failModeValue = { type: "string", enum: failModes } as const;
const failStatusValue = { type: "integer", minimum: 100, maximum: 599 } as const;
const failTwirpCodeValue = { type: "string" } as const;
const failMetaValue = { type: "map", values: { type: "string" } } as const;
/**
 * The longest delay, in ms, for `delayMs` and `X-Lk-Mock-Delay-Ms`: what one Node timer can wait
 * (a longer one fires at once). A larger value is refused rather than answered early, which would
 * turn a test meant to hang into a passing one.
 */
export const maxDelayMs = 2_147_483_647;
const delayMsValue = { type: "integer", maximum: maxDelayMs } as const;
const pathKeyValue = { type: "string", pattern: { source: pathKeyRule.pattern.source, says: pathKeyRule.says } } as const;

export interface ControlFieldSpec {
  readonly description: string;
  readonly value: ValueSpec;
  /**
   * What `null` does, with Go's encoding/json semantics: it resets slices and pointers to
   * absent, and leaves int, bool and string fields (possibly set by a legacy header) as they are.
   */
  readonly null: "resets" | "ignored";
  /** The deprecated header that sets the same field, if any. */
  readonly legacyHeader?: string;
}

export const controlFields = {
  failRegions: {
    description: "Region indices (positions in --ports) whose listeners fail this request.",
    value: { type: "array", items: { type: "integer" } },
    null: "resets",
    legacyHeader: "X-Lk-Mock-Fail-Regions",
  },
  failMode: {
    description:
      "How a failing region fails. `status` (default) answers a Twirp error (failStatus, failTwirpCode, failMeta); `drop` closes the socket without a byte; `delay` (legacy) sleeps X-Lk-Mock-Delay-Ms (default 30000, at most 2147483647), then answers as `status`; `reset` resets the TCP connection; `hang` accepts and never answers until the client goes away; `close-after-headers` sends the status line and headers announcing a body, then closes; `truncated-body` sends fewer body bytes than announced, then closes; `garbage` sends bytes that are not HTTP, then closes; `intermediary` answers an HTML 502, 503 or 504 page as a load balancer does (failStatus picks which; 502 by default); `slow-body` sends the correct answer at slowBytesPerSec. Case-insensitive.",
    value: failModeValue,
    null: "ignored",
    legacyHeader: "X-Lk-Mock-Fail-Mode",
  },
  failStatus: {
    description: "HTTP status of a `status` failure (default 503); the Twirp code is derived from it unless failTwirpCode is set.",
    value: failStatusValue,
    null: "ignored",
    legacyHeader: "X-Lk-Mock-Fail-Status",
  },
  failTwirpCode: {
    description: "Twirp error code of a `status` failure, used verbatim.",
    value: failTwirpCodeValue,
    null: "ignored",
    legacyHeader: "X-Lk-Mock-Fail-Twirp-Code",
  },
  delayMs: {
    description:
      "Milliseconds to wait before answering, on every region; replaces the method's natural latency (11000 for CreateSIPParticipant with wait_until_answered, and TransferSIPParticipant). 0 or negative: answer at once. At most 2147483647 (about 24.8 days); a larger value is refused.",
    value: delayMsValue,
    null: "resets",
  },
  regionsStatus: {
    description: "HTTP status for /settings/regions; anything but 200 answers that status with an empty body.",
    value: { type: "integer", minimum: 100, maximum: 599 },
    null: "ignored",
    legacyHeader: "X-Lk-Mock-Regions-Status",
  },
  response: {
    description:
      "Replaces the populated response entirely. Protobuf JSON of the method's response type (camelCase or proto field names); it must decode, or the request is refused.",
    value: { type: "any" },
    null: "resets",
    legacyHeader: "X-Lk-Mock-Response",
  },
  skipAuth: {
    description: "Skip token verification and grant checks.",
    value: { type: "boolean" },
    null: "ignored",
    legacyHeader: "X-Lk-Mock-Skip-Auth",
  },
  sipStatus: {
    description:
      "Fail CreateSIPParticipant and TransferSIPParticipant with this SIP status, as a real server's SIP error (Twirp code, msg and meta with error_details). Ignored by other methods.",
    value: {
      type: "object",
      properties: {
        code: { type: "integer", minimum: 0, maximum: 2147483647 },
        status: { type: "string" },
      },
      required: ["code"],
    },
    null: "resets",
  },
  pinnedRegions: {
    description:
      "Region names (`region-<i>`) allowed to serve the request; other regions answer 451 and /settings/regions lists only these.",
    value: { type: "array", items: { type: "string" } },
    null: "resets",
  },
  failMeta: {
    description: "String metadata attached to a `status` failure's Twirp error (`meta`), for SDK code that reads it.",
    value: failMetaValue,
    null: "resets",
  },
  failUntil: {
    description:
      "Epoch milliseconds: the targeted regions (failRegions and the regions with a fail field in `regions`; every region when none is named) fail while the server's clock is before it, and answer normally from then on.",
    // The latest instant a JavaScript Date can hold (year 275760): beyond it "until when" has no
    // answer, and a refusal says so instead.
    value: { type: "integer", minimum: 0, maximum: 8_640_000_000_000_000 },
    null: "resets",
  },
  failFirst: {
    description:
      "Needs `journal`. The first n requests under that journal key that reach a targeted region (every region when none is named) fail; later ones succeed. Counted exactly, whatever region and concurrency.",
    value: { type: "integer", minimum: 0, maximum: 1_000_000 },
    null: "resets",
  },
  regions: {
    description:
      'Per-region plans: a region index ("0", "1", …) maps to its own failMode, failStatus, failTwirpCode, failMeta and delayMs, which win over the flat fields for that region. A region whose plan has a fail field fails without being in failRegions.',
    value: {
      type: "map",
      keys: { source: "^(0|[1-9][0-9]{0,5})$", says: 'a region index such as "0"' },
      values: {
        type: "object",
        properties: {
          failMode: failModeValue,
          failStatus: failStatusValue,
          failTwirpCode: failTwirpCodeValue,
          failMeta: failMetaValue,
          delayMs: delayMsValue,
        },
        required: [],
      },
    },
    null: "resets",
  },
  slowBytesPerSec: {
    description: "How fast `slow-body` sends the answer, in bytes per second (default 64).",
    value: { type: "integer", minimum: 1, maximum: 1_000_000_000 },
    null: "resets",
  },
  listSize: {
    description:
      "How many elements every populated list of the answer gets, 0 to 100 (default 1). With more than one, id-like placeholders get a suffix (`MOCK_SID_1`, `MOCK_SID_2`, …) so elements differ.",
    value: { type: "integer", minimum: 0, maximum: 100 },
    null: "resets",
  },
  journal: {
    description:
      "Records this request in the journal under this key (1–64 characters of A–Z, a–z, 0–9, `.`, `_`, `~`, `-`, other than `.` and `..`), read back with GET /_test/journal/<key> on any port.",
    value: pathKeyValue,
    null: "resets",
  },
  echo: {
    description:
      "The answer carries X-Lk-Mock-Echo: this request's journal entry as base64url JSON (at most 8 KiB; a larger entry is cut and says `truncated`).",
    value: { type: "boolean" },
    null: "ignored",
  },
  state: {
    description:
      "Stateful mode: the request reads and changes the world of this key (1–64 characters of A–Z, a–z, 0–9, `.`, `_`, `~`, `-`, other than `.` and `..`), and only it, on every region; GET /_test/state/<key> shows it, DELETE resets it. Without it the request uses the server-wide world of --stateful, or none (the stateless answers).",
    value: pathKeyValue,
    null: "resets",
  },
  webhooks: {
    description:
      "After a success, post the webhook events a real server sends for this call to `url` (a loopback host unless --webhook-allow-hosts lists it), signed for `apiKey` with the server's --api-secret, or with `apiSecret` when given. Failures and drops send nothing. In stateful mode it becomes the world's destination: every later state change of the world (this call's and the ones that follow, timeouts included) is posted there.",
    value: {
      type: "object",
      properties: {
        url: { type: "string" },
        apiKey: { type: "string" },
        apiSecret: { type: "string" },
      },
      required: ["url", "apiKey"],
    },
    null: "resets",
  },
} as const satisfies Readonly<Record<string, ControlFieldSpec>>;

export type ControlFieldName = keyof typeof controlFields;

type ValueOf<S> = S extends { type: "integer" }
  ? number
  : S extends { type: "string"; enum: readonly (infer E)[] }
    ? E
    : S extends { type: "string" }
      ? string
      : S extends { type: "boolean" }
        ? boolean
        : S extends { type: "array"; items: infer I }
          ? ValueOf<I>[]
          : S extends { type: "map"; values: infer V }
            ? Record<string, ValueOf<V>>
            : S extends { type: "object"; properties: infer P; required: readonly (infer R extends string)[] }
              ? { [K in keyof P & R]: ValueOf<P[K]> } & { [K in Exclude<keyof P, R>]?: ValueOf<P[K]> }
              : unknown;

/** The `X-Lk-Mock` object as test code writes it. */
export type MockControl = {
  -readonly [K in ControlFieldName]?: ValueOf<(typeof controlFields)[K]["value"]> | null;
};
