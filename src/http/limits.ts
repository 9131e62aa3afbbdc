// What one connection may cost, stated once: the limits table of docs/limits.md quotes these.

export interface HttpLimits {
  /** Bytes of the request line and headers. Go's http.DefaultMaxHeaderBytes (1 MiB) plus the 4 KiB
   * it reads beyond that before refusing, so whatever the original accepts is accepted here. */
  readonly headerBytes: number;
  /** Bytes of a request body. LiveKit requests are far smaller; this bounds what one request holds. */
  readonly bodyBytes: number;
  /** A connection with no request in progress (new, or kept alive between requests) is closed after this. */
  readonly idleMs: number;
  /** From a request's first byte until its headers are complete. */
  readonly headersMs: number;
  /** From the end of the headers until the body is complete. */
  readonly bodyMs: number;
  /** Pending connections the kernel queues per listener (Go's listen backlog is the system's, 4096 here). */
  readonly backlog: number;
  /** Requests one connection may start in one turn of the event loop before the others have theirs. */
  readonly requestsPerTurn: number;
  /** Bytes one connection may read in one turn of the event loop before the others have theirs (one
   * read of Node's: a turn reads at least one, whatever its size). */
  readonly bytesPerTurn: number;
}

export const defaultHttpLimits: HttpLimits = {
  headerBytes: (1 << 20) + 4096,
  bodyBytes: 4 * 1024 * 1024,
  idleMs: 60_000,
  headersMs: 60_000,
  bodyMs: 300_000,
  backlog: 4096,
  requestsPerTurn: 32,
  bytesPerTurn: 64 * 1024,
};
