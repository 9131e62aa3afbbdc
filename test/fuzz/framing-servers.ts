// Two echo servers that say how they framed the bytes a client sent: ours (the HTTP layer under
// every listener, src/http/) and node:http (llhttp), in this process, on loopback. Both record each
// request their handler saw (method, target, body) and how the connection ended: cleanly after
// complete requests, refused as malformed, or cut short by the client's FIN.
import { createServer as createNodeServer } from "node:http";
import { connect, type AddressInfo } from "node:net";
import { createHttpServer } from "../../src/http/http-server.js";
import { defaultHttpLimits } from "../../src/http/limits.js";

export interface SeenRequest {
  readonly method: string;
  readonly target: string;
  /** The body, latin1. */
  readonly body: string;
}

export interface Framing {
  /** Requests read whole, in order. */
  readonly requests: readonly SeenRequest[];
  /** How reading ended after them; `why` says what ended it, for reports. */
  readonly end: "clean" | "refused" | "incomplete";
  readonly why: string;
}

export interface FramingServers {
  /** Writes `pieces` to each server on a fresh connection (a tick apart), sends FIN, and reports how each framed them. */
  frame(pieces: readonly Buffer[]): Promise<{ ours: Framing; llhttp: Framing }>;
  close(): Promise<void>;
}

interface Recorder {
  requests: SeenRequest[];
  end: Framing["end"];
  why: string;
}

const fresh = (): Recorder => ({ requests: [], end: "clean", why: "" });

export async function startFramingServers(): Promise<FramingServers> {
  let ours = fresh();
  let node = fresh();
  const stop = (r: Recorder, end: Framing["end"], why: string): void => {
    if (r.end !== "clean") return;
    r.end = end;
    r.why = why;
  };

  const ourServer = createHttpServer(
    { ...defaultHttpLimits, idleMs: 5000, headersMs: 5000, bodyMs: 5000 },
    {
      request(req, res) {
        const recorder = ours;
        req.body().then(
          (body) => {
            recorder.requests.push({ method: req.method, target: req.url, body: body.toString("latin1") });
            res.send(200, {}, "");
          },
          (err: { reason?: string; message: string }) => {
            stop(recorder, err.reason === "aborted" ? "incomplete" : "refused", err.message);
            res.send(400, {}, "");
          },
        );
      },
      refused(problem, res) {
        const incomplete = problem.reason.startsWith("the connection ended before");
        stop(ours, incomplete ? "incomplete" : "refused", `${problem.status} ${problem.reason}`);
        res.send(problem.status, {}, "");
      },
    },
  );
  const ourPort = await ourServer.listen(0, "127.0.0.1");

  const nodeServer = createNodeServer((req, res) => {
    const recorder = node;
    const parts: Buffer[] = [];
    req.on("data", (chunk: Buffer) => parts.push(chunk));
    req.on("error", () => {});
    req.on("end", () => {
      recorder.requests.push({ method: req.method ?? "", target: req.url ?? "", body: Buffer.concat(parts).toString("latin1") });
      // A length, so that an HTTP/1.0 keep-alive connection can carry the next request.
      res.setHeader("Content-Length", 0);
      res.end();
    });
  });
  nodeServer.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    // Bytes after a request that closes the connection are not read by ours either.
    if (err.code !== "HPE_CLOSED_CONNECTION")
      stop(node, err.code === "HPE_INVALID_EOF_STATE" ? "incomplete" : "refused", err.code ?? err.message);
    socket.destroy();
  });
  nodeServer.on("checkExpectation", (_req, res) => {
    stop(node, "refused", "417 expectation");
    res.writeHead(417).end();
  });
  await new Promise<void>((resolve) => nodeServer.listen(0, "127.0.0.1", resolve));
  const nodePort = (nodeServer.address() as AddressInfo).port;

  return {
    async frame(pieces) {
      ours = fresh();
      node = fresh();
      const recorders = [ours, node];
      await Promise.all([send(ourPort, pieces), send(nodePort, pieces)]);
      // The server's record may trail the close by a tick.
      await new Promise((resolve) => setImmediate(resolve));
      const [o, n] = recorders as [Recorder, Recorder];
      return { ours: { ...o }, llhttp: { ...n } };
    },
    async close() {
      nodeServer.closeAllConnections();
      await Promise.all([ourServer.close(), new Promise((resolve) => nodeServer.close(resolve))]);
    },
  };
}

/** Writes the pieces a tick apart, half-closes, and waits for the server to close (5 s at most). */
function send(port: number, pieces: readonly Buffer[]): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => socket.destroy(), 5000);
    socket.on("data", () => {});
    socket.on("error", () => {});
    socket.on("close", () => {
      clearTimeout(timer);
      resolve();
    });
    socket.on("connect", async () => {
      for (const piece of pieces) {
        if (socket.destroyed) return;
        socket.write(piece);
        await new Promise((r) => setImmediate(r));
      }
      socket.end();
    });
  });
}
