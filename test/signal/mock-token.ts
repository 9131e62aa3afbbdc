// Join tokens carrying an `lk.mock` attribute, as SDK suites sign them.
import { signToken, type TokenOptions } from "../support/tokens.js";

export const participant = { identity: "alice", name: "Alice", room: "my-room" } as const;

/** `mock` is JSON-encoded unless it is already a string; undefined leaves the attribute out. */
export function mockToken(mock?: Record<string, unknown> | string, options: TokenOptions = {}): Promise<string> {
  const attributes = mock === undefined ? {} : { "lk.mock": typeof mock === "string" ? mock : JSON.stringify(mock) };
  return signToken({
    identity: participant.identity,
    name: participant.name,
    video: { roomJoin: true, room: participant.room },
    attributes,
    ...options,
  });
}
