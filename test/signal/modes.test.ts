// Every mode (docs/spec/signal.md#modes) over a real WebSocket, on both signal paths.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { DisconnectReason, ParticipantInfo_State } from "../../generated/livekit_models_pb.js";
import { LeaveRequest_Action, type SignalResponse } from "../../generated/livekit_rtc_pb.js";
import { useServer } from "../support/server.js";
import { mockToken, participant } from "./mock-token.js";
import { assertOnTime } from "./on-time.js";
import { connect, refusal, signalPaths, type SignalClient } from "./signal-client.js";

const server = useServer();
function join(message: SignalResponse, region = "region-0"): void {
  assert.equal(message.message.case, "join");
  const value = message.message.value;
  assert.equal(value.room?.sid, "RM_MOCK");
  assert.equal(value.room?.name, participant.room);
  assert.equal(value.participant?.sid, "PA_MOCK");
  assert.equal(value.participant?.identity, participant.identity);
  assert.equal(value.participant?.name, participant.name);
  assert.equal(value.participant?.state, ParticipantInfo_State.JOINED);
  assert.equal(value.pingInterval, 1);
  assert.equal(value.pingTimeout, 3);
  assert.equal(value.serverVersion, "mock");
  assert.equal(value.serverRegion, region);
  assert.deepEqual(
    { ...value.serverInfo, $typeName: undefined },
    { $typeName: undefined, edition: 0, version: "mock", protocol: 15, region, nodeId: "MOCK_NODE", debugInfo: "", agentProtocol: 0 },
  );
  assert.equal(value.iceServers.length, 0);
  assert.equal(value.otherParticipants.length, 0);
  assert.equal(value.clientConfiguration, undefined);
}

function leave(message: SignalResponse, action: number): void {
  assert.equal(message.message.case, "leave");
  assert.equal(message.message.value.reason, DisconnectReason.SERVER_SHUTDOWN);
  assert.equal(message.message.value.action, action);
  assert.equal(message.message.value.canReconnect, false);
  assert.equal(message.message.value.regions, undefined);
}

async function pongs(client: SignalClient): Promise<void> {
  client.send({ case: "ping", value: 1n });
  const pong = (await client.next()).message.message;
  assert.equal(pong.case, "pong");
  assert.ok(Math.abs(Number(pong.value) - Date.now()) < 5_000, `pong ${pong.value} is the server time in ms`);
}

async function open(path: string, mock: Record<string, unknown>, query: Record<string, string> = {}): Promise<SignalClient> {
  return connect(server.url(), path, { token: await mockToken(mock), query });
}

for (const path of signalPaths) {
  describe(`GET ${path}`, { concurrency: 4 }, () => {
    test("happy sends join then answers pings, and closes 1000 when the client leaves", async () => {
      const client = await open(path, { signal: "happy" });
      join((await client.next()).message);
      await pongs(client);
      client.send({ case: "leave", value: {} });
      const closed = await client.closed;
      assert.deepEqual([closed.code, closed.reason], [1000, ""]);
    });

    test("happy is also the mode without an lk.mock attribute", async () => {
      const client = await connect(server.url(), path, { token: await mockToken() });
      join((await client.next()).message);
      await pongs(client);
      client.ws.close();
    });

    test("happy with reconnect=1 sends a reconnect response with only the server info", async () => {
      const client = await open(path, { signal: "happy" }, { reconnect: "1" });
      const first = (await client.next()).message.message;
      assert.equal(first.case, "reconnect");
      assert.equal(first.value.serverInfo?.region, "region-0");
      assert.equal(first.value.serverInfo?.nodeId, "MOCK_NODE");
      assert.equal(first.value.serverInfo?.version, "mock");
      assert.equal(first.value.serverInfo?.protocol, 15);
      assert.equal(first.value.iceServers.length, 0);
      assert.equal(first.value.clientConfiguration, undefined);
      await pongs(client);
      client.ws.close();
    });

    test("only reconnect=1 exactly asks for a reconnect response", async () => {
      for (const reconnect of ["true", "0", "01"]) {
        const client = await open(path, { signal: "happy" }, { reconnect });
        join((await client.next()).message);
        client.ws.close();
      }
    });

    test("happy echoes the client's close code without its reason", async () => {
      const client = await open(path, { signal: "happy" });
      await client.next();
      client.ws.close(4001, "bye");
      const closed = await client.closed;
      assert.deepEqual([closed.code, closed.reason], [4001, ""]);
    });

    test("no_first_message sends nothing, ignores pings and echoes the client's close", async () => {
      const client = await open(path, { signal: "no_first_message" });
      client.send({ case: "ping", value: 1n });
      client.send({ case: "updateMetadata", value: { requestId: 3 } });
      await client.silence(300);
      client.ws.close(1000);
      assert.equal((await client.closed).code, 1000);
    });

    test("no_pong sends join, ignores both kinds of ping, and still acknowledges update_metadata", async () => {
      const client = await open(path, { signal: "no_pong" });
      join((await client.next()).message);
      client.send({ case: "ping", value: 1n });
      client.send({ case: "pingReq", value: { timestamp: 5n, rtt: 1n } });
      await client.silence(250);
      client.send({ case: "updateMetadata", value: { requestId: 42, metadata: "m" } });
      const ack = (await client.next()).message.message;
      assert.equal(ack.case, "requestResponse");
      assert.equal(ack.value.requestId, 42);
      assert.equal(ack.value.reason, 0);
      client.send({ case: "leave", value: {} });
      assert.equal((await client.closed).code, 1000);
    });

    test("close_before_join closes 1011 with an empty reason 50 ms after the upgrade, sending nothing", async () => {
      const client = await open(path, { signal: "close_before_join" });
      const closed = await client.closed;
      assert.deepEqual([closed.code, closed.reason], [1011, ""]);
      assertOnTime(client, closed.at, 50, "closed");
      await client.silence(0);
    });

    test("close_when_connected sends join, then closes 1011 with its reason 200 ms later", async () => {
      const client = await open(path, { signal: "close_when_connected" });
      join((await client.next()).message);
      const closed = await client.closed;
      assert.deepEqual([closed.code, closed.reason], [1011, "mock close_when_connected"]);
      assertOnTime(client, closed.at, 200, "closed");
    });

    test("drop_when_connected sends join, then drops TCP 200 ms later without a close frame", async () => {
      const client = await open(path, { signal: "drop_when_connected" });
      join((await client.next()).message);
      const closed = await client.closed;
      assert.equal(closed.code, 1006);
      assertOnTime(client, closed.at, 200, "dropped");
    });

    test("leave_when_connected sends join, a leave 200 ms later, then answers pings and closes on leave", async () => {
      const client = await open(path, { signal: "leave_when_connected", leaveAction: "RECONNECT" });
      join((await client.next()).message);
      const second = await client.next();
      leave(second.message, LeaveRequest_Action.RECONNECT);
      assertOnTime(client, second.at, 200, "leave");
      await pongs(client);
      client.send({ case: "leave", value: {} });
      const closed = await client.closed;
      assert.deepEqual([closed.code, closed.reason], [1000, ""]);
    });

    test("leave_when_connected without a leaveAction leaves with DISCONNECT", async () => {
      const client = await open(path, { signal: "leave_when_connected" });
      join((await client.next()).message);
      leave((await client.next()).message, LeaveRequest_Action.DISCONNECT);
      client.ws.close();
    });

    test("leave_first_message sends only a leave, ignores pings, and echoes the client's close", async () => {
      const client = await open(path, { signal: "leave_first_message", leaveAction: 1 });
      leave((await client.next()).message, LeaveRequest_Action.RESUME);
      client.send({ case: "ping", value: 1n });
      await client.silence(250);
      client.ws.close(1000);
      assert.equal((await client.closed).code, 1000);
    });

    test("leave_first_message passes an integer leaveAction outside the enum through", async () => {
      const client = await open(path, { signal: "leave_first_message", leaveAction: 7 });
      leave((await client.next()).message, 7);
      client.ws.close();
    });

    test("leave_during_reconnect with reconnect=1 sends only a leave and ignores pings", async () => {
      const client = await open(path, { signal: "leave_during_reconnect", leaveAction: "resume" }, { reconnect: "1" });
      leave((await client.next()).message, LeaveRequest_Action.RESUME);
      client.send({ case: "ping", value: 1n });
      await client.silence(250);
      client.ws.close();
    });

    test("leave_during_reconnect without reconnect behaves like happy", async () => {
      const client = await open(path, { signal: "leave_during_reconnect", leaveAction: "RESUME" });
      join((await client.next()).message);
      await pongs(client);
      client.send({ case: "leave", value: {} });
      assert.equal((await client.closed).code, 1000);
    });

    test("drop_on_close is happy until the client closes, then drops TCP instead of answering", async () => {
      const client = await open(path, { signal: "drop_on_close" });
      join((await client.next()).message);
      await pongs(client);
      client.ws.close(1000);
      assert.equal((await client.closed).code, 1006);
    });

    test("drop_on_close still closes 1000 when the client sends a leave", async () => {
      const client = await open(path, { signal: "drop_on_close" });
      join((await client.next()).message);
      client.send({ case: "leave", value: {} });
      assert.equal((await client.closed).code, 1000);
    });

    test("validate_500 refuses the upgrade with 500 and an empty body", async () => {
      const refused = await refusal(server.url(), path, { token: await mockToken({ signal: "validate_500" }) });
      assert.deepEqual([refused.status, refused.body], [500, ""]);
      assert.equal(refused.headers["access-control-allow-origin"], undefined);
    });

    test("validate_service_not_found and room_not_found refuse the upgrade with 404 and an empty body", async () => {
      for (const signal of ["validate_service_not_found", "room_not_found"]) {
        const refused = await refusal(server.url(), path, { token: await mockToken({ signal }) });
        assert.deepEqual([refused.status, refused.body], [404, ""], signal);
        assert.equal(refused.headers["access-control-allow-origin"], undefined);
      }
    });
  });
}
