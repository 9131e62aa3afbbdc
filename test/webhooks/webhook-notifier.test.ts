// The server's notifier: ids and times as the real server stamps them, per-resource order, the
// request log and the journal for every attempt, the queue limits, and the events of a signal
// connection's life.
import assert from "node:assert/strict";
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { after, describe, test } from "node:test";
import { createJournal } from "../../src/journal/journal.js";
import type { Logger, RequestOutcome } from "../../src/shared/log.js";
import { notifierPolicy } from "../../src/webhooks/post-webhook.js";
import { sampleEvent } from "../../src/webhooks/sample-events.js";
import { createWebhookNotifier, redact, type WebhookNotifier } from "../../src/webhooks/webhook-notifier.js";
import { WebhookTargetError } from "../../src/webhooks/webhook-target.js";
import { until } from "../support/eventually.js";

interface Got {
  readonly event: Record<string, any>;
  readonly at: number;
}

const closers: (() => void)[] = [];
after(() => closers.forEach((close) => close()));

/** A receiver whose n-th answer `answer` writes (a 200 by default); returning false leaves it hanging. */
async function receiver(
  answer: (n: number, event: Record<string, any>, res: ServerResponse) => boolean | void = () => {},
): Promise<{ url: string; got: Got[] }> {
  const got: Got[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const event = JSON.parse(body) as Record<string, any>;
      got.push({ event, at: performance.now() });
      if (answer(got.length, event, res) !== false && !res.writableEnded) res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, got };
}

function recordingLog(): Logger & { lines: RequestOutcome[] } {
  const lines: RequestOutcome[] = [];
  return { lines, requestsEnabled: true, request: (o) => void lines.push(o), info: () => {}, error: () => {} };
}

function notifier(log: Logger = recordingLog(), policy = { ...notifierPolicy, retryWaitMinMs: 20 }): WebhookNotifier {
  const n = createWebhookNotifier({ apiSecret: "secret", allowHosts: [], log, policy });
  closers.push(() => n.close());
  return n;
}

describe("the webhook notifier", () => {
  test("stamps each event with a fresh EV_ id and the Unix time in seconds, keeping ids an event already has", async () => {
    const { url, got } = await receiver();
    const n = notifier();
    const before = Math.floor(Date.now() / 1000);
    const deliveries = await n.notify(
      n.destination({ url, apiKey: "devkey" }),
      [sampleEvent("room_started"), { ...sampleEvent("room_finished"), id: "EV_mine" }],
      { region: "region-0" },
    );
    const [first, second] = got.map((g) => g.event);
    assert.match(first!["id"], /^EV_[23456789A-HJ-NP-Za-km-z]{12}$/);
    assert.equal(second!["id"], "EV_mine");
    assert.ok(Number(first!["createdAt"]) >= before && Number(first!["createdAt"]) <= Math.floor(Date.now() / 1000));
    assert.deepEqual(
      deliveries.map((d) => [d.event, d.id, d.status, d.sent]),
      [
        ["room_started", first!["id"], 200, true],
        ["room_finished", "EV_mine", 200, true],
      ],
    );
  });

  test("events of one resource go out one at a time in order, even when the first is retried", async () => {
    const { url, got } = await receiver((n, _e, res) => void (res.statusCode = n === 1 ? 503 : 200));
    const n = notifier();
    await n.notify(
      n.destination({ url, apiKey: "devkey" }),
      [sampleEvent("egress_started"), sampleEvent("egress_updated"), sampleEvent("egress_ended")],
      {
        region: "region-0",
      },
    );
    assert.deepEqual(
      got.map((g) => g.event["event"]),
      ["egress_started", "egress_started", "egress_updated", "egress_ended"],
    );
    assert.equal(got[1]!.event["id"], got[0]!.event["id"], "a retry is the same event");
  });

  test("every attempt is a line in the request log, saying what the receiver answered", async () => {
    const { url } = await receiver((n, _e, res) => void (res.statusCode = n === 1 ? 500 : 204));
    const log = recordingLog();
    const n = notifier(log);
    const [delivery] = await n.notify(n.destination({ url: `${url}?token=abc`, apiKey: "devkey" }), [sampleEvent("room_started")], {
      region: "region-2",
    });
    assert.deepEqual(
      log.lines.map((l) => [l.region, l.target, l.status]),
      [
        ["region-2", "webhook room_started", 500],
        ["region-2", "webhook room_started", 204],
      ],
    );
    assert.equal(log.lines[0]!.why, `${delivery!.id} to ${url}?{...}: attempt 1/5, retry in 20 ms`);
    assert.equal(log.lines[1]!.why, `${delivery!.id} to ${url}?{...}: attempt 2/5`);
  });

  test("a receiver that cannot be reached is logged as no answer, with the reason", async () => {
    const log = recordingLog();
    const n = notifier(log, { ...notifierPolicy, attempts: 1 });
    await n.notify(n.destination({ url: "http://127.0.0.1:1/hook", apiKey: "devkey" }), [sampleEvent("room_started")], {
      region: "region-0",
    });
    assert.equal(log.lines[0]!.status, "no-answer");
    assert.match(log.lines[0]!.why, /attempt 1\/1: connect ECONNREFUSED/);
  });

  test("with a journal key, every attempt is a journal entry", async () => {
    const { url } = await receiver((n, _e, res) => void (res.statusCode = n === 1 ? 503 : 200));
    const journal = createJournal();
    const n = notifier();
    const [delivery] = await n.notify(n.destination({ url, apiKey: "devkey" }), [sampleEvent("ingress_started")], {
      region: "region-1",
      journal: { journal, key: "k1" },
    });
    const { entries } = journal.read("k1");
    assert.deepEqual(
      entries.map((e) => [e["kind"], e["event"], e["id"], e["url"], e["attempt"], e["status"], e["retryInMs"]]),
      [
        ["webhook", "ingress_started", delivery!.id, url, 1, 503, 20],
        ["webhook", "ingress_started", delivery!.id, url, 2, 200, undefined],
      ],
    );
    assert.ok((entries[1]!["atMs"] as number) >= 20);
  });

  test("an event that waited too long behind its resource's earlier events is dropped unsent, and said so", async () => {
    const { url, got } = await receiver((_n, _e, res) => void (res.statusCode = 503));
    const log = recordingLog();
    const journal = createJournal();
    const n = notifier(log, { ...notifierPolicy, attempts: 2, retryWaitMinMs: 150, maxQueueAgeMs: 100 });
    const deliveries = await n.notify(
      n.destination({ url, apiKey: "devkey" }),
      [sampleEvent("room_started"), sampleEvent("room_finished")],
      {
        region: "region-0",
        journal: { journal, key: "k2" },
      },
    );
    assert.deepEqual(
      got.map((g) => g.event["event"]),
      ["room_started", "room_started"],
    );
    assert.match(deliveries[1]!.dropped!, /^waited \d+ ms behind earlier events of the same resource \(limit 100 ms\)$/);
    assert.equal(log.lines.at(-1)!.status, "dropped");
    assert.equal(journal.read("k2").entries.at(-1)!["dropped"], deliveries[1]!.dropped);
  });

  test("events beyond the queue depth of their resource are dropped unsent, and said so", async () => {
    const { url, got } = await receiver();
    const log = recordingLog();
    const n = notifier(log, { ...notifierPolicy, maxQueueDepth: 1 });
    const destination = n.destination({ url, apiKey: "devkey" });
    // The first is being sent while the second waits; the third finds the queue full.
    const first = n.notify(destination, [sampleEvent("room_started")], { region: "region-0" });
    const rest = n.notify(destination, [sampleEvent("participant_joined"), sampleEvent("participant_left")], { region: "region-0" });
    const [, [, third]] = await Promise.all([first, rest]);
    assert.equal(third!.dropped, "more than 1 events of the same resource were waiting");
    assert.deepEqual(
      got.map((g) => g.event["event"]),
      ["room_started", "participant_joined"],
    );
    assert.ok(log.lines.some((l) => l.status === "dropped" && l.target === "webhook participant_left"));
  });

  test("after close, nothing more is sent and waits end at once", async () => {
    const { url, got } = await receiver((_n, _e, res) => void (res.statusCode = 503));
    const log = recordingLog();
    // A minute's retry wait: ending long before it can only be the close, however busy the machine.
    const n = notifier(log, { ...notifierPolicy, retryWaitMinMs: 60_000 });
    const destination = n.destination({ url, apiKey: "devkey" });
    const pending = n.notify(destination, [sampleEvent("room_started")], { region: "region-0" });
    await until(() => log.lines.length === 1, "the 503 is logged and the retry wait begins");
    const closedAt = performance.now();
    n.close();
    const [delivery] = await pending;
    assert.equal(delivery!.sent, false);
    assert.equal(delivery!.status, 503);
    assert.ok(performance.now() - closedAt < 30_000, "the retry wait was cut short");
    const [later] = await n.notify(destination, [sampleEvent("room_finished")], { region: "region-0" });
    assert.equal(later!.sent, false);
    assert.equal(later!.attempts[0]!.error, "the server is shutting down");
    assert.equal(got.length, 1);
  });

  test("an attempt still waiting for its answer when the notifier closes is not sent", async () => {
    const { url, got } = await receiver(() => false);
    const n = notifier(recordingLog(), notifierPolicy);
    const pending = n.notify(n.destination({ url, apiKey: "devkey" }), [sampleEvent("room_started")], { region: "region-0" });
    await until(() => got.length === 1, "the request reaches the receiver");
    n.close();
    const [delivery] = await pending;
    assert.equal(delivery!.sent, false);
    assert.deepEqual(
      delivery!.attempts.map((a) => [a.attempt, a.status, a.error]),
      [[1, undefined, "the server is shutting down"]],
    );
  });

  test("a config naming a secret signs with it instead of the server's", async () => {
    const { url } = await receiver();
    const n = notifier();
    assert.deepEqual(n.destination({ url, apiKey: "k" }).key, { apiKey: "k", apiSecret: "secret" });
    assert.deepEqual(n.destination({ url, apiKey: "k", apiSecret: "other" }).key, { apiKey: "k", apiSecret: "other" });
  });

  test("a target that is not loopback is refused before anything is queued", () => {
    assert.throws(() => notifier().destination({ url: "http://192.0.2.1/hook", apiKey: "k" }), WebhookTargetError);
  });

  test("redacting a URL hides credentials and query values", () => {
    assert.equal(redact(new URL("https://u:p@127.0.0.1:8443/a/b?k=v")), "https://{...}@127.0.0.1:8443/a/b?{...}");
    assert.equal(redact(new URL("http://localhost/x")), "http://localhost/x");
  });
});

describe("a signal connection's events", () => {
  const who = { room: "r1", identity: "alice", name: "Alice" };

  test("the first join of a room starts it; a clean end leaves, and the last one out finishes the room", async () => {
    const { url, got } = await receiver();
    const n = notifier();
    const destination = n.destination({ url, apiKey: "devkey" });
    const alice = n.participantSession(destination, who, { region: "region-0" });
    const bob = n.participantSession(destination, { ...who, identity: "bob", name: "Bob" }, { region: "region-0" });
    alice.joined();
    bob.joined();
    bob.ended("closed", "client");
    alice.ended("closed", "server");
    alice.ended("dropped", "client");
    await until(() => got.length >= 6, "six events");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(
      got.map((g) => [g.event["event"], g.event["participant"]?.["identity"], g.event["participant"]?.["disconnectReason"]]),
      [
        ["room_started", undefined, undefined],
        ["participant_joined", "alice", undefined],
        ["participant_joined", "bob", undefined],
        ["participant_left", "bob", "CLIENT_INITIATED"],
        ["participant_left", "alice", "SERVER_SHUTDOWN"],
        ["room_finished", undefined, undefined],
      ],
    );
    assert.deepEqual(got[0]!.event["room"]["sid"], "RM_MOCK");
    assert.deepEqual(got[1]!.event["participant"]["sid"], "PA_MOCK");
    assert.equal(got[1]!.event["participant"]["state"], "ACTIVE");
    assert.equal(got[5]!.event["roomEndReason"], "ROOM_END_IDLE_TIMEOUT");
  });

  test("a drop aborts the connection; an end without a join sends nothing", async () => {
    const { url, got } = await receiver();
    const n = notifier();
    const destination = n.destination({ url, apiKey: "devkey" });
    n.participantSession(destination, { ...who, room: "r2" }, { region: "region-0" }).ended("closed", "client");
    const carol = n.participantSession(destination, { ...who, room: "r2", identity: "carol" }, { region: "region-0" });
    carol.joined();
    carol.ended("dropped", "client");
    await until(() => got.length >= 4, "four events");
    assert.deepEqual(
      got.map((g) => [g.event["event"], g.event["participant"]?.["disconnectReason"]]),
      [
        ["room_started", undefined],
        ["participant_joined", undefined],
        ["participant_connection_aborted", "SIGNAL_CLOSE"],
        ["room_finished", undefined],
      ],
    );
  });

  test("rooms are shared per receiver URL: the same room name at another URL starts again", async () => {
    const a = await receiver();
    const b = await receiver();
    const n = notifier();
    n.participantSession(n.destination({ url: a.url, apiKey: "devkey" }), { ...who, room: "r3" }, { region: "region-0" }).joined();
    n.participantSession(n.destination({ url: b.url, apiKey: "devkey" }), { ...who, room: "r3" }, { region: "region-0" }).joined();
    await until(() => a.got.length >= 2 && b.got.length >= 2, "two events at each receiver");
    assert.equal(a.got[0]!.event["event"], "room_started");
    assert.equal(b.got[0]!.event["event"], "room_started");
  });
});
