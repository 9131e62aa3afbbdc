// `replies`: a rule per SignalRequest kind replaces the mode's answer; the request's id is filled
// in; null means silence; kinds without a rule keep the mode's answer.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RequestResponse_Reason } from "../../generated/livekit_rtc_pb.js";
import { useServer } from "../support/server.js";
import { mockToken } from "./mock-token.js";
import { connect, type SignalClient } from "./signal-client.js";

const server = useServer();

async function open(mock: Record<string, unknown>): Promise<SignalClient> {
  const client = await connect(server.url(), "/rtc", { token: await mockToken(mock) });
  assert.equal((await client.next()).message.message.case, "join");
  return client;
}

const refuse = { requestResponse: { reason: "NOT_ALLOWED", message: "metadata is locked" } };

describe("replies", { concurrency: 6 }, () => {
  test("a rule answers update_metadata with its message and the request's id", async () => {
    const client = await open({ replies: { updateMetadata: refuse } });
    client.send({ case: "updateMetadata", value: { requestId: 42, metadata: "m" } });
    const reply = (await client.next()).message.message;
    assert.ok(reply.case === "requestResponse");
    assert.deepEqual(
      [reply.value.requestId, reply.value.reason, reply.value.message],
      [42, RequestResponse_Reason.NOT_ALLOWED, "metadata is locked"],
    );
    client.ws.close();
  });

  test("a request id the rule sets itself is kept", async () => {
    const client = await open({ replies: { updateMetadata: { requestResponse: { requestId: 7, reason: "LIMIT_EXCEEDED" } } } });
    client.send({ case: "updateMetadata", value: { requestId: 42 } });
    const reply = (await client.next()).message.message;
    assert.deepEqual(reply.case === "requestResponse" && [reply.value.requestId, reply.value.reason], [
      7,
      RequestResponse_Reason.LIMIT_EXCEEDED,
    ]);
    client.ws.close();
  });

  test("null answers nothing", async () => {
    const client = await open({ replies: { updateMetadata: null, ping: null } });
    client.send({ case: "updateMetadata", value: { requestId: 1 } });
    client.send({ case: "ping", value: 1n });
    await client.silence(250);
    client.send({ case: "pingReq", value: { timestamp: 5n } });
    assert.equal((await client.next()).message.message.case, "pongResp", "kinds without a rule keep the mode's answer");
    client.ws.close();
  });

  test("a rule for leave replaces the close: the connection stays open and keeps answering", async () => {
    const client = await open({ replies: { leave: { leave: { reason: "CLIENT_INITIATED", action: "DISCONNECT" } } } });
    client.send({ case: "leave", value: {} });
    assert.equal((await client.next()).message.message.case, "leave");
    client.send({ case: "ping", value: 1n });
    assert.equal((await client.next()).message.message.case, "pong");
    client.ws.close(1000);
    assert.equal((await client.closed).code, 1000);
  });

  test("a rule for ping replaces the pong", async () => {
    const client = await open({ replies: { ping: { pong: "12345" } } });
    client.send({ case: "ping", value: 1n });
    const reply = (await client.next()).message.message;
    assert.deepEqual([reply.case, reply.value], ["pong", 12345n]);
    client.ws.close();
  });

  test("kinds the mode ignores can be answered too, by either protojson name", async () => {
    const client = await open({
      replies: { mute: { mute: { sid: "TR_1", muted: true } }, track_setting: { requestResponse: { reason: "NOT_FOUND" } } },
    });
    client.send({ case: "mute", value: { sid: "TR_1", muted: false } });
    const mute = (await client.next()).message.message;
    assert.deepEqual(mute.case === "mute" && [mute.value.sid, mute.value.muted], ["TR_1", true]);
    client.send({ case: "trackSetting", value: { trackSids: ["TR_1"] } });
    const setting = (await client.next()).message.message;
    assert.deepEqual(setting.case === "requestResponse" && [setting.value.requestId, setting.value.reason], [
      0,
      RequestResponse_Reason.NOT_FOUND,
    ]);
    client.ws.close();
  });

  test("in leave_when_connected the rules apply once the mode reads, after its leave", async () => {
    const client = await open({ signal: "leave_when_connected", replies: { updateMetadata: refuse } });
    client.send({ case: "updateMetadata", value: { requestId: 3 } });
    assert.equal((await client.next()).message.message.case, "leave");
    const reply = (await client.next()).message.message;
    assert.deepEqual(reply.case === "requestResponse" && [reply.value.requestId, reply.value.reason], [
      3,
      RequestResponse_Reason.NOT_ALLOWED,
    ]);
    client.ws.close();
  });

  test("in no_pong a rule for another kind works, and pings stay unanswered", async () => {
    const client = await open({ signal: "no_pong", replies: { updateMetadata: refuse } });
    client.send({ case: "ping", value: 1n });
    client.send({ case: "updateMetadata", value: { requestId: 9 } });
    const reply = (await client.next()).message.message;
    assert.deepEqual(reply.case === "requestResponse" && reply.value.requestId, 9);
    await client.silence(200);
    client.ws.close();
  });
});
