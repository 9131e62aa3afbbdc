// Free loopback ports for tests that must pass ports to a separate process.
import { createServer } from "node:net";

export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve) => {
          const server = createServer();
          server.listen(0, "127.0.0.1", () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as { port: number }).port);
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  return ports;
}

/** `count` consecutive ports that were free a moment ago, for a `-p a-b:c-d` range mapping. */
export async function freePortRange(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const first = 20_000 + Math.floor(Math.random() * 40_000);
    const ports = Array.from({ length: count }, (_, i) => first + i);
    const bound = await Promise.all(
      ports.map(
        (port) =>
          new Promise<ReturnType<typeof createServer> | undefined>((resolve) => {
            const server = createServer();
            server.once("error", () => resolve(undefined));
            server.listen(port, "0.0.0.0", () => resolve(server));
          }),
      ),
    );
    await Promise.all(bound.map((s) => (s === undefined ? undefined : new Promise((resolve) => s.close(resolve)))));
    if (bound.every((s) => s !== undefined)) return ports;
  }
  throw new Error(`no ${count} consecutive free ports found`);
}
