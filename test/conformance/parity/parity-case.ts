// One request of the parity matrix, and what a server's answer to it looks like once the parts
// that may legitimately differ (ports, JSON whitespace, header order) are normalized away.
import type { DescMessage } from "@bufbuild/protobuf";

export interface ParityCase {
  /** Unique and readable, e.g. `livekit.RoomService/CreateRoom json empty`. */
  readonly id: string;
  /** The test that reports it. */
  readonly group: string;
  /** The Twirp key, when the path is under the prefix. */
  readonly key?: string;
  readonly path: string;
  readonly method: string;
  /** Region index whose listener receives the request. */
  readonly region: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Uint8Array;
  /** Schema of a successful binary reply, to decode it. */
  readonly output?: DescMessage;
  /** The answer must take at least this long (delays); recorded as the `delayed` field. */
  readonly minDelayMs?: number;
  /**
   * What is special about the input, for the intended-difference matchers, e.g.
   * `control:invalid`, `auth:missing-grant`, `body:undecodable`, `sip:486`.
   */
  readonly tags: ReadonlySet<string>;
  /**
   * A well-formed case the original is expected to treat this one as (it ignores the mistake):
   * intended differences compare the original's answers to both.
   */
  readonly baseline?: string;
}

export const fields = [
  "transport",
  "informational",
  "status",
  "contentType",
  "region",
  "cacheControl",
  "nosniff",
  "code",
  "msg",
  "meta",
  "errorRaw",
  "body",
  "delayed",
] as const;

export type Field = (typeof fields)[number];

/** Field → normalized value; a field a reply does not have is absent. */
export type Observation = Readonly<Partial<Record<Field, unknown>>>;

export interface FieldDiff {
  readonly field: Field;
  readonly ours: unknown;
  readonly original: unknown;
}
