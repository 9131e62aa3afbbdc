// The typed helper builds X-Lk-Mock values that the server accepts, and refuses the ones it
// would refuse, at the place the test is written.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  ConfigError,
  mockHeader,
  mockHeaders,
  MockControlError,
  SignalMockError,
  signalMockAttributes,
  signalMockValue,
  startServer,
} from "../../src/index.js";

describe("mockHeader", () => {
  test("serializes a typed control object to the header's JSON", () => {
    assert.equal(mockHeader({ failRegions: [0, 1], failMode: "drop" }), '{"failRegions":[0,1],"failMode":"drop"}');
    assert.deepEqual(mockHeaders({ skipAuth: true }), { "X-Lk-Mock": '{"skipAuth":true}' });
  });

  test("throws a MockControlError naming the field for a value the server would refuse", () => {
    assert.throws(
      () => mockHeader({ failStatus: 700 }),
      (err: unknown) => err instanceof MockControlError && /failStatus/.test(err.message),
    );
    // A key outside the type only gets past the compiler with a cast, and still fails here.
    assert.throws(() => mockHeader({ failRegion: [0] } as never), /did you mean "failRegions"/);
  });
});

describe("startServer for embedding", () => {
  test("refuses settings the command line would refuse, naming them", async () => {
    await assert.rejects(
      startServer({ ports: [70000], logLevel: "silent" }),
      (err: unknown) => err instanceof ConfigError && /--ports/.test(err.message),
    );
    await assert.rejects(startServer({ ports: [0], twirpPrefix: "twirp", logLevel: "silent" }), ConfigError);
  });

  test("starts on free ports, serves with the helper's header, and stops", async () => {
    const server = await startServer({ ports: [0, 0], bind: "127.0.0.1", logLevel: "silent" });
    try {
      assert.equal(server.regions.length, 2);
      assert.notEqual(server.regions[0]!.port, 0);
      const response = await fetch(`${server.url(1)}/twirp/livekit.RoomService/ListRooms`, {
        method: "POST",
        headers: { "Content-Type": "application/json", ...mockHeaders({ skipAuth: true, failRegions: [0] }) },
        body: "{}",
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get("x-lk-mock-region"), "1");
    } finally {
      await server.close();
    }
    await assert.rejects(fetch(`${server.url(0)}/_test/health`));
  });
});

describe("signalMockAttributes", () => {
  test("builds the lk.mock token attribute for a mode and leave action", () => {
    assert.deepEqual(signalMockAttributes({ signal: "leave_when_connected", leaveAction: "RECONNECT" }), {
      "lk.mock": '{"signal":"leave_when_connected","leaveAction":"RECONNECT"}',
    });
    assert.equal(signalMockValue({ signal: "no_pong" }), '{"signal":"no_pong"}');
  });

  test("throws a SignalMockError naming the closest mode for a misspelt one", () => {
    assert.throws(
      () => signalMockValue({ signal: "hapy" as never }),
      (err: unknown) => err instanceof SignalMockError && /did you mean "happy"/.test(err.message),
    );
  });

  test("a token carrying the attribute selects that mode on the signal endpoint", async () => {
    const { signToken } = await import("../support/tokens.js");
    const server = await startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent" });
    try {
      const token = await signToken({ identity: "alice", attributes: signalMockAttributes({ signal: "room_not_found" }) });
      const response = await fetch(`${server.url(0)}/rtc/validate?access_token=${token}`);
      assert.equal(response.status, 404);
      assert.equal(await response.text(), "requested room does not exist");
    } finally {
      await server.close();
    }
  });
});
