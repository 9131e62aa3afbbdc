// The logging contract every part writes through; the server decides where lines go and in which
// format (server/request-log.ts). Handlers only describe what they answered and why.

export interface RequestOutcome {
  readonly region: string;
  /** The Twirp key, or the HTTP method and path for other routes. */
  readonly target: string;
  /**
   * HTTP status; "dropped" when the socket was closed without an answer, "client-gone" when the
   * client left first, the fault's name when one broke the answer on purpose, or "no-answer" when
   * a webhook's receiver could not be reached.
   */
  readonly status: number | string;
  readonly code?: string;
  readonly latencyMs: number;
  readonly why: string;
}

export interface Logger {
  readonly requestsEnabled: boolean;
  request(outcome: RequestOutcome): void;
  info(message: string): void;
  error(message: string): void;
}
