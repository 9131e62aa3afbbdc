// permessage-deflate without zlib streams held per connection. ws keeps one deflate stream (about
// 256 KiB with zlib's defaults) and one inflate stream per connection for its whole life, which made
// 500 idle compressed signal clients cost about 260 KiB each, where the original (gorilla/websocket)
// costs about as much as an uncompressed connection. Both directions are negotiated without context
// takeover, so no message depends on what a stream did before, and a stream reset after a message
// is as good as a new one. As gorilla does with its pool of flate writers, deflate streams are
// shared: a connection takes one for a message and gives it back after. Inflate streams are closed
// after each message instead, because ws ties an inflate stream to the connection that created it
// (its error path clears that connection's stream), so one must never move to another connection.
//
// This reaches into ws's private PerMessageDeflate, so package.json pins ws to one exact version and
// test/signal/lazy-deflate-ws.test.ts holds that version to every member used here.
import type { WebSocket } from "ws";

type Callback = (err: Error | null, result?: Buffer) => void;

interface ZlibStream {
  close(): void;
  readonly destroyed: boolean;
}

/** The parts of ws's PerMessageDeflate (lib/permessage-deflate.js) this relies on. */
interface PerMessageDeflate {
  readonly compress: unknown;
  /** Runs inside ws's zlib concurrency limiter, one message (or fragment) at a time. */
  _compress(data: Buffer, fin: boolean, callback: Callback): void;
  _decompress(data: Buffer, fin: boolean, callback: Callback): void;
  _deflate: ZlibStream | null;
  _inflate: ZlibStream | null;
  readonly params: Readonly<Record<string, unknown>>;
}

/**
 * Idle deflate streams, reset and ready for any connection. ws runs at most 10 zlib operations at
 * a time (its concurrency limit, inside which a stream is taken and given back), so about that
 * many streams serve every connection.
 */
const idleDeflates: ZlibStream[] = [];
const maxIdleDeflates = 16;

/** The negotiated permessage-deflate of `ws`, if any. */
export function perMessageDeflateOf(ws: WebSocket): PerMessageDeflate | undefined {
  const extensions = (ws as unknown as { _extensions?: Record<string, PerMessageDeflate | undefined> })._extensions;
  const extension = extensions?.["permessage-deflate"];
  return extension !== undefined && typeof extension._compress === "function" && "_deflate" in extension ? extension : undefined;
}

/** How many deflate streams wait to be reused, for tests. */
export function idleDeflateStreams(): number {
  return idleDeflates.length;
}

/**
 * Makes the connection's permessage-deflate, if negotiated, hold no zlib stream between messages.
 * Returns false when `ws` has none (the client did not offer compression).
 */
export function releaseZlibBetweenMessages(ws: WebSocket): boolean {
  const deflate = perMessageDeflateOf(ws);
  if (deflate === undefined) return false;
  // A stream is only as reusable as the settings it was made with: these are the same for every
  // connection (the handshake offers ws a bare permessage-deflate), and checked here regardless.
  const stateless =
    deflate.params["server_no_context_takeover"] === true &&
    deflate.params["client_no_context_takeover"] === true &&
    deflate.params["server_max_window_bits"] === undefined;
  const compress = deflate._compress.bind(deflate);
  const decompress = deflate._decompress.bind(deflate);
  deflate._compress = (data, fin, callback) => {
    if (stateless && deflate._deflate === null) deflate._deflate = idleDeflates.pop() ?? null;
    compress(data, fin, (err, result) => {
      // Before the callback, which lets ws's limiter start the next operation (of any connection)
      // and ws's sender the next message of this one.
      if (fin && deflate._deflate !== null) {
        const stream = deflate._deflate;
        deflate._deflate = null;
        if (stateless && err === null && !stream.destroyed && idleDeflates.length < maxIdleDeflates) idleDeflates.push(stream);
        else stream.close();
      }
      callback(err, result);
    });
  };
  deflate._decompress = (data, fin, callback) =>
    decompress(data, fin, (err, result) => {
      if (fin && deflate._inflate !== null) {
        deflate._inflate.close();
        deflate._inflate = null;
      }
      callback(err, result);
    });
  return true;
}
