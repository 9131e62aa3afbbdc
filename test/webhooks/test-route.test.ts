// POST /_test/webhooks: one event now, its delivery in the answer.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { useServer } from "../support/server.js";
import { startNodeReceiver, type Receiver } from "./receivers.js";
import { postTestWebhook, testRouteCase } from "./wire-cases.js";

const server = useServer();
const receivers: Receiver[] = [];
after(() => Promise.all(receivers.map((r) => r.close())));
async function keep(receiver: Promise<Receiver>): Promise<Receiver> {
  receivers.push(await receiver);
  return receivers.at(-1)!;
}

const post = (body: unknown, init: RequestInit = {}): ReturnType<typeof postTestWebhook> => postTestWebhook(server.url(2), body, init);

describe("POST /_test/webhooks", () => {
  test("sends the event with the given fields and answers its delivery (Node SDK receiver; Go's and Python's: sdk-receivers.test.ts)", async () => {
    await testRouteCase(server.url(2), await keep(startNodeReceiver("devkey", "secret")));
  });

  test("the answer waits for the retries and reports each attempt", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret", { answer: (n) => (n === 1 ? 502 : 204) }));
    const reply = await post({ url: r.url, event: "room_finished" });
    assert.deepEqual(
      reply.json.attempts.map((a: { status: number; retryInMs?: number }) => [a.status, a.retryInMs]),
      [
        [502, 1000],
        [204, undefined],
      ],
    );
    assert.equal(reply.json.sent, true);
  });

  test("a journal key records each attempt", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    const key = `route-${process.pid}-${Date.now()}`;
    const reply = await post({ url: r.url, event: "ingress_ended", journal: key });
    const { entries } = (await (await fetch(`${server.url(0)}/_test/journal/${key}`)).json()) as { entries: Record<string, unknown>[] };
    assert.deepEqual(
      entries.map((e) => [e["kind"], e["region"], e["event"], e["id"], e["status"]]),
      [["webhook", "region-2", "ingress_ended", reply.json.id, 200]],
    );
    assert.equal((await post({ url: r.url, event: "ingress_ended", journal: "a/b" })).status, 400);
  });

  test("apiKey and apiSecret choose the signature", async () => {
    const r = await keep(startNodeReceiver("APIx", "sec"));
    assert.equal((await post({ url: r.url, event: "room_started", apiKey: "APIx", apiSecret: "sec" })).json.status, 200);
    assert.equal((await post({ url: r.url, event: "room_started" })).json.status, 401);
  });

  test("mistakes are a 400 with a JSON error naming them", async () => {
    const cases: [unknown, string][] = [
      [{ url: "http://127.0.0.1:1/", event: "room_strated" }, 'unknown webhook event "room_strated" (did you mean "room_started"?)'],
      [
        { url: "http://192.0.2.9/", event: "room_started" },
        "url http://192.0.2.9 is not a loopback address; webhooks go to loopback hosts only unless --webhook-allow-hosts lists the host",
      ],
      [{ url: "http://127.0.0.1:1/", event: "room_started", rooom: {} }, 'unknown WebhookEvent field "rooom" (did you mean "room"?)'],
      [{ event: "room_started" }, '"url" is required'],
      [{ url: "http://127.0.0.1:1/", event: "room_started", apiKey: "" }, "webhooks.apiKey must not be empty"],
      ["{nope", "the body is not valid JSON"],
    ];
    for (const [body, error] of cases) {
      const reply = await post(body);
      assert.equal(reply.status, 400, JSON.stringify(body));
      assert.ok(reply.json.error.startsWith(error), reply.json.error);
    }
    const wrongMethod = await fetch(`${server.url(0)}/_test/webhooks`);
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.get("allow"), "POST");
  });
});
