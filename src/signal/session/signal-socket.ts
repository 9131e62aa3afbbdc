// One accepted WebSocket as a signal session drives it, with the original's gorilla semantics where
// ws differs (docs/spec/signal.md#messages): a peer's close frame is echoed with its code only (ws
// would echo the reason too), a close we send is followed by a TCP close at once (ws would wait for
// the reply), and nothing is read while the session is not reading. Its timers end with the
// connection, and it reports once how the connection ended.
import type { Socket } from "node:net";
import { fromBinary } from "@bufbuild/protobuf";
import { WebSocket } from "ws";
import { SignalRequestSchema, type SignalRequest } from "../../../generated/livekit_rtc_pb.js";

/** What the server read: a decoded request, or a frame it ignores. */
export type ReadFrame =
  { readonly kind: "request"; readonly request: SignalRequest } | { readonly kind: "text" | "undecodable"; readonly bytes: number };

/** How a connection ended. */
export interface ConnectionEnd {
  /** Who ended it: the side that sent the first close frame, or closed TCP without one. */
  readonly by: "client" | "server";
  /** The first close frame's code; 1005 for a frame without one, 1006 when TCP closed without a frame. */
  readonly code: number;
  readonly reason: string;
}

/** Close codes without a close frame (RFC 6455 §7.1.5). */
export const noStatusCode = 1005;
export const abnormalClosureCode = 1006;

export interface SignalSocket {
  /** Sends one binary frame; nothing is sent once a close has begun. */
  send(frame: Uint8Array): void;
  /** Sends a close frame (no status for `undefined`) once earlier frames are out, then closes TCP. */
  closeThenDrop(code: number | undefined, reason: string): void;
  /** Closes TCP without a close frame, once earlier frames are out: the peer sees 1006. */
  drop(): void;
  /** Stops reading frames (pings go unanswered, close frames unseen) until resumeReading. */
  pauseReading(): void;
  resumeReading(): void;
  /** Runs `fn` after `ms` unless the connection is closing or gone. */
  after(ms: number, fn: () => void): void;
  /** Decoded binary requests go to `handler`; without one they are read and discarded. */
  onRequest(handler: ((request: SignalRequest) => void) | undefined): void;
  /** Sees every frame read, before the request handler does. */
  onRead(observer: (frame: ReadFrame) => void): void;
  /** Called once, when the TCP connection has closed. */
  onEnd(observer: (end: ConnectionEnd) => void): void;
  /** What a close frame from the peer gets: an echo of its code (gorilla's default) or a TCP drop. */
  setPeerCloseAnswer(answer: "echo" | "drop"): void;
}

export function createSignalSocket(ws: WebSocket, socket: Socket): SignalSocket {
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  let pendingSends = 0;
  let whenIdle: (() => void) | undefined;
  let handler: ((request: SignalRequest) => void) | undefined;
  let readObserver: ((frame: ReadFrame) => void) | undefined;
  let endObserver: ((end: ConnectionEnd) => void) | undefined;
  let peerCloseAnswer: "echo" | "drop" = "echo";
  // The first close frame either way, or a drop, decides who ended the connection.
  let end: ConnectionEnd | undefined;
  let peerWentAway = false;

  const ended = (what: ConnectionEnd): void => {
    end ??= what;
  };

  socket.once("end", () => (peerWentAway = true));
  socket.once("error", () => (peerWentAway = true));
  socket.once("close", () => {
    closing = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    // Neither side sent a close frame: whoever closed TCP ended it (the server only on shutdown).
    ended({ by: peerWentAway ? "client" : "server", code: abnormalClosureCode, reason: "" });
    endObserver?.(end!);
  });
  // ws reports protocol errors and resets here after acting on them; the session needs nothing more.
  ws.on("error", () => {});

  ws.on("message", (data, isBinary) => {
    if (closing) return;
    const bytes = data as Buffer;
    if (!isBinary) {
      readObserver?.({ kind: "text", bytes: bytes.length });
      return;
    }
    let request: SignalRequest;
    try {
      request = fromBinary(SignalRequestSchema, bytes);
    } catch {
      readObserver?.({ kind: "undecodable", bytes: bytes.length });
      return;
    }
    readObserver?.({ kind: "request", request });
    handler?.(request);
  });

  // ws answers a peer's close frame by calling close(code, reason), or close() when it carried no
  // status (lib/websocket.js receiverOnConclude), and a protocol error (such as a message above
  // maxPayload) by calling close(code).
  ws.close = (...args: [code?: number, reason?: string | Buffer]) => {
    const closeFrame = args.length !== 1;
    if (closeFrame) ended({ by: "client", code: args[0] ?? noStatusCode, reason: String(args[1] ?? "") });
    if (closeFrame && peerCloseAnswer === "drop") conn.drop();
    else conn.closeThenDrop(args[0], "");
  };

  const conn: SignalSocket = {
    send(frame) {
      if (closing) return;
      pendingSends++;
      ws.send(frame, { binary: true }, () => {
        pendingSends--;
        if (pendingSends === 0) whenIdle?.();
      });
    },
    closeThenDrop(code, reason) {
      if (closing) return;
      closing = true;
      ended({ by: "server", code: code ?? noStatusCode, reason });
      // A frame still being compressed is queued inside ws; the close frame must not overtake it,
      // and TCP may only close after it is written.
      whenIdle = () => {
        whenIdle = undefined;
        if (socket.destroyed) return;
        WebSocket.prototype.close.call(ws, code, reason);
        socket.destroySoon();
      };
      if (pendingSends === 0) whenIdle();
    },
    drop() {
      if (closing) return;
      closing = true;
      ended({ by: "server", code: abnormalClosureCode, reason: "" });
      // As with a close: a frame sent before (a join still being compressed) is written first, as
      // gorilla has written every frame before the next step runs.
      whenIdle = () => {
        whenIdle = undefined;
        socket.destroy();
      };
      if (pendingSends === 0) whenIdle();
    },
    pauseReading: () => ws.pause(),
    resumeReading: () => ws.resume(),
    after(ms, fn) {
      if (closing) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (!closing) fn();
      }, ms);
      timers.add(timer);
    },
    onRequest(next) {
      handler = next;
    },
    onRead(observer) {
      readObserver = observer;
    },
    onEnd(observer) {
      endObserver = observer;
    },
    setPeerCloseAnswer(answer) {
      peerCloseAnswer = answer;
    },
  };
  return conn;
}
