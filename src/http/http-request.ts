// What a handler sees of a request. Header names are lower case; `header` returns the first value,
// as Go's Header.Get does, which is what the original reads.

export interface HttpRequest {
  readonly method: string;
  /** The request target as sent, query included. */
  readonly url: string;
  /**
   * The path the target names, percent-decoded, as Go's r.URL.Path: what routes match
   * (docs/spec/http.md#routing). "*" for `OPTIONS *`; "" for a target without a path.
   */
  readonly path: string;
  /** 0 for HTTP/1.0; 1 for HTTP/1.1 and the later 1.x versions, served as 1.1. */
  readonly minorVersion: number;
  /** `performance.now()` when the request's head was complete. */
  readonly arrivedAt: number;
  /** `Connection: upgrade` with an `Upgrade` header. */
  readonly wantsUpgrade: boolean;
  /** Whether the request announces a body (a Content-Length above 0, or chunked). */
  readonly hasBody: boolean;
  header(name: string): string | undefined;
  headerValues(name: string): readonly string[];
  /** The header lines whose (lower-case) names start with `prefix`, in arrival order. */
  headersStartingWith(prefix: string): readonly (readonly [string, string])[];
  /** First values by lower-case name, for code written against Node's IncomingMessage.headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** The whole body, read on first call (so a handler that never asks never waits for it). */
  body(): Promise<Buffer>;
}

/** Why a body could not be read; the protocol handler decides how to answer it. */
export class BodyReadError extends Error {
  override name = "BodyReadError";
  constructor(
    readonly reason: "too-large" | "malformed" | "aborted",
    message: string,
  ) {
    super(message);
  }
}
