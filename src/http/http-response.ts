// What a handler can do with the answer: send it whole (one write: status line, headers, Date,
// Content-Length and body together), notice the client going away, or take the connection over
// for a protocol switch or a fault that is not an HTTP answer.
import type { Socket } from "node:net";

export type HeaderFields = Readonly<Record<string, string | number>>;

export interface HttpResponse {
  /** True once an answer went out, or the connection was dropped or taken over. */
  readonly finished: boolean;
  /** True once the connection is closed or reset (a FIN alone leaves it open for the answer). */
  readonly clientGone: boolean;
  /** The status of the answer sent, 0 before. */
  readonly status: number;
  /**
   * Sends the complete answer. `Date` and `Content-Length` are added (no body and no length for
   * 1xx, 204 and 304, as Go writes them); `Connection: close` when the connection ends after it.
   */
  send(status: number, headers: HeaderFields, body?: string | Uint8Array): void;
  /**
   * An interim answer (a 1xx other than 101) ahead of the final one, carrying `headers` as Go's
   * net/http writes them there: no `Date`, no framing.
   */
  sendInformational(status: number, headers?: HeaderFields): void;
  /** Ends the connection after this answer even when the client would keep it. */
  closeAfterAnswer(): void;
  /** Calls `listener` once if the connection closes or resets before the answer is finished; returns a remover. */
  onClientGone(listener: () => void): () => void;
  /**
   * Calls `listener` once the client will send nothing more: it sent FIN (it may still read) or went
   * away. For an answer that will never come, so that the connection can be closed.
   */
  onInputEnd(listener: () => void): void;
  /**
   * Resolves true after `ms`, or false as soon as the client has gone away (closed or reset; a
   * FIN alone is not going away: docs/spec/http.md#half-close).
   */
  wait(ms: number): Promise<boolean>;
  /** Closes the connection without sending a byte. */
  drop(): void;
  /** Closes the connection whatever state it is in, taken over or not: for a handler that failed. */
  abort(): void;
  /**
   * Detaches the connection from HTTP: no more requests are read from it and nothing more is
   * written by the server. `head` holds the bytes received after this request's head.
   */
  takeOver(): { readonly socket: Socket; readonly head: Buffer };
}
