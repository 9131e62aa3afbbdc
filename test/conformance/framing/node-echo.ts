// A plain node:http server (llhttp underneath) for the framing differential: every request it reads
// is answered with JSON naming what it saw: the target, the body's size, and the body's `name`
// when the body is JSON with one.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface NodeEcho {
  readonly port: number;
  close(): Promise<void>;
}

export async function startNodeEcho(): Promise<NodeEcho> {
  const server: Server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on("data", (chunk: Buffer) => parts.push(chunk));
    req.on("error", () => {});
    req.on("end", () => {
      const seen = Buffer.concat(parts);
      let name: unknown;
      try {
        name = (JSON.parse(seen.toString("utf8")) as { name?: unknown }).name;
      } catch {
        name = undefined;
      }
      res.setHeader("Content-Type", "application/json");
      res.end(JSON.stringify({ url: req.url, bytes: seen.length, ...(typeof name === "string" ? { name } : {}) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
