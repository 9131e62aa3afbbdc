// One accepted WebSocket as a signal session drives it, with the original's gorilla semantics where
// ws differs (REFERENCE §6.4): a peer's close frame is echoed with its code only (ws would echo the
// reason too), a close we send is followed by a TCP close at once (ws would wait for the reply), and
// nothing is read while the session is not reading. Its timers end with the connection.
import type { Socket } from "node:net";
import { fromBinary } from "@bufbuild/protobuf";
import { WebSocket } from "ws";
import { SignalRequestSchema, type SignalRequest } from "../../generated/livekit_rtc_pb.js";

export interface SignalSocket {
  /** Sends one binary frame; nothing is sent once a close has begun. */
  send(frame: Uint8Array): void;
  /** Sends a close frame (no status for `undefined`) once earlier frames are out, then closes TCP. */
  closeThenDrop(code: number | undefined, reason: string): void;
  /** Closes TCP without a close frame: the peer sees 1006. */
  drop(): void;
  /** Stops reading frames (pings go unanswered, close frames unseen) until resumeReading. */
  pauseReading(): void;
  resumeReading(): void;
  /** Runs `fn` after `ms` unless the connection is closing or gone. */
  after(ms: number, fn: () => void): void;
  /** Decoded binary requests go to `handler`; without one they are read and discarded. */
  onRequest(handler: ((request: SignalRequest) => void) | undefined): void;
  /** What a close frame from the peer gets: an echo of its code (gorilla's default) or a TCP drop. */
  setPeerCloseAnswer(answer: "echo" | "drop"): void;
}

export function createSignalSocket(ws: WebSocket, socket: Socket): SignalSocket {
  const timers = new Set<NodeJS.Timeout>();
  let closing = false;
  let pendingSends = 0;
  let whenIdle: (() => void) | undefined;
  let handler: ((request: SignalRequest) => void) | undefined;
  let peerCloseAnswer: "echo" | "drop" = "echo";

  socket.once("close", () => {
    closing = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  });
  // ws reports protocol errors and resets here after acting on them; the session needs nothing more.
  ws.on("error", () => {});

  ws.on("message", (data, isBinary) => {
    if (closing || handler === undefined || !isBinary) return;
    let request: SignalRequest;
    try {
      request = fromBinary(SignalRequestSchema, data as Buffer);
    } catch {
      return;
    }
    handler(request);
  });

  // ws answers a peer's close frame by calling close(code, reason), or close() when it carried no
  // status (lib/websocket.js receiverOnConclude), and a protocol error by calling close(code).
  ws.close = (...args: [code?: number, reason?: string | Buffer]) => {
    const closeFrame = args.length !== 1;
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
      closing = true;
      socket.destroy();
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
    setPeerCloseAnswer(answer) {
      peerCloseAnswer = answer;
    },
  };
  return conn;
}
