// What every signal connection shares whatever its mode: tokens, refusals, the handshake, the read
// loop's handling of odd frames, independence of concurrent connections, and clean shutdown.
import assert from "node:assert/strict";
import { request } from "node:http";
import { describe, test } from "node:test";
import { AccessToken } from "livekit-server-sdk";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { LeaveRequest_Action, SignalRequestSchema, SignalResponseSchema } from "../../generated/livekit_rtc_pb.js";
import { startServer } from "../../src/server/start-server.js";
import { until } from "../support/eventually.js";
import { signToken } from "../support/tokens.js";
import { useServer } from "../support/server.js";
import { mockToken } from "./mock-token.js";
import { assertSoonAfter } from "./on-time.js";
import { rawWebSocket } from "./raw-websocket.js";
import { connect, refusal, signalPaths, signalUrl, type SignalClient } from "./signal-client.js";

const server = useServer();

async function firstCase(client: SignalClient): Promise<string | undefined> {
  return (await client.next()).message.message.case;
}

/** A raw handshake, to see exactly what the server answers. */
function handshake(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, {
      headers: {
        Connection: "Upgrade",
        Upgrade: "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        ...headers,
      },
    });
    req.on("upgrade", (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: "" });
    });
    req.on("response", (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("signal tokens", () => {
  for (const path of signalPaths) {
    test(`${path} takes the token from an Authorization Bearer header`, async () => {
      const client = await connect(server.url(), path, {
        headers: { Authorization: `Bearer ${await mockToken({ signal: "leave_first_message" })}` },
      });
      assert.equal(await firstCase(client), "leave");
      client.ws.close();
    });
  }

  test("the access_token parameter wins over the Authorization header", async () => {
    const client = await connect(server.url(), "/rtc", {
      token: await mockToken({ signal: "leave_first_message" }),
      headers: { Authorization: `Bearer ${await mockToken({ signal: "validate_500" })}` },
    });
    assert.equal(await firstCase(client), "leave");
    client.ws.close();
  });

  test("a token signed by the Node SDK with API key APItest is accepted", async () => {
    const token = new AccessToken("APItest", "secret", {
      identity: "sdk-user",
      name: "SDK User",
      attributes: { "lk.mock": JSON.stringify({ signal: "leave_when_connected", leaveAction: "RECONNECT" }) },
    });
    token.addGrant({ roomJoin: true, room: "sdk-room" });
    const client = await connect(server.url(), "/rtc/v1", { token: await token.toJwt() });
    const join = (await client.next()).message.message;
    assert.equal(join.case, "join");
    assert.equal(join.value.participant?.identity, "sdk-user");
    assert.equal(join.value.participant?.name, "SDK User");
    assert.equal(join.value.room?.name, "sdk-room");
    const leave = (await client.next()).message.message;
    assert.equal(leave.case, "leave");
    assert.equal(leave.value.action, LeaveRequest_Action.RECONNECT);
    client.ws.close();
  });

  test("the identity falls back to jti, then to mock-participant; name and room may be empty", async () => {
    const legacy = await connect(server.url(), "/rtc", { token: await signToken({ extraClaims: { jti: "legacy-id" } }) });
    const first = (await legacy.next()).message.message;
    assert.equal(first.case === "join" && first.value.participant?.identity, "legacy-id");
    legacy.ws.close();
    const anonymous = await connect(server.url(), "/rtc", { token: await signToken() });
    const join = (await anonymous.next()).message.message;
    assert.equal(join.case, "join");
    assert.deepEqual([join.value.participant?.identity, join.value.participant?.name, join.value.room?.name], ["mock-participant", "", ""]);
    anonymous.ws.close();
  });

  test("no grant is required", async () => {
    const client = await connect(server.url(), "/rtc", { token: await signToken({ identity: "nobody", video: {} }) });
    assert.equal(await firstCase(client), "join");
    client.ws.close();
  });

  for (const path of signalPaths) {
    test(`${path} refuses a missing, malformed, expired or wrongly signed token with 401 invalid token`, async () => {
      for (const token of [
        undefined,
        "a.b",
        await signToken({ expiresIn: -120 }),
        await mockToken({ signal: "happy" }, { secret: "wrong" }),
      ]) {
        const refused = await refusal(server.url(), path, token === undefined ? {} : { token });
        assert.deepEqual([refused.status, refused.body], [401, "invalid token"]);
        assert.equal(refused.headers["access-control-allow-origin"], undefined);
      }
    });

    test(`${path} refuses a wrong lk.mock attribute with 400 naming the problem`, async () => {
      const cases: [Record<string, unknown> | string, RegExp][] = [
        [{ signal: "hapy" }, /unknown signal mode "hapy" \(did you mean "happy"\?\)/],
        ["{not json", /"\{not json" is not JSON/],
        ["[]", /expected a JSON object/],
        [{ signal: "happy", leaveActoin: 1 }, /unknown key "leaveActoin" \(did you mean "leaveAction"\?\)/],
        [
          { signal: "leave_first_message", leaveAction: true },
          /leaveAction must be an int32 or one of DISCONNECT, RESUME, RECONNECT, got true/,
        ],
        [{ signal: "leave_first_message", leaveAction: 1.5 }, /got 1\.5/],
        ['{"signal":"leave_first_message","leaveAction":1.0}', /got 1\.0/],
        [{ signal: "leave_first_message", leaveAction: { a: 1 } }, /leaveAction must be/],
        [{ signal: "leave_first_message", leaveAction: "RECONECT" }, /unknown leaveAction "RECONECT" \(did you mean "RECONNECT"\?\)/],
      ];
      for (const [mock, problem] of cases) {
        const refused = await refusal(server.url(), path, { token: await mockToken(mock) });
        assert.equal(refused.status, 400, String(problem));
        assert.match(refused.body, /^invalid lk\.mock attribute: /);
        assert.match(refused.body, problem);
      }
    });
  }

  test("a null leaveAction leaves with DISCONNECT", async () => {
    const client = await connect(server.url(), "/rtc", { token: await mockToken('{"signal":"leave_first_message","leaveAction":null}') });
    const leave = (await client.next()).message.message;
    assert.equal(leave.case === "leave" && leave.value.action, LeaveRequest_Action.DISCONNECT);
    client.ws.close();
  });
});

describe("the signal handshake", () => {
  test("the join carries the region of the listener that was dialled", async () => {
    for (const region of [1, 3]) {
      const client = await connect(server.url(region), "/rtc", { token: await mockToken() });
      const join = (await client.next()).message.message;
      assert.equal(join.case, "join");
      assert.equal(join.value.serverRegion, `region-${region}`);
      assert.equal(join.value.serverInfo?.region, `region-${region}`);
      client.ws.close();
    }
  });

  test("X-Lk-Mock headers are ignored on the WebSocket paths", async () => {
    const client = await connect(server.url(0), "/rtc", {
      token: await mockToken(),
      headers: { "X-Lk-Mock": JSON.stringify({ failRegions: [0], failMode: "drop" }), "X-Lk-Mock-Delay-Ms": "5000" },
    });
    assert.equal(await firstCase(client), "join");
    client.ws.close();
  });

  test("permessage-deflate is accepted with no context takeover either way", async () => {
    const reply = await handshake(signalUrl(server.url(), "/rtc", { token: await mockToken() }).replace(/^ws/, "http"), {
      "Sec-WebSocket-Extensions": "permessage-deflate; client_max_window_bits",
    });
    assert.equal(reply.status, 101);
    assert.equal(reply.headers["sec-websocket-extensions"], "permessage-deflate; server_no_context_takeover; client_no_context_takeover");
  });

  test("a client that does not offer compression is served uncompressed", async () => {
    const client = await connect(server.url(), "/rtc", { token: await mockToken(), perMessageDeflate: false });
    assert.equal(client.ws.extensions, "");
    assert.equal(await firstCase(client), "join");
    client.ws.close();
  });

  test("any Origin is accepted and no subprotocol is selected", async () => {
    const reply = await handshake(signalUrl(server.url(), "/rtc/v1", { token: await mockToken() }).replace(/^ws/, "http"), {
      Origin: "https://elsewhere.example",
      "Sec-WebSocket-Protocol": "livekit",
    });
    assert.equal(reply.status, 101);
    assert.equal(reply.headers["sec-websocket-protocol"], undefined);
  });

  test("a malformed handshake with a good token is refused as gorilla refuses it", async () => {
    const url = signalUrl(server.url(), "/rtc", { token: await mockToken() }).replace(/^ws/, "http");
    for (const headers of [{ "Sec-WebSocket-Key": "short" }, { "Sec-WebSocket-Version": "8" }]) {
      const reply = await handshake(url, headers);
      assert.deepEqual(
        [reply.status, reply.body, reply.headers["x-content-type-options"], reply.headers["sec-websocket-version"]],
        [400, "Bad Request\n", "nosniff", "13"],
        JSON.stringify(headers),
      );
    }
  });

  test("a bad token is refused before the handshake is checked", async () => {
    const reply = await handshake(signalUrl(server.url(), "/rtc", { token: "bad" }).replace(/^ws/, "http"), {
      "Sec-WebSocket-Version": "8",
    });
    assert.deepEqual([reply.status, reply.body], [401, "invalid token"]);
  });

  test("an upgrade request to another path is answered as the plain request", async () => {
    const url = new URL("/rtc/validate", server.url());
    url.searchParams.set("access_token", await mockToken({ signal: "room_not_found" }));
    const reply = await handshake(url.toString(), {});
    assert.deepEqual([reply.status, reply.body, reply.headers["access-control-allow-origin"]], [404, "requested room does not exist", "*"]);
  });
});

describe("the read loop", () => {
  test("ping_req is answered with pong_resp echoing the timestamp, with the server time in ms", async () => {
    const client = await connect(server.url(), "/rtc", { token: await mockToken() });
    await client.next();
    client.send({ case: "pingReq", value: { timestamp: 1234567n, rtt: 20n } });
    const pong = (await client.next()).message.message;
    assert.equal(pong.case, "pongResp");
    assert.equal(pong.value.lastPingTimestamp, 1234567n);
    assert.ok(Math.abs(Number(pong.value.timestamp) - Date.now()) < 5_000);
    client.ws.close();
  });

  test("update_metadata is acknowledged with the same request id and reason OK", async () => {
    const client = await connect(server.url(), "/rtc", { token: await mockToken() });
    await client.next();
    client.send({ case: "updateMetadata", value: { requestId: 77, name: "new" } });
    const ack = (await client.next()).message.message;
    assert.equal(ack.case, "requestResponse");
    assert.deepEqual([ack.value.requestId, ack.value.reason, ack.value.message], [77, 0, ""]);
    client.ws.close();
  });

  test("text frames, undecodable frames and other requests are ignored, and no SDP answer is sent", async () => {
    const client = await connect(server.url(), "/rtc/v1", { token: await mockToken() });
    await client.next();
    client.ws.send("hello");
    client.ws.send(Buffer.from([0xff, 0xff, 0xff]));
    client.send({ case: "offer", value: { type: "offer", sdp: "v=0" } });
    client.send({ case: "trickle", value: { candidateInit: "{}" } });
    await client.silence(200);
    client.send({ case: "ping", value: 9n });
    assert.equal(await firstCase(client), "pong");
    client.ws.close();
  });

  test("the client's WebSocket pings are answered", async () => {
    const client = await connect(server.url(), "/rtc", { token: await mockToken({ signal: "no_pong" }) });
    const pong = new Promise<Buffer>((resolve) => client.ws.once("pong", resolve));
    client.ws.ping("are-you-there");
    assert.equal((await pong).toString(), "are-you-there");
    client.ws.close();
  });

  test("a client leave gets close 1000 and TCP closed without waiting for the client's close", async () => {
    const raw = await rawWebSocket(signalUrl(server.url(), "/rtc", { token: await mockToken() }).replace(/^ws/, "http"));
    const sentAt = performance.now();
    raw.send(2, toBinary(SignalRequestSchema, create(SignalRequestSchema, { message: { case: "leave", value: {} } })));
    const { frames, at } = await raw.ended;
    assertSoonAfter(sentAt, at, "TCP closed after the leave");
    assert.deepEqual(
      frames.map((f) => f.opcode),
      [2, 8],
    );
    assert.equal(fromBinary(SignalResponseSchema, frames[0]!.payload).message.case, "join");
    assert.deepEqual([...frames[1]!.payload], [0x03, 0xe8]);
  });

  test("close_when_connected and close_before_join close TCP right after their close frame", async () => {
    for (const [signal, frames] of [
      ["close_when_connected", [2, 8]],
      ["close_before_join", [8]],
    ] as const) {
      const raw = await rawWebSocket(signalUrl(server.url(), "/rtc", { token: await mockToken({ signal }) }).replace(/^ws/, "http"));
      const ended = await raw.ended;
      assertSoonAfter(ended.frames.at(-1)!.at, ended.at, `${signal}: TCP closed after the close frame`);
      assert.deepEqual(
        ended.frames.map((f) => f.opcode),
        frames,
        signal,
      );
      assert.equal(ended.frames.at(-1)!.payload.readUInt16BE(0), 1011);
    }
  });

  test("a client close frame without a status is echoed without a status", async () => {
    const raw = await rawWebSocket(signalUrl(server.url(), "/rtc/v1", { token: await mockToken() }).replace(/^ws/, "http"));
    const sentAt = performance.now();
    raw.send(8, new Uint8Array());
    const { frames, at } = await raw.ended;
    assertSoonAfter(sentAt, at, "TCP closed after the close");
    assert.deepEqual(
      frames.map((f) => [f.opcode, f.payload.length]),
      [
        [2, frames[0]!.payload.length],
        [8, 0],
      ],
    );
  });
});

describe("concurrent connections", () => {
  test("behave each according to their own token", async () => {
    const modes = [
      { signal: "happy" },
      { signal: "leave_first_message", leaveAction: "RESUME" },
      { signal: "close_before_join" },
      { signal: "close_when_connected" },
      { signal: "drop_when_connected" },
      { signal: "leave_when_connected", leaveAction: 2 },
      { signal: "no_pong" },
      { signal: "validate_500" },
    ];
    const runs = modes.flatMap((mock, i) =>
      [0, 1, 2].map(async (copy) => {
        const path = signalPaths[(i + copy) % 2]!;
        const token = await mockToken(mock, { identity: `user-${i}-${copy}` });
        if (mock.signal === "validate_500") {
          assert.equal((await refusal(server.url(copy), path, { token })).status, 500);
          return;
        }
        const client = await connect(server.url(copy), path, { token });
        switch (mock.signal) {
          case "happy":
          case "no_pong": {
            const join = (await client.next()).message.message;
            assert.equal(join.case === "join" && join.value.participant?.identity, `user-${i}-${copy}`);
            assert.equal(join.case === "join" && join.value.serverRegion, `region-${copy}`);
            client.send({ case: "ping", value: 1n });
            if (mock.signal === "happy") assert.equal(await firstCase(client), "pong");
            else await client.silence(250);
            client.send({ case: "leave", value: {} });
            assert.equal((await client.closed).code, 1000);
            break;
          }
          case "leave_first_message": {
            const leave = (await client.next()).message.message;
            assert.equal(leave.case === "leave" && leave.value.action, LeaveRequest_Action.RESUME);
            client.ws.close(1000);
            assert.equal((await client.closed).code, 1000);
            break;
          }
          case "close_before_join":
            assert.equal((await client.closed).code, 1011);
            break;
          case "close_when_connected":
            assert.equal(await firstCase(client), "join");
            assert.equal((await client.closed).reason, "mock close_when_connected");
            break;
          case "drop_when_connected":
            assert.equal(await firstCase(client), "join");
            assert.equal((await client.closed).code, 1006);
            break;
          case "leave_when_connected": {
            assert.equal(await firstCase(client), "join");
            const leave = (await client.next()).message.message;
            assert.equal(leave.case === "leave" && leave.value.action, LeaveRequest_Action.RECONNECT);
            client.ws.close();
            break;
          }
        }
      }),
    );
    await Promise.all(runs);
  });
});

describe("shutdown", () => {
  test("closing the server ends every session and leaves no timer behind", async () => {
    const own = await startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent" });
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timeouts();
    const modes = ["close_before_join", "close_when_connected", "drop_when_connected", "leave_when_connected", "happy", "no_first_message"];
    const clients = await Promise.all(modes.map(async (signal) => connect(own.url(), "/rtc", { token: await mockToken({ signal }) })));
    await own.close();
    const closed = await Promise.all(clients.map((c) => c.closed));
    for (const [i, c] of closed.entries()) {
      // close_before_join closes by itself 50 ms after the upgrade, which a loaded machine may reach first.
      if (modes[i] === "close_before_join" && c.code === 1011) continue;
      assert.equal(c.code, 1006, modes[i]);
    }
    await until(() => timeouts() <= before, `no more timers than the ${before} before`);
  });

  test("sessions that end in any way leave no timer behind", async () => {
    const own = await startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent" });
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timeouts();
    const open = async (signal: string): Promise<SignalClient> => {
      const client = await connect(own.url(), "/rtc", { token: await mockToken({ signal }) });
      await client.next();
      return client;
    };
    const ends = [
      open("happy").then((c) => (c.send({ case: "leave", value: {} }), c.closed)),
      open("happy").then((c) => (c.ws.close(1000), c.closed)),
      open("drop_on_close").then((c) => (c.ws.close(1000), c.closed)),
      open("close_when_connected").then((c) => c.closed),
      open("leave_when_connected").then((c) => (c.ws.terminate(), c.closed)),
      open("close_when_connected").then((c) => (c.ws.terminate(), c.closed)),
      open("leave_first_message").then((c) => (c.ws.terminate(), c.closed)),
    ];
    await Promise.all(ends);
    // Sessions that were waiting without reading notice a vanished client when their wait ends; a
    // timer left behind would outlive this wait.
    await until(() => timeouts() <= before, `no more timers than the ${before} before`);
    await own.close();
  });
});
