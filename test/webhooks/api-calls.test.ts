// Webhooks after API calls, end to end: a Twirp call with `webhooks` in X-Lk-Mock, the server's
// notifier, and handlers built on each SDK's receiver. Every RPC of the table emits its events on
// success only; failures, drops, pins, refusals and abandoned calls emit nothing.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type { JsonObject } from "@bufbuild/protobuf";
import type { MockControl } from "../../src/control/control-fields.js";
import { mockHeader, MockControlError } from "../../src/control/mock-header.js";
import type { RequestOutcome } from "../../src/shared/log.js";
import { ConfigError, parseArgs } from "../../src/server/config.js";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { rpcEvents } from "../../src/webhooks/rpc-events.js";
import { useServer } from "../support/server.js";
import { assertTwirpError, get, twirp } from "../support/twirp.js";
import { sdks, startNodeReceiver, startReceiver, verifiedEvents, type Receiver } from "./receivers.js";

const server = useServer();
const receivers: Receiver[] = [];
after(() => Promise.all(receivers.map((r) => r.close())));
async function keep(receiver: Promise<Receiver>): Promise<Receiver> {
  receivers.push(await receiver);
  return receivers.at(-1)!;
}

/** A request per RPC of the table, naming the resources its events must carry. */
const requests: Readonly<Record<string, JsonObject>> = {
  "livekit.RoomService/CreateRoom": { name: "room-a", metadata: "meta" },
  "livekit.RoomService/DeleteRoom": { room: "room-b" },
  "livekit.RoomService/RemoveParticipant": { room: "room-c", identity: "carol" },
  "livekit.RoomService/MoveParticipant": { room: "room-d", identity: "dave", destinationRoom: "room-e" },
  "livekit.RoomService/ForwardParticipant": { room: "room-f", identity: "fay", destinationRoom: "room-g" },
  "livekit.Egress/StartEgress": { roomName: "room-h" },
  "livekit.Egress/StartRoomCompositeEgress": { roomName: "room-i", layout: "grid" },
  "livekit.Egress/StartWebEgress": { url: "https://example.com" },
  "livekit.Egress/StartParticipantEgress": { roomName: "room-j", identity: "jo" },
  "livekit.Egress/StartTrackCompositeEgress": { roomName: "room-k" },
  "livekit.Egress/StartTrackEgress": { roomName: "room-l", trackId: "TR_1" },
  "livekit.Egress/UpdateStream": { egressId: "EG_update" },
  "livekit.Egress/StopEgress": { egressId: "EG_stop" },
  "livekit.Ingress/CreateIngress": { roomName: "room-m", name: "cam" },
  "livekit.Ingress/DeleteIngress": { ingressId: "IN_delete" },
  "livekit.AgentDispatchService/CreateDispatch": { agentName: "helper", room: "room-n" },
  "livekit.AgentDispatchService/DeleteDispatch": { dispatchId: "AD_1", room: "room-o" },
  "livekit.SIP/CreateSIPParticipant": { sipTrunkId: "ST_1", sipCallTo: "+1555", roomName: "room-p", participantIdentity: "caller" },
  "livekit.SIP/TransferSIPParticipant": { participantIdentity: "caller", roomName: "room-q", transferTo: "tel:+1556" },
};

/** What each call's events must say about the resource the call named. */
function assertAbout(key: string, events: Record<string, any>[]): void {
  const find = (name: string): Record<string, any> => events.find((e) => e["event"] === name)!;
  switch (key) {
    case "livekit.RoomService/CreateRoom":
      assert.deepEqual([find("room_started")["room"]["name"], find("room_started")["room"]["metadata"]], ["room-a", "meta"]);
      break;
    case "livekit.RoomService/DeleteRoom":
      assert.equal(find("room_finished")["room"]["name"], "room-b");
      break;
    case "livekit.RoomService/RemoveParticipant":
      assert.deepEqual(
        [find("participant_left")["room"]["name"], find("participant_left")["participant"]["identity"]],
        ["room-c", "carol"],
      );
      break;
    case "livekit.RoomService/MoveParticipant":
      assert.deepEqual([find("participant_left")["room"]["name"], find("participant_joined")["room"]["name"]], ["room-d", "room-e"]);
      break;
    case "livekit.Egress/StartRoomCompositeEgress":
      assert.deepEqual(
        [find("egress_started")["egressInfo"]["roomName"], find("egress_started")["egressInfo"]["egressId"]],
        ["room-i", "MOCK_EGRESS_ID"],
      );
      break;
    case "livekit.Egress/StopEgress":
      assert.deepEqual(
        events.map((e) => [e["event"], e["egressInfo"]["egressId"], e["egressInfo"]["status"]]),
        [
          ["egress_updated", "EG_stop", "EGRESS_ENDING"],
          ["egress_ended", "EG_stop", "EGRESS_COMPLETE"],
        ],
      );
      break;
    case "livekit.Ingress/CreateIngress":
      assert.deepEqual(
        [find("ingress_started")["ingressInfo"]["roomName"], find("ingress_started")["ingressInfo"]["state"]["status"]],
        ["room-m", "ENDPOINT_PUBLISHING"],
      );
      break;
    case "livekit.AgentDispatchService/CreateDispatch":
      assert.deepEqual(
        events.map((e) => [e["event"], e["job"]["agentName"], e["job"]["room"]["name"]]),
        [
          ["agent_job_pending", "helper", "room-n"],
          ["agent_job_started", "helper", "room-n"],
        ],
      );
      break;
    case "livekit.SIP/CreateSIPParticipant":
      assert.deepEqual(
        [find("participant_joined")["participant"]["identity"], find("participant_joined")["participant"]["kind"]],
        ["caller", "SIP"],
      );
      break;
  }
}

function webhooksTo(receiver: Receiver, extra: MockControl = {}): MockControl {
  return { webhooks: { url: receiver.url, apiKey: "devkey" }, delayMs: 0, ...extra };
}

describe("webhooks after API calls", () => {
  for (const sdk of sdks) {
    test(`every RPC of the table emits its events, each verified by the ${sdk} SDK's receiver`, async () => {
      const r = await keep(startReceiver(sdk, "devkey", "secret"));
      assert.deepEqual(Object.keys(requests).sort(), Object.keys(rpcEvents).sort(), "a request for every RPC of the table");
      for (const [key, entry] of Object.entries(rpcEvents)) {
        const seen = r.deliveries.length;
        // Auth is tested elsewhere; room-scoped calls would need a token per room.
        const reply = await twirp(server.url(0), key, requests[key], { control: webhooksTo(r, { skipAuth: true }) });
        assert.equal(reply.status, 200, `${key}: ${reply.text}`);
        const deliveries = (await r.waitFor(seen + entry.events.length)).slice(seen);
        const events = verifiedEvents(r, deliveries);
        // Events of different resources (Move's two rooms) may overtake each other.
        assert.deepEqual(events.map((e) => e["event"]).sort(), [...entry.events].sort(), key);
        for (const event of events) assert.match(event["id"], /^EV_\w{12}$/);
        assertAbout(key, events);
      }
    });
  }

  test("failures, drops, pins, refusals and abandoned calls emit nothing", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    const key = "livekit.RoomService/CreateRoom";
    const url = server.url(0);
    const failing: [string, () => Promise<unknown>][] = [
      ["failRegions", () => twirp(url, key, { name: "x" }, { control: webhooksTo(r, { failRegions: [0] }) })],
      [
        "failMode drop",
        () => twirp(url, key, { name: "x" }, { control: webhooksTo(r, { failRegions: [0], failMode: "drop" }) }).catch(() => {}),
      ],
      ["pinned", () => twirp(url, key, { name: "x" }, { control: webhooksTo(r, { pinnedRegions: ["region-1"] }) })],
      [
        "sipStatus",
        () => twirp(url, "livekit.SIP/CreateSIPParticipant", { roomName: "x" }, { control: webhooksTo(r, { sipStatus: { code: 486 } }) }),
      ],
      ["no token", () => twirp(url, key, { name: "x" }, { control: webhooksTo(r), token: null })],
      ["bad body", () => twirp(url, key, "{not json", { control: webhooksTo(r) })],
      [
        "client gone",
        async () => {
          const controller = new AbortController();
          const pending = twirp(url, key, { name: "x" }, { control: webhooksTo(r, { delayMs: 300 }), signal: controller.signal }).catch(
            () => {},
          );
          setTimeout(() => controller.abort(), 50);
          await pending;
          await new Promise((resolve) => setTimeout(resolve, 400));
        },
      ],
    ];
    for (const [, call] of failing) await call();
    // A success afterwards: its event arrives, and nothing from the calls before it.
    assert.equal((await twirp(url, key, { name: "fence" }, { control: webhooksTo(r) })).status, 200);
    await r.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.deepEqual(
      verifiedEvents(r, r.deliveries).map((e) => e["room"]["name"]),
      ["fence"],
    );
  });

  test("an RPC outside the table, or a call without webhooks, sends nothing", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    assert.equal((await twirp(server.url(0), "livekit.RoomService/ListRooms", {}, { control: webhooksTo(r) })).status, 200);
    assert.equal(
      (await twirp(server.url(0), "livekit.RoomService/CreateRoom", { name: "quiet" }, { control: { delayMs: 0 } })).status,
      200,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(r.deliveries.length, 0);
  });

  test("a receiver answering 5xx gets the same event, with the same id, again within seconds", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret", { answer: (n) => (n === 1 ? 503 : 200) }));
    const started = performance.now();
    assert.equal(
      (await twirp(server.url(1), "livekit.RoomService/CreateRoom", { name: "retried" }, { control: webhooksTo(r) })).status,
      200,
    );
    const [first, second] = verifiedEvents(r, await r.waitFor(2, 5000));
    assert.equal(second!["id"], first!["id"]);
    assert.equal(second!["event"], "room_started");
    assert.ok(performance.now() - started < 3000);
  });

  test("with a journal key, the call and each attempt of its webhook are journal entries", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret", { answer: (n) => (n === 1 ? 503 : 200) }));
    const key = `webhooks-${process.pid}-${Date.now()}`;
    const reply = await twirp(
      server.url(2),
      "livekit.RoomService/CreateRoom",
      { name: "journaled" },
      { control: webhooksTo(r, { journal: key }) },
    );
    assert.equal(reply.status, 200);
    const [first] = verifiedEvents(r, await r.waitFor(2, 5000));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const { entries } = (await get(server.url(0), `/_test/journal/${key}`)).json() as { entries: Record<string, unknown>[] };
    assert.deepEqual(
      entries.map((e) => [e["kind"], e["region"], e["status"], e["event"], e["id"], e["attempt"], e["retryInMs"]]),
      [
        ["twirp", "region-2", 200, undefined, undefined, undefined, undefined],
        ["webhook", "region-2", 503, "room_started", first!["id"], 1, 1000],
        ["webhook", "region-2", 200, "room_started", first!["id"], 2, undefined],
      ],
    );
    assert.equal(entries[1]!["url"], r.url);
  });

  test("events are built from the answer actually sent: a `response` override shapes them", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    const control = webhooksTo(r, { response: { egressId: "EG_custom", status: "EGRESS_FAILED", error: "disk full" } });
    assert.equal((await twirp(server.url(0), "livekit.Egress/StopEgress", { egressId: "EG_x" }, { control })).status, 200);
    const events = verifiedEvents(r, await r.waitFor(2));
    assert.deepEqual(
      events.map((e) => [e["event"], e["egressInfo"]["egressId"], e["egressInfo"]["status"], e["egressInfo"]["error"]]),
      [
        ["egress_updated", "EG_custom", "EGRESS_ENDING", "disk full"],
        ["egress_ended", "EG_custom", "EGRESS_FAILED", "disk full"],
      ],
    );
  });

  test("apiSecret signs with another secret, which a receiver that does not know it refuses", async () => {
    const r = await keep(startNodeReceiver("devkey", "secret"));
    const other = await keep(startNodeReceiver("devkey", "other-secret"));
    await twirp(
      server.url(0),
      "livekit.RoomService/CreateRoom",
      { name: "s" },
      { control: { webhooks: { url: r.url, apiKey: "devkey", apiSecret: "other-secret" } } },
    );
    await twirp(
      server.url(0),
      "livekit.RoomService/CreateRoom",
      { name: "s" },
      { control: { webhooks: { url: other.url, apiKey: "devkey", apiSecret: "other-secret" } } },
    );
    assert.equal((await r.waitFor(1))[0]!.verified, false);
    assert.equal((await other.waitFor(1))[0]!.verified, true);
  });

  test("a target that is not loopback is refused with 400, naming --webhook-allow-hosts", async () => {
    const reply = await twirp(
      server.url(0),
      "livekit.RoomService/CreateRoom",
      { name: "x" },
      { control: { webhooks: { url: "http://203.0.113.7/hook", apiKey: "devkey" } } },
    );
    assertTwirpError(reply, {
      status: 400,
      code: "invalid_argument",
      msg: "mock: invalid control: X-Lk-Mock field webhooks.url http://203.0.113.7 is not a loopback address; webhooks go to loopback hosts only unless --webhook-allow-hosts lists the host",
    });
    assert.equal(reply.region, "");
  });

  test("the webhooks field is parsed strictly, like every control field", async () => {
    const cases: [unknown, string][] = [
      [{ url: "http://127.0.0.1:1/", apiKy: "k" }, 'X-Lk-Mock field webhooks has unknown field "apiKy" (did you mean "apiKey"?)'],
      [{ url: "http://127.0.0.1:1/" }, 'X-Lk-Mock field webhooks needs field "apiKey"'],
      [{ url: 5, apiKey: "k" }, "X-Lk-Mock field webhooks .url must be a string, got number 5"],
      ["http://127.0.0.1:1/", 'X-Lk-Mock field webhooks must be an object, got "http://127.0.0.1:1/"'],
      [{ url: "ftp://127.0.0.1/hook", apiKey: "k" }, 'X-Lk-Mock field webhooks.url "ftp://127.0.0.1/hook" must be an http or https URL'],
      [
        { url: "not a url", apiKey: "k" },
        'X-Lk-Mock field webhooks.url "not a url" is not an absolute URL like http://127.0.0.1:3000/webhook',
      ],
      [{ url: "http://127.0.0.1:1/", apiKey: "" }, "X-Lk-Mock field webhooks.apiKey must not be empty"],
      [{ url: "http://127.0.0.1:1/", apiKey: "k", apiSecret: "" }, "X-Lk-Mock field webhooks.apiSecret must not be empty"],
    ];
    for (const [webhooks, msg] of cases) {
      const reply = await twirp(server.url(0), "livekit.RoomService/CreateRoom", {}, { control: JSON.stringify({ webhooks }) });
      assertTwirpError(reply, { status: 400, code: "invalid_argument", msgIncludes: [msg] });
    }
    const { json } = await get(server.url(0), "/_test/schema");
    assert.deepEqual(json().properties.webhooks.anyOf[0].required, ["url", "apiKey"]);
    // The typed helper checks with the same parser.
    assert.equal(
      mockHeader({ webhooks: { url: "http://127.0.0.1:1/", apiKey: "k" } }),
      '{"webhooks":{"url":"http://127.0.0.1:1/","apiKey":"k"}}',
    );
    assert.throws(() => mockHeader({ webhooks: { url: "http://127.0.0.1:1/" } as never }), MockControlError);
  });

  test("every attempt is a line in the request log", async () => {
    const lines: RequestOutcome[] = [];
    const logged: RunningServer = await startServer(
      { ports: [0], bind: "127.0.0.1", logLevel: "info" },
      { requestsEnabled: true, request: (o) => void lines.push(o), info: () => {}, error: () => {} },
    );
    try {
      const r = await keep(startNodeReceiver("devkey", "secret", { answer: (n) => (n === 1 ? 500 : 200) }));
      await twirp(logged.url(0), "livekit.RoomService/CreateRoom", { name: "logged" }, { control: webhooksTo(r) });
      const [first, second] = verifiedEvents(r, await r.waitFor(2, 5000));
      await new Promise((resolve) => setTimeout(resolve, 50));
      const webhookLines = lines.filter((l) => l.target.startsWith("webhook "));
      assert.deepEqual(
        webhookLines.map((l) => [l.region, l.target, l.status, l.why]),
        [
          ["region-0", "webhook room_started", 500, `${first!["id"]} to ${r.url}: attempt 1/5, retry in 1000 ms`],
          ["region-0", "webhook room_started", 200, `${second!["id"]} to ${r.url}: attempt 2/5`],
        ],
      );
    } finally {
      await logged.close();
    }
  });
});

describe("--webhook-allow-hosts", () => {
  let allowing: RunningServer;
  before(async () => {
    allowing = await startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent", webhookAllowHosts: ["hooks.example.invalid"] });
  });
  after(() => allowing.close());

  test("a listed host is accepted as a target", async () => {
    const reply = await twirp(
      allowing.url(0),
      "livekit.RoomService/CreateRoom",
      { name: "x" },
      { control: { webhooks: { url: "http://hooks.example.invalid/x", apiKey: "k" } } },
    );
    assert.equal(reply.status, 200);
    const other = await twirp(
      allowing.url(0),
      "livekit.RoomService/CreateRoom",
      { name: "x" },
      { control: { webhooks: { url: "http://other.example.invalid/x", apiKey: "k" } } },
    );
    assert.equal(other.status, 400);
  });

  test("is read from the flag or LK_TEST_SERVER_WEBHOOK_ALLOW_HOSTS, and a bad entry is refused", () => {
    const parsed = parseArgs(["--webhook-allow-hosts", "Example.com, [::2],10.1.2.3"], {});
    assert.ok(!parsed.help);
    assert.deepEqual(parsed.config.webhookAllowHosts, ["example.com", "[::2]", "10.1.2.3"]);
    const fromEnv = parseArgs([], { LK_TEST_SERVER_WEBHOOK_ALLOW_HOSTS: "*" });
    assert.ok(!fromEnv.help);
    assert.deepEqual(fromEnv.config.webhookAllowHosts, ["*"]);
    const none = parseArgs([], {});
    assert.ok(!none.help);
    assert.deepEqual(none.config.webhookAllowHosts, []);
    assert.throws(
      () => parseArgs(["--webhook-allow-hosts", "http://x.com/"], {}),
      (err: unknown) =>
        err instanceof ConfigError &&
        /invalid --webhook-allow-hosts: "http:\/\/x.com\/" is not a host name or IP address/.test(err.message),
    );
    for (const value of ["example.com,", "example.com, ,10.1.2.3"]) {
      assert.throws(
        () => parseArgs(["--webhook-allow-hosts", value], {}),
        (err: unknown) =>
          err instanceof ConfigError && /^invalid --webhook-allow-hosts: entry 2 is empty: remove the stray comma$/.test(err.message),
        value,
      );
    }
    const wildcard = parseArgs(["--webhook-allow-hosts", "*.Svc.Cluster.Local"], {});
    assert.ok(!wildcard.help);
    assert.deepEqual(wildcard.config.webhookAllowHosts, ["*.svc.cluster.local"]);
  });
});
