// The README's recipes for client SDK tests, run as written: each `lk.mock` value is read from the
// README (so the two cannot drift apart), signed into a token, and played against a client that
// acts as an SDK would, asserting what the recipe says the client sees.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JsonObject } from "@bufbuild/protobuf";
import { RequestResponse_Reason } from "../../generated/livekit_rtc_pb.js";
import { parseSignalMock } from "../../src/signal/attribute/signal-mode.js";
import { useServer } from "../support/server.js";
import { mockToken } from "./mock-token.js";
import { calmTokenPlaceholder, recipe, recipeNames } from "./readme-recipe.js";
import { connect, type SignalClient } from "./signal-client.js";

const server = useServer();
async function open(mock: Record<string, unknown> | string): Promise<SignalClient> {
  return connect(server.url(), "/rtc/v1", { token: typeof mock === "string" ? mock : await mockToken(mock) });
}

async function journal(key: string): Promise<JsonObject[]> {
  return ((await (await fetch(`${server.url()}/_test/journal/${key}`)).json()) as { entries: JsonObject[] }).entries;
}

describe("README recipes for client SDK tests", () => {
  test("every recipe is a value the server accepts", () => {
    for (const name of recipeNames) parseSignalMock(JSON.stringify(recipe(name)));
  });

  test("token refresh: the token arrives 100 ms after the join was sent", async () => {
    const client = await open(recipe("token-refresh"));
    const join = await client.next();
    const refresh = await client.next();
    assert.deepEqual(
      [join.message.message.case, refresh.message.message.case, refresh.message.message.value],
      ["join", "refreshToken", "<a new token>"],
    );
    // The step's time counts from when the server sent the join, which the client sees a little later.
    assert.ok(refresh.at - client.startedAt >= 99, `${(refresh.at - client.startedAt).toFixed(0)} ms after the handshake began`);
    client.ws.close();
  });

  test("a participant joining: Bob is there at the join, Carol joins with a microphone, then speaks", async () => {
    const client = await open(recipe("participant-joining"));
    const join = (await client.next()).message.message;
    assert.deepEqual(join.case === "join" && join.value.otherParticipants.map((p) => p.identity), ["bob"]);
    const update = (await client.next()).message.message;
    assert.ok(update.case === "update");
    assert.deepEqual(
      update.value.participants.map((p) => [p.identity, p.tracks.map((t) => t.sid)]),
      [["carol", ["TR_CAROL_MIC"]]],
    );
    const speakers = (await client.next()).message.message;
    assert.deepEqual(speakers.case === "speakersChanged" && speakers.value.speakers.map((s) => [s.sid, s.active]), [["PA_CAROL", true]]);
    client.ws.close();
  });

  test("a server-initiated leave with reconnect: the client reconnects with the refreshed token and is left once", async () => {
    const calm = await mockToken({ journal: "leave-reconnect" });
    const mock = recipe("leave-with-reconnect", { [calmTokenPlaceholder]: calm });
    const first = await open(mock);
    assert.equal((await first.next()).message.message.case, "join");
    const refresh = (await first.next()).message.message;
    const leave = (await first.next()).message.message;
    assert.equal(leave.case === "leave" && leave.value.action, 2 /* RECONNECT */);
    // What an SDK does: say goodbye, then connect again with the newest token.
    first.send({ case: "leave", value: { reason: 1 /* CLIENT_INITIATED */ } });
    await first.closed;
    assert.ok(refresh.case === "refreshToken");
    const second = await open(refresh.value);
    assert.equal((await second.next()).message.message.case, "join");
    await second.silence(400);
    second.ws.close();
    await second.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const entries = await journal("leave-reconnect");
    assert.deepEqual(
      entries.filter((e) => e["event"] === "connected").map((e) => e["connection"] !== undefined),
      [true, true],
    );
  });

  test("a refused metadata update: the reply carries the request's id and the scripted reason", async () => {
    const client = await open(recipe("refused-metadata"));
    await client.next();
    client.send({ case: "updateMetadata", value: { requestId: 11, metadata: "new" } });
    const reply = (await client.next()).message.message;
    assert.deepEqual(reply.case === "requestResponse" && [reply.value.requestId, reply.value.reason, reply.value.message], [
      11,
      RequestResponse_Reason.NOT_ALLOWED,
      "metadata is locked",
    ]);
    client.ws.close();
  });

  test("asserting what the client sent: the journal holds its requests, ending with its leave", async () => {
    const client = await open(recipe("what-the-client-sent"));
    await client.next();
    client.send({ case: "ping", value: 1700000000000n });
    client.send({ case: "pingReq", value: { timestamp: 1700000000000n } });
    await client.next();
    await client.next();
    client.send({ case: "leave", value: { reason: 1 } });
    await client.closed;
    // The README's snippet, as written there.
    const entries = (await journal("what-alice-sent")) as { event: string; request: Record<string, unknown>; sinceUpgradeMs: number }[];
    const requests = entries.filter((e) => e.event === "request").map((e) => e.request);
    assert.deepEqual(requests.at(-1), { leave: { reason: "CLIENT_INITIATED" } });
    const pings = entries.filter((e) => e.event === "request" && "ping" in e.request).map((e) => e.sinceUpgradeMs);
    assert.equal(pings.length, 1);
    assert.deepEqual(requests.slice(0, 2), [{ ping: "1700000000000" }, { pingReq: { timestamp: "1700000000000" } }]);
  });
});
