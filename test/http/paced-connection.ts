// The HTTP layer's connection on a real loopback socket, fed piece by piece: each piece is written
// only once the server has read the one before, so the server reads exactly those pieces. TCP
// alone does not keep write boundaries, and the tests of how bytes are cut need them kept.
import { connect, createServer, type Socket } from "node:net";
import { Connection, type ConnectionHandlers } from "../../src/http/connection.js";
import { defaultHttpLimits, type HttpLimits } from "../../src/http/limits.js";

export interface PacedReply {
  /** Everything the server sent, as latin1. */
  readonly text: string;
  /** Whether the server closed the connection before the wait ended. */
  readonly closed: boolean;
}

export interface PacedServer {
  /**
   * Opens a connection and writes `pieces` one read at a time; then half-closes when `end` is set,
   * and collects what comes back until the server closes or `waitMs` pass after the last piece.
   */
  exchange(pieces: readonly (string | Buffer)[], options?: { end?: boolean; waitMs?: number }): Promise<PacedReply>;
  close(): Promise<void>;
}

export async function startPacedServer(limits: Partial<HttpLimits>, handlers: ConnectionHandlers): Promise<PacedServer> {
  const all = { ...defaultHttpLimits, ...limits };
  let received = 0;
  let onRead: (() => void) | undefined;
  const sockets = new Set<Socket>();
  const server = createServer({ noDelay: true, allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    new Connection(socket, all, handlers, () => {});
    // After the connection's own listener: when this runs, the piece has been handled.
    socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
      onRead?.();
    });
    socket.once("close", () => onRead?.());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;

  return {
    async exchange(pieces, options = {}) {
      received = 0;
      const client = connect({ host: "127.0.0.1", port });
      client.setNoDelay(true);
      const chunks: Buffer[] = [];
      let closed = false;
      client.on("data", (chunk: Buffer) => chunks.push(chunk));
      client.on("error", () => {});
      const ended = new Promise<void>((resolve) => client.once("close", () => resolve()));
      void ended.then(() => (closed = true));
      await new Promise<void>((resolve) => client.once("connect", () => resolve()));
      let sent = 0;
      for (const piece of pieces) {
        if (closed) break;
        const bytes = typeof piece === "string" ? Buffer.from(piece, "latin1") : piece;
        sent += bytes.length;
        const read = new Promise<void>((resolve) => {
          onRead = () => {
            if (received >= sent || closed || sockets.size === 0) resolve();
          };
        });
        client.write(bytes);
        await Promise.race([read, ended]);
      }
      onRead = undefined;
      if (options.end === true && !closed) client.end();
      await Promise.race([ended, new Promise((resolve) => setTimeout(resolve, options.waitMs ?? 500))]);
      client.destroy();
      return { text: Buffer.concat(chunks).toString("latin1"), closed };
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Cuts `bytes` into pieces of `size` bytes. */
export function piecesOf(bytes: string | Buffer, size: number): Buffer[] {
  const buffer = typeof bytes === "string" ? Buffer.from(bytes, "latin1") : bytes;
  const pieces: Buffer[] = [];
  for (let at = 0; at < buffer.length; at += size) pieces.push(buffer.subarray(at, at + size));
  return pieces;
}
