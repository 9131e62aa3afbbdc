// For the clients that speak raw TCP: one answer read off a socket (status line, headers, then a
// Content-Length body or everything until the server closes), and a connection opened on loopback.
import { connect, type Socket } from "node:net";

export const host = "127.0.0.1";

export function openConnection(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host, noDelay: true });
    socket.once("connect", () => {
      socket.off("error", reject);
      resolve(socket);
    });
    socket.once("error", reject);
  });
}

/** Resolves with the status of the next answer once it is complete (0 if the connection ended without one). */
export function readAnswer(socket: Socket): Promise<number> {
  return new Promise((resolve) => {
    let received = Buffer.alloc(0);
    const finish = (status: number): void => {
      socket.off("data", onData);
      socket.off("close", onClose);
      resolve(status);
    };
    const statusOf = (): number => (received.length >= 12 ? Number(received.subarray(9, 12).toString("latin1")) : 0);
    const onData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      const headEnd = received.indexOf("\r\n\r\n");
      if (headEnd === -1) return;
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(received.subarray(0, headEnd).toString("latin1"));
      if (length !== null && received.length >= headEnd + 4 + Number(length[1])) finish(statusOf());
    };
    // A close-delimited answer (Go's 431 has no Content-Length) ends with the connection.
    const onClose = (): void => finish(statusOf());
    socket.on("data", onData);
    socket.once("close", onClose);
    socket.on("error", () => {});
  });
}
