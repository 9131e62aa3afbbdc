// The first message of a connection as `lk.mock` shapes it: the default join with `pingInterval`,
// `pingTimeout` and the `join` protojson merged over it, or the reconnect response, which shaping
// leaves as the original sends it. Timing (`joinDelayMs`) is the session's.
import { mergeFromJson } from "@bufbuild/protobuf";
import { JoinResponseSchema, type JoinResponse } from "../../../generated/livekit_rtc_pb.js";
import type { TokenClaims } from "../../auth/token-claims.js";
import { defaultJoin, joinResponse, reconnectResponse } from "./messages.js";
import type { SignalMock } from "../attribute/signal-mode.js";

export interface FirstMessage {
  readonly kind: "join" | "reconnect";
  readonly frame: Uint8Array;
}

/** `base` replaces the default join (a stateful join's room and participants); shaping applies to it alike. */
export function firstMessage(mock: SignalMock, reconnect: boolean, region: string, claims: TokenClaims, base?: JoinResponse): FirstMessage {
  if (reconnect) return { kind: "reconnect", frame: reconnectResponse(region) };
  const join = base ?? defaultJoin(region, claims);
  if (mock.pingInterval !== undefined) join.pingInterval = mock.pingInterval;
  if (mock.pingTimeout !== undefined) join.pingTimeout = mock.pingTimeout;
  // Checked to decode when the token was admitted. protojson merge semantics: fields present in the
  // JSON replace the default's, nested messages merge, lists are appended to the (empty) defaults.
  if (mock.join !== undefined) mergeFromJson(JoinResponseSchema, join, mock.join);
  return { kind: "join", frame: joinResponse(join) };
}
