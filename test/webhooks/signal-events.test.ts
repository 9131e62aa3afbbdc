// Participant webhooks of signal connections, end to end: a token whose `lk.mock` attribute names
// `webhooks`, a real WebSocket client, and a handler built on the Node SDK's receiver.
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { signalMockAttributes } from "../../src/signal/attribute/signal-attribute.js";
import { SignalMockError } from "../../src/signal/attribute/signal-mode.js";
import { useServer } from "../support/server.js";
import { get } from "../support/twirp.js";
import { refusal, type SignalClient } from "../signal/signal-client.js";
import { mockToken } from "../signal/mock-token.js";
import { startNodeReceiver, verifiedEvents, type Receiver } from "./receivers.js";
import { joinWithWebhooks, signalJoinLeaveCase, summary } from "./wire-cases.js";

const server = useServer();
const receivers: Receiver[] = [];
after(() => Promise.all(receivers.map((r) => r.close())));
async function keep(receiver: Promise<Receiver>): Promise<Receiver> {
  receivers.push(await receiver);
  return receivers.at(-1)!;
}

const join = (r: Receiver, mock: Record<string, unknown> = {}, identity?: string, query?: Record<string, string>): Promise<SignalClient> =>
  joinWithWebhooks(server.url(0), r, mock, identity, query);

describe("webhooks of signal connections", () => {
  test("a join starts the room and joins the participant; the client's leave leaves and finishes it (Node SDK receiver; Go's and Python's: sdk-receivers.test.ts)", async () => {
    await signalJoinLeaveCase(server.url(0), await keep(startNodeReceiver("devkey", "secret")));
  });

  test("only the first participant of a room starts it, and only the last one out finishes it", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    const alice = await join(r);
    await alice.next();
    await r.waitFor(2);
    const bob = await join(r, {}, "bob");
    await bob.next();
    await r.waitFor(3);
    bob.ws.close(1000);
    await bob.closed;
    await r.waitFor(4);
    alice.ws.close(1000);
    await alice.closed;
    assert.deepEqual(summary(verifiedEvents(r, await r.waitFor(6))), [
      ["room_started", undefined, undefined],
      ["participant_joined", "alice", undefined],
      ["participant_joined", "bob", undefined],
      ["participant_left", "bob", "CLIENT_INITIATED"],
      ["participant_left", "alice", "CLIENT_INITIATED"],
      ["room_finished", undefined, "ROOM_END_IDLE_TIMEOUT"],
    ]);
  });

  test("a client that drops the connection aborts it", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    const client = await join(r);
    await client.next();
    client.ws.terminate();
    assert.deepEqual(summary(verifiedEvents(r, await r.waitFor(4))).slice(2), [
      ["participant_connection_aborted", "alice", "SIGNAL_CLOSE"],
      ["room_finished", undefined, "ROOM_END_IDLE_TIMEOUT"],
    ]);
  });

  test("the server's drop aborts the connection; the server's close leaves it", async () => {
    const dropped = await keep(startNodeReceiver("devkey", "secret"));
    const a = await join(dropped, { signal: "drop_when_connected" });
    await a.next();
    await a.closed;
    assert.deepEqual(summary(verifiedEvents(dropped, await dropped.waitFor(4)))[2], [
      "participant_connection_aborted",
      "alice",
      "SIGNAL_CLOSE",
    ]);
    const closed = await keep(startNodeReceiver("devkey", "secret"));
    const b = await join(closed, { signal: "close_when_connected" });
    await b.next();
    await b.closed;
    assert.deepEqual(summary(verifiedEvents(closed, await closed.waitFor(4)))[2], ["participant_left", "alice", "SERVER_SHUTDOWN"]);
  });

  test("a script's close step leaves, its drop step aborts, and a delayed join counts when it is sent", async () => {
    const closed = await keep(startNodeReceiver("devkey", "secret"));
    const a = await join(closed, { joinDelayMs: 100, script: [{ afterMs: 50, close: { code: 4000, reason: "bye" } }] });
    await a.next();
    await a.closed;
    assert.deepEqual(
      summary(verifiedEvents(closed, await closed.waitFor(4))).map(([event]) => event),
      ["room_started", "participant_joined", "participant_left", "room_finished"],
    );
    const dropped = await keep(startNodeReceiver("devkey", "secret"));
    const b = await join(dropped, { script: [{ afterMs: 50, drop: true }] });
    await b.next();
    await b.closed;
    assert.deepEqual(summary(verifiedEvents(dropped, await dropped.waitFor(4)))[2], [
      "participant_connection_aborted",
      "alice",
      "SIGNAL_CLOSE",
    ]);
  });

  test("a close frame the server answers with a drop (drop_on_close) still leaves", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    const client = await join(r, { signal: "drop_on_close" });
    await client.next();
    client.ws.close(1000);
    await client.closed;
    assert.deepEqual(summary(verifiedEvents(r, await r.waitFor(4)))[2], ["participant_left", "alice", "CLIENT_INITIATED"]);
  });

  test("connections that never join send nothing, and modes without a join refuse webhooks", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    for (const signal of ["happy", "leave_during_reconnect"]) {
      const resumed = await join(r, { signal }, "alice", { reconnect: "1" });
      assert.notEqual((await resumed.next()).message.message.case, "join");
      resumed.ws.terminate();
      await resumed.closed;
    }
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(r.deliveries.length, 0);
    for (const signal of ["leave_first_message", "no_first_message", "close_before_join"]) {
      const token = await mockToken({ signal, webhooks: { url: r.url, apiKey: "devkey" } });
      const refused = await refusal(server.url(0), "/rtc", { token });
      assert.equal(refused.status, 400);
      assert.match(refused.body, new RegExp(`webhooks has no effect in signal mode ${signal}, which sends no join`));
    }
  });

  test("a target that is not loopback refuses the upgrade and the validate call with 400, naming --webhook-allow-hosts", async () => {
    const token = await mockToken({ signal: "happy", webhooks: { url: "http://198.51.100.4/hook", apiKey: "devkey" } });
    const refused = await refusal(server.url(0), "/rtc", { token });
    assert.equal(refused.status, 400);
    assert.equal(
      refused.body,
      "invalid lk.mock attribute: webhooks.url http://198.51.100.4 is not a loopback address; webhooks go to loopback hosts only unless --webhook-allow-hosts lists the host",
    );
    const validate = await get(server.url(0), `/rtc/validate?access_token=${token}`);
    assert.equal(validate.status, 400);
    assert.equal(validate.text, refused.body);
  });

  test("the webhooks object of lk.mock is parsed strictly", async () => {
    const cases: [unknown, string][] = [
      [
        { url: "http://127.0.0.1:1/", apiKy: "k" },
        'invalid lk.mock attribute: unknown key "apiKy" in webhooks (did you mean "apiKey"?); keys are url, apiKey, apiSecret',
      ],
      [{ url: "http://127.0.0.1:1/" }, "invalid lk.mock attribute: webhooks needs apiKey"],
      [{ url: 5, apiKey: "k" }, "invalid lk.mock attribute: webhooks.url must be a string, got 5"],
      ["http://127.0.0.1:1/", "invalid lk.mock attribute: webhooks must be an object"],
      [{ url: "ftp://127.0.0.1/", apiKey: "k" }, 'invalid lk.mock attribute: webhooks.url "ftp://127.0.0.1/" must be an http or https URL'],
      [{ url: "http://127.0.0.1:1/", apiKey: "" }, "invalid lk.mock attribute: webhooks.apiKey must not be empty"],
    ];
    for (const [webhooks, body] of cases) {
      const refused = await refusal(server.url(0), "/rtc", { token: await mockToken({ signal: "happy", webhooks }) });
      assert.equal(refused.status, 400);
      assert.ok(refused.body.startsWith(body), refused.body);
    }
    const misspelt = await refusal(server.url(0), "/rtc", { token: await mockToken({ signal: "happy", webhook: {} }) });
    assert.match(misspelt.body, /unknown key "webhook" \(did you mean "webhooks"\?\)/);
    // The typed helper checks with the same parser.
    assert.deepEqual(signalMockAttributes({ signal: "happy", webhooks: { url: "http://127.0.0.1:1/", apiKey: "k" } }), {
      "lk.mock": '{"signal":"happy","webhooks":{"url":"http://127.0.0.1:1/","apiKey":"k"}}',
    });
    assert.throws(() => signalMockAttributes({ signal: "happy", webhooks: { url: "x" } as never }), SignalMockError);
  });
});
