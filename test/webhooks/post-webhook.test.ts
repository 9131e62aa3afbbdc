// Delivery as the notifier's retrying HTTP client does it: which answers are retried, how long it
// waits, how long an attempt may take, and what each request carries.
import assert from "node:assert/strict";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { freePorts } from "../support/free-ports.js";
import { backoffMs, notifierPolicy, postWebhook, type DeliveryPolicy } from "../../src/webhooks/post-webhook.js";
import { toWebhookEvent } from "../../src/webhooks/event-shapes.js";
import { sampleEvent } from "../../src/webhooks/sample-events.js";
import { signWebhook, type SignedWebhook } from "../../src/webhooks/sign-webhook.js";

interface Seen {
  readonly at: number;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawHeaders: string[];
  readonly body: string;
}

const servers: { close(): void; closeAllConnections(): void }[] = [];
after(() => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
});

/** A receiver whose n-th answer (1-based) `answer` writes; undefined leaves the request hanging. */
async function receiver(answer: (n: number, res: ServerResponse) => boolean | void): Promise<{ url: URL; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      seen.push({ at: performance.now(), method: req.method!, url: req.url!, headers: req.headers, rawHeaders: req.rawHeaders, body });
      if (answer(seen.length, res) !== false) res.end();
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook?x=1`), seen };
}

const fast: DeliveryPolicy = { ...notifierPolicy, retryWaitMinMs: 20, retryWaitMaxMs: 1000, attemptTimeoutMs: 2000 };
let signed: SignedWebhook;
const event = async (): Promise<SignedWebhook> =>
  (signed ??= await signWebhook(toWebhookEvent({ ...sampleEvent("room_started"), id: "EV_same" }), {
    apiKey: "devkey",
    apiSecret: "secret",
  }));

describe("posting a webhook", () => {
  test("localhost, with or without its trailing dot, is reached on loopback without asking a resolver", async () => {
    const { url, seen } = await receiver((_n, res) => void (res.statusCode = 200));
    for (const host of ["localhost", "localhost.", "LOCALHOST."]) {
      const result = await postWebhook(new URL(`http://${host}:${url.port}/webhook`), await event(), fast);
      assert.deepEqual([result.status, result.attempts[0]!.error], [200, undefined], host);
    }
    assert.equal(seen.length, 3);
    assert.equal(seen[1]!.headers.host, `localhost.:${url.port}`, "the Host header is the URL's, as written");
  });

  test("a 503 gets the same request again about a second later, and a 200 ends it", async () => {
    const { url, seen } = await receiver((n, res) => void (res.statusCode = n === 1 ? 503 : 200));
    const result = await postWebhook(url, await event());
    assert.equal(seen.length, 2);
    assert.equal(seen[1]!.body, seen[0]!.body);
    assert.equal(JSON.parse(seen[1]!.body).id, "EV_same");
    assert.equal(seen[1]!.headers.authorization, seen[0]!.headers.authorization);
    const gap = seen[1]!.at - seen[0]!.at;
    assert.ok(gap >= 950 && gap < 2000, `waited ${gap} ms`);
    assert.deepEqual(
      result.attempts.map((a) => [a.status, a.retryInMs]),
      [
        [503, 1000],
        [200, undefined],
      ],
    );
    assert.equal(result.sent, true);
    assert.equal(result.status, 200);
  });

  test("the request carries the notifier's method, headers and body, to the URL as given", async () => {
    const { url, seen } = await receiver(() => {});
    const webhook = await event();
    await postWebhook(url, webhook, fast);
    const request = seen[0]!;
    assert.equal(request.method, "POST");
    assert.equal(request.url, "/webhook?x=1");
    assert.equal(request.body, webhook.body.toString());
    assert.equal(request.headers["content-type"], "application/webhook+json");
    assert.equal(request.headers["user-agent"], "LiveKit");
    assert.equal(request.headers.authorization, webhook.token, "the bare token, without Bearer");
    assert.equal(request.headers["content-length"], String(webhook.body.length));
    assert.equal(request.headers["accept-encoding"], "gzip");
    // In the order and spelling Go's net/http writes the notifier's headers.
    const ours = ["User-Agent", "Content-Length", "Authorization", "Content-Type", "Accept-Encoding"];
    assert.deepEqual(
      request.rawHeaders.filter((name, i) => i % 2 === 0 && ours.includes(name)),
      ours,
    );
  });

  test("5xx are retried with waits doubling from the minimum, and it gives up after 5 attempts", async () => {
    const { url, seen } = await receiver((_n, res) => void (res.statusCode = 500));
    const result = await postWebhook(url, await event(), fast);
    assert.equal(seen.length, 5);
    assert.deepEqual(
      result.attempts.map((a) => a.retryInMs),
      [20, 40, 80, 160, undefined],
    );
    for (let i = 1; i < seen.length; i++) {
      const gap = seen[i]!.at - seen[i - 1]!.at;
      assert.ok(gap >= 20 * 2 ** (i - 1) - 5, `gap ${i} was ${gap} ms`);
    }
    assert.equal(result.sent, false);
    assert.equal(result.status, 500);
  });

  test("429 and every 5xx but 501 are retried; 501, 4xx, 3xx and 2xx are final", async () => {
    const attemptsFor = async (status: number): Promise<number> => {
      const { url, seen } = await receiver((n, res) => {
        res.statusCode = n === 1 ? status : 200;
        if (status >= 300 && status < 400) res.setHeader("Location", "http://127.0.0.1:1/elsewhere");
      });
      await postWebhook(url, await event(), fast);
      return seen.length;
    };
    for (const status of [429, 500, 502, 503, 504, 599]) assert.equal(await attemptsFor(status), 2, `${status} is retried`);
    for (const status of [200, 204, 301, 302, 307, 400, 401, 403, 404, 410, 501])
      assert.equal(await attemptsFor(status), 1, `${status} is final`);
  });

  test("a redirect is the final answer, never followed", async () => {
    const { url, seen } = await receiver((_n, res) => {
      res.statusCode = 307;
      res.setHeader("Location", "http://203.0.113.1/elsewhere");
    });
    const result = await postWebhook(url, await event(), fast);
    assert.equal(seen.length, 1);
    assert.equal(result.status, 307);
  });

  test("a refused connection is retried, and reported as no answer", async () => {
    const [port] = await freePorts(1);
    const result = await postWebhook(new URL(`http://127.0.0.1:${port}/`), await event(), { ...fast, attempts: 3 });
    assert.equal(result.attempts.length, 3);
    assert.equal(result.sent, false);
    assert.equal(result.status, undefined);
    assert.match(result.attempts[0]!.error!, /ECONNREFUSED/);
  });

  test("an attempt without an answer within the timeout is abandoned and retried", async () => {
    const { url, seen } = await receiver((n, res) => (n === 1 ? false : void (res.statusCode = 200)));
    const result = await postWebhook(url, await event(), { ...fast, attemptTimeoutMs: 300 });
    assert.equal(seen.length, 2);
    assert.equal(result.attempts[0]!.error, "no answer within 300 ms");
    assert.ok(result.attempts[0]!.latencyMs >= 290);
    assert.equal(result.status, 200);
  });

  test("Retry-After on a 503 or 429 sets the wait, capped at the maximum wait", async () => {
    const { url, seen } = await receiver((n, res) => {
      res.statusCode = n === 1 ? 503 : n === 2 ? 429 : 200;
      res.setHeader("Retry-After", n === 1 ? "0" : "100");
    });
    const result = await postWebhook(url, await event(), { ...fast, retryWaitMinMs: 5000, retryWaitMaxMs: 300 });
    assert.equal(seen.length, 3);
    assert.deepEqual(
      result.attempts.map((a) => a.retryInMs),
      [0, 300, undefined],
    );
    assert.equal(backoffMs(notifierPolicy, 0, 503, new Date(Date.now() + 5000).toUTCString()) > 3000, true);
    assert.equal(backoffMs(notifierPolicy, 2, 500, "0"), 4000, "Retry-After counts on 429 and 503 only");
    assert.equal(backoffMs(notifierPolicy, 9, 503, "soon"), 30_000, "an unreadable Retry-After falls back to the capped backoff");
  });

  test("aborting stops the waits at once", async () => {
    const { url, seen } = await receiver((_n, res) => void (res.statusCode = 503));
    const controller = new AbortController();
    const started = performance.now();
    const pending = postWebhook(url, await event(), notifierPolicy, () => controller.abort(), controller.signal);
    const result = await pending;
    assert.ok(performance.now() - started < 900);
    assert.equal(seen.length, 1);
    assert.equal(result.sent, false);
  });
});
