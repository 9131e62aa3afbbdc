// The one definition of the `lk.mock` token attribute (REFERENCE §6.1 and what this server adds).
// The strict reader, the JSON Schema served at /_test/schema and the typed helper's input type all
// derive from it, so they cannot drift apart.
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { JoinResponseSchema, type SignalRequest, type SignalResponse } from "../../../generated/livekit_rtc_pb.js";
import { journalKeyRule } from "../../journal/journal.js";
import { pathKeyRule } from "../../shared/path-key.js";

export const signalModes = [
  "happy",
  "validate_500",
  "validate_service_not_found",
  "room_not_found",
  "no_first_message",
  "no_pong",
  "close_before_join",
  "close_when_connected",
  "drop_when_connected",
  "leave_when_connected",
  "leave_first_message",
  "leave_during_reconnect",
  "drop_on_close",
] as const;

export type SignalMode = (typeof signalModes)[number];

/** LeaveRequest.Action by name; a name is looked up upper-cased. */
export const leaveActions: Readonly<Record<string, number>> = { DISCONNECT: 0, RESUME: 1, RECONNECT: 2 };

/** The longest wait a join delay or a script step may ask for; a test has no use for more. */
export const maxWaitMs = 3_600_000;

/** What a value may be. `send` and `replies` are protojson; the rest is plain JSON. */
export type SignalValueSpec =
  | { readonly type: "mode" }
  | { readonly type: "leaveAction" }
  | { readonly type: "integer"; readonly minimum: number; readonly maximum: number }
  | { readonly type: "string"; readonly pattern: RegExp; readonly patternText: string }
  | { readonly type: "text" }
  | { readonly type: "maxBytes"; readonly maxBytes: number }
  | { readonly type: "true" }
  | { readonly type: "message"; readonly schema: typeof JoinResponseSchema }
  /** A protojson SignalResponse that sets exactly one kind of message. */
  | { readonly type: "signalResponse" }
  /** An object keyed by SignalRequest kinds, each a signalResponse or null. */
  | { readonly type: "replies" }
  | { readonly type: "array"; readonly items: SignalValueSpec }
  | {
      readonly type: "object";
      readonly properties: Readonly<Record<string, SignalFieldSpec>>;
      readonly required: readonly string[];
      /** Exactly one of these must be set. */
      readonly oneOf?: readonly string[];
    };

export interface SignalFieldSpec {
  readonly description: string;
  readonly value: SignalValueSpec;
}

const closeStep = {
  type: "object",
  properties: {
    code: {
      description:
        "Close code: 1000–1003, 1007–1014 or 3000–4999 (what RFC 6455 lets an endpoint send). Absent: a close frame without a code (the client sees 1005).",
      value: { type: "integer", minimum: 1000, maximum: 4999 },
    },
    reason: {
      description: "Close reason, at most 123 bytes of UTF-8; needs a code.",
      value: { type: "maxBytes", maxBytes: 123 },
    },
  },
  required: [],
} as const satisfies SignalValueSpec;

const scriptStep = {
  type: "object",
  properties: {
    afterMs: {
      description: `Milliseconds after the join (or reconnect response) was sent, 0–${maxWaitMs}; steps are listed in time order.`,
      value: { type: "integer", minimum: 0, maximum: maxWaitMs },
    },
    send: {
      description: 'A protojson SignalResponse setting exactly one message, e.g. {"roomUpdate":{"room":{"metadata":"m"}}}.',
      value: { type: "signalResponse" },
    },
    close: {
      description: "Send a close frame, then close TCP.",
      value: closeStep,
    },
    drop: {
      description: "Close TCP without a close frame (the client sees 1006). Must be true.",
      value: { type: "true" },
    },
  },
  required: ["afterMs"],
  oneOf: ["send", "close", "drop"],
} as const satisfies SignalValueSpec;

export const signalFields = {
  signal: {
    description: "The connection's mode (case-sensitive); absent, null or empty means happy.",
    value: { type: "mode" },
  },
  leaveAction: {
    description:
      "The action of every LeaveRequest the mode sends: DISCONNECT, RESUME or RECONNECT (any case) or an int32, passed through. Absent or null: DISCONNECT.",
    value: { type: "leaveAction" },
  },
  joinDelayMs: {
    description: `The join (or reconnect response) comes this many milliseconds after the upgrade, 0–${maxWaitMs}.`,
    value: { type: "integer", minimum: 0, maximum: maxWaitMs },
  },
  pingInterval: {
    description: "ping_interval of the join, in seconds (default 1).",
    value: { type: "integer", minimum: 0, maximum: 2147483647 },
  },
  pingTimeout: {
    description: "ping_timeout of the join, in seconds (default 3).",
    value: { type: "integer", minimum: 0, maximum: 2147483647 },
  },
  join: {
    description:
      "Protojson JoinResponse merged over the default join: set fields replace the default's, nested messages merge field by field, lists are added (the default has none).",
    value: { type: "message", schema: JoinResponseSchema },
  },
  script: {
    description: "Steps played after the join (or reconnect response): send a message, close or drop, each at its time.",
    value: { type: "array", items: scriptStep },
  },
  replies: {
    description:
      "What the server answers to each kind of SignalRequest (protojson names, e.g. updateMetadata): a protojson SignalResponse (the request's requestId is filled in where both have one and the reply leaves it 0) or null for nothing. Kinds without a rule keep the mode's answer.",
    value: { type: "replies" },
  },
  journal: {
    description:
      "Journal key: every request the client sends, the connection and its close are recorded under it (GET /_test/journal/<key>).",
    value: { type: "string", pattern: journalKeyRule.pattern, patternText: journalKeyRule.pattern.source },
  },
  state: {
    description:
      "Stateful mode: the connection joins its token's room in the world of this key (as the X-Lk-Mock field): the room is created if needed, the participant is listed until the connection ends, and API changes reach it as ParticipantUpdate and RoomUpdate messages. Without it the connection uses the server-wide world of --stateful, or none.",
    value: { type: "string", pattern: pathKeyRule.pattern, patternText: pathKeyRule.pattern.source },
  },
  webhooks: {
    description:
      "Where this connection's participant webhook events go (as the X-Lk-Mock field): a join emits participant_joined (after room_started for a room's first), a leave or close participant_left, a drop participant_connection_aborted (then room_finished for a room's last). `url` must be a loopback host unless --webhook-allow-hosts lists it.",
    value: {
      type: "object",
      properties: {
        url: { description: "The handler's URL, http or https.", value: { type: "text" } },
        apiKey: { description: "The API key the events are signed for (the token's iss).", value: { type: "text" } },
        apiSecret: { description: "Signs instead of the server's --api-secret.", value: { type: "text" } },
      },
      required: ["url", "apiKey"],
    },
  },
} as const satisfies Readonly<Record<string, SignalFieldSpec>>;

export type SignalFieldName = keyof typeof signalFields;

export type SignalRequestKind = NonNullable<SignalRequest["message"]["case"]>;
export type SignalResponseKind = NonNullable<SignalResponse["message"]["case"]>;

/** A protojson SignalResponse as test code writes it: one kind of message. */
export type SignalResponseJson = { readonly [K in SignalResponseKind]?: JsonValue };

type ValueOf<S> = S extends { type: "mode" }
  ? SignalMode
  : S extends { type: "leaveAction" }
    ? "DISCONNECT" | "RESUME" | "RECONNECT" | number
    : S extends { type: "integer" }
      ? number
      : S extends { type: "string" } | { type: "maxBytes" } | { type: "text" }
        ? string
        : S extends { type: "true" }
          ? true
          : S extends { type: "message" }
            ? JsonObject
            : S extends { type: "signalResponse" }
              ? SignalResponseJson
              : S extends { type: "replies" }
                ? { readonly [K in SignalRequestKind]?: SignalResponseJson | null }
                : S extends { type: "array"; items: infer I }
                  ? readonly ValueOf<I>[]
                  : S extends { type: "object"; properties: infer P; required: readonly (infer R extends string)[] }
                    ? { readonly [K in keyof P & R]: FieldValue<P[K]> } & { readonly [K in Exclude<keyof P, R>]?: FieldValue<P[K]> }
                    : never;

type FieldValue<F> = F extends { value: infer S } ? ValueOf<S> : never;

/** The `lk.mock` object as test code writes it. */
export type SignalMockInput = { readonly [K in SignalFieldName]?: FieldValue<(typeof signalFields)[K]> | null };
