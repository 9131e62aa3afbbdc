// The one definition of the `X-Lk-Mock` control object (REFERENCE §4.2). The strict parser, the
// JSON Schema served at /_test/schema and the typed helper's input type all derive from it, so
// they cannot drift apart.

export type ValueSpec =
  | { readonly type: "integer"; readonly minimum?: number; readonly maximum?: number }
  | { readonly type: "string"; readonly enum?: readonly string[] }
  | { readonly type: "boolean" }
  | { readonly type: "array"; readonly items: { readonly type: "integer" } | { readonly type: "string" } }
  | {
      readonly type: "object";
      readonly properties: Readonly<Record<string, ValueSpec>>;
      readonly required: readonly string[];
    }
  | { readonly type: "any" };

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
      "How a failing region fails: `status` answers failStatus/failTwirpCode, `drop` closes the socket without a byte, `delay` (legacy) sleeps X-Lk-Mock-Delay-Ms (default 30000) and then answers as `status`. Case-insensitive.",
    value: { type: "string", enum: ["status", "drop", "delay"] },
    null: "ignored",
    legacyHeader: "X-Lk-Mock-Fail-Mode",
  },
  failStatus: {
    description: "HTTP status of a `status` failure (default 503); the Twirp code is derived from it unless failTwirpCode is set.",
    value: { type: "integer", minimum: 100, maximum: 599 },
    null: "ignored",
    legacyHeader: "X-Lk-Mock-Fail-Status",
  },
  failTwirpCode: {
    description: "Twirp error code of a `status` failure, used verbatim.",
    value: { type: "string" },
    null: "ignored",
    legacyHeader: "X-Lk-Mock-Fail-Twirp-Code",
  },
  delayMs: {
    description:
      "Milliseconds to wait before answering, on every region; replaces the method's natural latency (11000 for CreateSIPParticipant with wait_until_answered, and TransferSIPParticipant). 0 or negative: answer at once.",
    value: { type: "integer" },
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
          : S extends { type: "object"; properties: infer P; required: readonly (infer R extends string)[] }
            ? { [K in keyof P & R]: ValueOf<P[K]> } & { [K in Exclude<keyof P, R>]?: ValueOf<P[K]> }
            : unknown;

/** The `X-Lk-Mock` object as test code writes it. */
export type MockControl = {
  -readonly [K in ControlFieldName]?: ValueOf<(typeof controlFields)[K]["value"]> | null;
};
