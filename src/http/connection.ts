// One client connection: reads requests one after another (pipelined ones wait their turn), hands
// each to the server's handler, writes its answer in one piece and keeps the connection for the
// next request unless either side ends it. Deadlines are checked by the server's sweep, not by a
// timer per request, so a request costs no timer at all. A connection that always has more to
// read takes its share of a turn of the event loop and then waits for the next, so that it cannot
// keep the others waiting (docs/spec/http.md#fairness).
import type { Socket } from "node:net";
import { currentTurn } from "./event-loop-turn.js";
import { Exchange, type ExchangeHost } from "./exchange.js";
import { createHeadParser, type HeadParser, type HeadStep } from "./head-parser.js";
import { headProblem, type HeadProblem } from "./head-problem.js";
import type { HttpRequest } from "./http-request.js";
import type { HttpResponse } from "./http-response.js";
import { createInputQueue, type InputQueue } from "./input-queue.js";
import type { HttpLimits } from "./limits.js";

export interface ConnectionHandlers {
  /** Answers the request through `res` (now or later); the next request waits until it has. */
  request(req: HttpRequest, res: HttpResponse): void;
  /** Answers a request that cannot be read (the connection closes after it). */
  refused(problem: HeadProblem, res: HttpResponse): void;
}

/** Past this much queued output, the next pipelined request waits for the client to read. */
const outputHighWater = 1024 * 1024;
const empty = Buffer.alloc(0);
const ignore = (): void => {};

type Phase =
  /** Waiting for the first byte of a request. */
  | "idle"
  /** Some of a request head has arrived. */
  | "head"
  /** A handler has the request. */
  | "handling"
  /** An answer closed the connection: what the client still sends is read and dropped until its FIN. */
  | "draining"
  /** Closed, or handed over to another protocol: the socket is no longer this connection's to read. */
  | "done";

export class Connection implements ExchangeHost {
  /** Received and not read yet: the rest of a body, or pipelined requests waiting their turn. */
  readonly input: InputQueue = createInputQueue();
  private readonly parser: HeadParser;
  private phase: Phase = "idle";
  private current: Exchange | undefined;
  private driving = false;
  private drivePending = false;
  /** The turn of the event loop that `turnRequests` and `turnBytes` count in. */
  private turn = -1;
  private turnRequests = 0;
  private turnBytes = 0;
  /** Its share of this turn is spent: the socket is paused until the next. */
  private waitingForTurn = false;
  /** The client sent FIN: it may still read, so what it sent completely is answered first. */
  private inputEnded = false;
  /** `performance.now()` after which the sweep closes the connection. */
  deadline: number;
  private readonly onData = (chunk: Buffer): void => this.receive(chunk);
  private readonly onClose = (): void => this.closed();
  private readonly onEnd = (): void => this.receivedEnd();
  private readonly onNextTurn = (): void => this.nextTurn();

  constructor(
    readonly socket: Socket,
    readonly limits: HttpLimits,
    private readonly handlers: ConnectionHandlers,
    private readonly onDone: (connection: Connection) => void,
  ) {
    this.parser = createHeadParser(limits.headerBytes);
    this.deadline = performance.now() + limits.idleMs;
    socket.setNoDelay(true);
    socket.on("data", this.onData);
    socket.on("end", this.onEnd);
    socket.on("error", ignore);
    socket.on("close", this.onClose);
  }

  /** Whether the client has sent FIN. */
  get clientEnded(): boolean {
    return this.inputEnded;
  }

  /** Called by the server's sweep once the deadline has passed. */
  expire(): void {
    if (this.phase === "handling" && this.current?.readingInput !== true) return;
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    if (this.phase === "done") return;
    this.countTurn();
    this.turnBytes += chunk.length;
    // Bytes that come after the answer that closed the connection are dropped, but counted like
    // any others: a client that goes on sending must not cost more than one still being answered.
    if (this.phase !== "draining") this.take(chunk);
    // What was read is dealt with; reading more waits for the next turn.
    if (this.turnBytes >= this.limits.bytesPerTurn) this.waitForTurn();
  }

  private take(chunk: Buffer): void {
    this.input.push(chunk);
    if (this.phase === "handling") {
      this.current!.inputChanged();
      // Pipelined requests wait; a client that floods them waits too.
      if (this.heldBack()) this.socket.pause();
    } else if (!this.waitingForTurn) {
      this.drive();
    }
  }

  /** Starts counting afresh in a new turn of the event loop. */
  private countTurn(): void {
    const turn = currentTurn();
    if (turn === this.turn) return;
    this.turn = turn;
    this.turnRequests = 0;
    this.turnBytes = 0;
  }

  /** Lets every other connection have its turn before this one reads or starts anything more. */
  private waitForTurn(): void {
    if (this.waitingForTurn || this.phase === "done") return;
    this.waitingForTurn = true;
    this.socket.pause();
    setImmediate(this.onNextTurn);
  }

  private nextTurn(): void {
    this.waitingForTurn = false;
    // Closed, or handed over: the socket is no longer this connection's to read.
    if (this.phase === "done" || this.socket.destroyed) return;
    this.readOn();
    this.drive();
  }

  /** Too much has been received while a handler holds the request: the rest waits for its answer. */
  private heldBack(): boolean {
    return this.phase === "handling" && this.input.length > this.limits.headerBytes + this.limits.bodyBytes;
  }

  /** Reads again, unless the socket is paused for a reason that still holds. */
  private readOn(): void {
    if (this.socket.isPaused() && !this.waitingForTurn && !this.heldBack()) this.socket.resume();
  }

  /** Parses and dispatches buffered requests until one is in progress or the input runs out. */
  private drive(): void {
    if (this.driving) {
      this.drivePending = true;
      return;
    }
    this.driving = true;
    try {
      do {
        this.drivePending = false;
        this.dispatchNext();
      } while (this.drivePending);
    } finally {
      this.driving = false;
    }
  }

  private dispatchNext(): void {
    for (;;) {
      if (this.phase === "handling" || this.phase === "draining" || this.phase === "done") return;
      const chunk = this.input.front();
      if (chunk === undefined) {
        if (!this.inputEnded) return;
        // A head cut short by FIN is refused with 400, as Go does (docs/spec/http.md#half-close).
        if (this.parser.started)
          this.dispatch({ kind: "refused", problem: headProblem(400, "the connection ended before the request head was complete") }, 0);
        else this.endOutput();
        return;
      }
      if (this.phase === "idle") {
        this.countTurn();
        if (this.waitingForTurn || this.turnRequests >= this.limits.requestsPerTurn) {
          this.waitForTurn();
          return;
        }
        this.turnRequests++;
        this.phase = "head";
        this.deadline = performance.now() + this.limits.headersMs;
      }
      const start = this.input.frontStart;
      const step = this.parser.feed(chunk, start);
      if (step.kind === "more") {
        this.input.skip(chunk.length - start);
        continue;
      }
      this.dispatch(step, start);
      return;
    }
  }

  /** Hands a complete head (whose end is `step.end` in the front packet, read from `start`) or a refusal to the handlers. */
  private dispatch(step: Exclude<HeadStep, { kind: "more" }>, start: number): void {
    this.parser.reset();
    const exchange = new Exchange(this, step.kind === "head" ? step.head : undefined);
    this.current = exchange;
    this.phase = "handling";
    this.deadline = Infinity;
    if (step.kind === "refused") {
      exchange.closeAfterAnswer();
      this.handlers.refused(step.problem, exchange);
      return;
    }
    this.input.skip(step.end - start);
    this.handlers.request(exchange, exchange);
    if (this.inputEnded && this.current === exchange) exchange.inputEnded();
  }

  // ---- what an exchange asks of its connection ----------------------------------------------

  bodyDeadline(): void {
    this.deadline = performance.now() + this.limits.bodyMs;
  }

  write(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }

  finished(exchange: Exchange, keepAlive: boolean): void {
    if (this.current !== exchange || this.phase !== "handling") return;
    if (!keepAlive) {
      this.endOutput();
      return;
    }
    this.current = undefined;
    this.phase = "idle";
    this.deadline = performance.now() + this.limits.idleMs;
    this.readOn();
    if (this.socket.writableLength > outputHighWater) {
      this.socket.once("drain", () => this.drive());
      return;
    }
    this.drive();
  }

  takeOver(): { socket: Socket; head: Buffer } {
    this.phase = "done";
    const head = this.input.length === 0 ? empty : this.input.take(this.input.length);
    // Only this connection's own listeners: the server's "close" listener must stay, or it would
    // never forget the socket (every WebSocket would stay in its set after closing).
    this.socket.off("data", this.onData);
    this.socket.off("end", this.onEnd);
    this.socket.off("close", this.onClose);
    this.socket.off("error", ignore);
    // The new owner may write to a peer that has gone; that must not become an uncaught error.
    this.socket.on("error", () => this.socket.destroy());
    // As Node's own HTTP server does on an upgrade: nothing is read until the new owner listens.
    (this.socket as { readableFlowing: boolean | null }).readableFlowing = null;
    this.onDone(this);
    return { socket: this.socket, head };
  }

  drop(): void {
    this.phase = "done";
    this.socket.destroy();
  }

  private endOutput(): void {
    this.phase = "draining";
    this.socket.end();
    // What still comes is read and dropped, so that the client's FIN is seen and the socket
    // closes; a client that never sends it is closed by the sweep.
    this.deadline = performance.now() + this.limits.idleMs;
    this.readOn();
  }

  /**
   * FIN: nothing more will arrive, but the client may still read (docs/spec/http.md#half-close).
   * The request in progress and every complete one after it are answered, then the connection ends.
   */
  private receivedEnd(): void {
    this.inputEnded = true;
    if (this.phase === "draining" || this.phase === "done") return;
    if (this.phase === "handling") {
      this.current!.inputEnded();
      return;
    }
    this.drive();
  }

  private closed(): void {
    const exchange = this.current;
    this.phase = "done";
    this.current = undefined;
    this.onDone(this);
    exchange?.gone();
  }
}
