// `livekit-test-server trigger` run as a user runs it: the built bin (`npm run build` first), a
// handler on loopback built on the Node SDK's receiver (Go's and Python's: sdk-receivers.test.ts), no server.
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { webhookEventNames } from "../../src/webhooks/webhook-events.js";
import { startNodeReceiver, verifiedEvents, type Receiver } from "./receivers.js";
import { builtBin, trigger } from "./wire-cases.js";

const receivers: Receiver[] = [];
after(() => Promise.all(receivers.map((r) => r.close())));
async function keep(receiver: Promise<Receiver>): Promise<Receiver> {
  receivers.push(await receiver);
  return receivers.at(-1)!;
}

before(() => assert.ok(existsSync(builtBin), `${builtBin} is missing: run npm run build first`));

describe("livekit-test-server trigger", () => {
  test("sends every event, signed, to a Node SDK receiver, and exits 0 when it answers 2xx", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    // A few at a time: each run is a separate process, as a user's would be.
    for (let i = 0; i < webhookEventNames.length; i += 5) {
      await Promise.all(
        webhookEventNames.slice(i, i + 5).map(async (name) => {
          const exit = await trigger([name, "--forward-to", r.url]);
          assert.equal(exit.code, 0, `${name}: ${exit.stdout}${exit.stderr}`);
          const lines = exit.stdout.trimEnd().split("\n");
          assert.match(lines[0]!, new RegExp(`^trigger: ${name} EV_\\w{12} to ${r.url}, signed for API key devkey$`));
          assert.match(lines[1]!, /^trigger: attempt 1\/5: 200 \(\d+ ms\)$/);
          assert.equal(lines[2], "trigger: delivered, the handler answered 200");
        }),
      );
    }
    const events = verifiedEvents(r, await r.waitFor(webhookEventNames.length));
    assert.deepEqual(events.map((e) => e["event"]).sort(), [...webhookEventNames].sort());
  });

  test("--data lays fields over the sample event, and the key and secret come from flags or LIVEKIT_API_KEY/SECRET", async () => {
    const r = await keep(startNodeReceiver("APIabc", "s3cret"));
    const viaFlags = await trigger([
      "participant_joined",
      `--forward-to=${r.url}`,
      "--api-key",
      "APIabc",
      "--api-secret",
      "s3cret",
      "--data",
      '{"room":{"name":"my-room"},"participant":{"identity":"bob"}}',
    ]);
    assert.equal(viaFlags.code, 0, viaFlags.stdout + viaFlags.stderr);
    const viaEnv = await trigger(["room_finished", "--forward-to", r.url], { LIVEKIT_API_KEY: "APIabc", LIVEKIT_API_SECRET: "s3cret" });
    assert.equal(viaEnv.code, 0, viaEnv.stdout + viaEnv.stderr);
    const [joined, finished] = verifiedEvents(r, await r.waitFor(2));
    assert.equal(joined!["room"]["name"], "my-room");
    assert.equal(joined!["room"]["sid"], "RM_MOCK");
    assert.equal(joined!["participant"]["identity"], "bob");
    assert.equal(finished!["event"], "room_finished");
  });

  test("a handler that refuses the signature makes it exit 1, saying what it answered", async () => {
    const r = await keep(startNodeReceiver("devkey", "another-secret"));
    const exit = await trigger(["room_started", "--forward-to", r.url]);
    assert.equal(exit.code, 1);
    assert.match(exit.stdout, /trigger: attempt 1\/5: 401 \(\d+ ms\)\ntrigger: not accepted, the handler answered 401 after 1 attempt\n$/);
    const [delivery] = await r.waitFor(1);
    assert.equal(delivery!.verified, false);
  });

  test("a handler answering 5xx gets the same event again a second later", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret", { answer: (n) => (n === 1 ? 503 : 200) }));
    const exit = await trigger(["track_published", "--forward-to", r.url]);
    assert.equal(exit.code, 0, exit.stdout + exit.stderr);
    assert.match(exit.stdout, /attempt 1\/5: 503 \(\d+ ms\), retry in 1000 ms\ntrigger: attempt 2\/5: 200/);
    const [first, second] = verifiedEvents(r, await r.waitFor(2));
    assert.equal(second!["id"], first!["id"]);
  });

  test("mistakes exit 1 with one line naming them", async () => {
    const cases: [string[], RegExp][] = [
      [
        ["room_strated", "--forward-to", "http://127.0.0.1:1/"],
        /^trigger: unknown webhook event "room_strated" \(did you mean "room_started"\?\)/,
      ],
      [["room_started"], /^trigger: --forward-to <url> is required\n$/],
      [["--forward-to", "http://127.0.0.1:1/"], /^trigger: name the event to send, one of room_started, /],
      [["room_started", "--forward-to", "localhost:3000"], /^trigger: "localhost:3000" must be an http or https URL\n$/],
      [["room_started", "--forward-to", "http://127.0.0.1:1/", "--forward"], /^trigger: unknown argument "--forward"/],
      [
        ["room_started", "--forward-to", "http://127.0.0.1:1/", "--data", '{"rooom":{}}'],
        /^trigger: unknown WebhookEvent field "rooom" \(did you mean "room"\?\)/,
      ],
      [["room_started", "--forward-to", "http://127.0.0.1:1/", "--data", "[1]"], /^trigger: --data must be a JSON object/],
    ];
    for (const [args, stderr] of cases) {
      const exit = await trigger(args);
      assert.equal(exit.code, 1, args.join(" "));
      assert.match(exit.stderr, stderr);
      assert.equal(exit.stdout, "");
    }
  });

  test("--help prints the usage with every event and flag", async () => {
    const exit = await trigger(["--help"]);
    assert.equal(exit.code, 0);
    for (const word of [...webhookEventNames, "--forward-to", "--api-key", "--api-secret", "--data", "LIVEKIT_API_KEY"])
      assert.ok(exit.stdout.includes(word), word);
  });
});
