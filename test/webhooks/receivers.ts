// Webhook handlers built on each SDK's own verification code, each a tiny loopback HTTP server:
// Node's `WebhookReceiver` in this process, Go's (protocol's webhook.ReceiveWebhookEvent, as
// server-sdk-go documents it) and Python's (`livekit-api`) in child processes that print one JSON
// line per request. A test reads what each one verified and decoded.
import assert from "node:assert/strict";
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdirSync } from "node:fs";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { WebhookReceiver } from "livekit-server-sdk";

export type Sdk = "node" | "go" | "python";
export const sdks: readonly Sdk[] = ["node", "go", "python"];

/** One request as the receiver saw it. */
export interface Delivery {
  readonly verified: boolean;
  /** Why the SDK refused it. */
  readonly error?: string;
  /** The event the SDK decoded, as protojson (its own JSON rendering). */
  readonly event?: Record<string, any>;
}

export interface Receiver {
  readonly sdk: Sdk;
  readonly url: string;
  readonly deliveries: Delivery[];
  /** Resolves with the first `count` deliveries once that many arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<Delivery[]>;
  /**
   * Resolves with the first `count` deliveries `belongs` picks once that many arrived; rejects after
   * `timeoutMs`. For a receiver other tests' events reach too (a server-wide --webhook-url): a late
   * delivery of an earlier test is never counted as this one's.
   */
  waitForMatching(belongs: (delivery: Delivery) => boolean, count: number, timeoutMs?: number): Promise<Delivery[]>;
  close(): Promise<void>;
}

export interface NodeReceiverOptions {
  /** The status to answer the n-th request (1-based) with, after verification; default 200/401. */
  readonly answer?: (n: number, delivery: Delivery) => number;
  /** Called with each raw request, for wire-level assertions. */
  readonly onRequest?: (request: { headers: IncomingHttpHeaders; body: Buffer }) => void;
}

const repo = fileURLToPath(new URL("../../", import.meta.url));

function matchingWaiter(deliveries: Delivery[], notify: Set<() => void>) {
  return (belongs: (delivery: Delivery) => boolean, count: number, timeoutMs = 30_000): Promise<Delivery[]> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const picked = deliveries.filter(belongs);
        if (picked.length < count) return;
        clearTimeout(timer);
        notify.delete(check);
        resolve(picked.slice(0, count));
      };
      const timer = setTimeout(() => {
        notify.delete(check);
        const got = deliveries.filter(belongs).length;
        reject(
          new Error(
            `${count} deliveries expected within ${timeoutMs} ms, got ${got} of ${deliveries.length}: ${JSON.stringify(deliveries)}`,
          ),
        );
      }, timeoutMs);
      notify.add(check);
      check();
    });
}

function waiters(deliveries: Delivery[], notify: Set<() => void>): Pick<Receiver, "waitFor" | "waitForMatching"> {
  const waitForMatching = matchingWaiter(deliveries, notify);
  return { waitForMatching, waitFor: (count, timeoutMs) => waitForMatching(() => true, count, timeoutMs) };
}

export async function startReceiver(sdk: Sdk, apiKey: string, apiSecret: string, options: NodeReceiverOptions = {}): Promise<Receiver> {
  return sdk === "node" ? startNodeReceiver(apiKey, apiSecret, options) : startProcessReceiver(sdk, apiKey, apiSecret);
}

/**
 * A Node receiver of one test's own, closed when the test ends: a delivery still under way from an
 * earlier test cannot land among this test's, as it can on a receiver tests share.
 */
export async function ownReceiver(t: TestContext, apiKey = "devkey", apiSecret = "secret"): Promise<Receiver> {
  const receiver = await startNodeReceiver(apiKey, apiSecret);
  t.after(() => receiver.close());
  return receiver;
}

export async function startNodeReceiver(apiKey: string, apiSecret: string, options: NodeReceiverOptions = {}): Promise<Receiver> {
  const receiver = new WebhookReceiver(apiKey, apiSecret);
  const deliveries: Delivery[] = [];
  const notify = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      options.onRequest?.({ headers: req.headers, body });
      // As the SDK's docs use it: the body as text and the Authorization header.
      receiver.receive(body.toString(), req.headers.authorization).then(
        (event) => finish({ verified: true, event: event.toJson() as Record<string, any> }),
        (err: unknown) => finish({ verified: false, error: err instanceof Error ? err.message : String(err) }),
      );
    });
    const finish = (delivery: Delivery): void => {
      deliveries.push(delivery);
      res.statusCode = options.answer?.(deliveries.length, delivery) ?? (delivery.verified ? 200 : 401);
      res.end();
      for (const check of [...notify]) check();
    };
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    sdk: "node",
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
    deliveries,
    ...waiters(deliveries, notify),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let goBinary: string | undefined;

/** Builds the Go receiver once per process (the module cache and build cache make it quick). */
function goReceiverBinary(): string {
  if (goBinary !== undefined) return goBinary;
  const out = `${repo}.cache/webhooks`;
  mkdirSync(out, { recursive: true });
  execFileSync("go", ["build", "-o", `${out}/go-receiver`, "."], {
    cwd: `${repo}test/webhooks/go`,
    stdio: ["ignore", "inherit", "inherit"],
  });
  goBinary = `${out}/go-receiver`;
  return goBinary;
}

let python: string | undefined;

function pythonInterpreter(): string {
  python ??= execFileSync("bash", [`${repo}test/conformance/python/ensure-venv.sh`], { encoding: "utf8" }).trim();
  return python;
}

async function startProcessReceiver(sdk: "go" | "python", apiKey: string, apiSecret: string): Promise<Receiver> {
  const child: ChildProcessWithoutNullStreams =
    sdk === "go"
      ? spawn(goReceiverBinary(), ["-api-key", apiKey, "-api-secret", apiSecret])
      : spawn(pythonInterpreter(), [`${repo}test/webhooks/python/receiver.py`, "--api-key", apiKey, "--api-secret", apiSecret], {
          env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
        });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  const deliveries: Delivery[] = [];
  const notify = new Set<() => void>();
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`${sdk} receiver exited with ${code}: ${stderr}`)));
    lines.once("line", (line) => {
      const match = /^listening (http:\/\/\S+)/.exec(line);
      if (match === null) reject(new Error(`${sdk} receiver said ${JSON.stringify(line)}`));
      else resolve(`${match[1]}/webhook`);
    });
  });
  lines.on("line", (line) => {
    deliveries.push(JSON.parse(line) as Delivery);
    for (const check of [...notify]) check();
  });
  return {
    sdk,
    url,
    deliveries,
    ...waiters(deliveries, notify),
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill();
      }),
  };
}

/** Asserts that every delivery was verified, and returns the decoded events. */
export function verifiedEvents(receiver: Receiver, deliveries: readonly Delivery[]): Record<string, any>[] {
  for (const delivery of deliveries) {
    assert.equal(delivery.verified, true, `${receiver.sdk} refused a delivery: ${delivery.error}`);
  }
  return deliveries.map((d) => d.event!);
}
