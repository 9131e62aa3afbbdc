// Scripts over a raw WebSocket: each step's message arrives in order and at its time after the
// join (on-time.ts says how a time is judged on a busy machine). Order is exact.
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describe, test } from "node:test";
import { create, fromBinary, toBinary } from "@bufbuild/protobuf";
import { DisconnectReason } from "../../generated/livekit_models_pb.js";
import { LeaveRequest_Action, SignalRequestSchema, SignalResponseSchema, type SignalResponse } from "../../generated/livekit_rtc_pb.js";
import { until } from "../support/eventually.js";
import { useServer } from "../support/server.js";
import { mockToken } from "./mock-token.js";
import { assertOnTime, assertSoonAfter } from "./on-time.js";
import { framePayload, rawWebSocket, type Frame, type RawWebSocket } from "./raw-websocket.js";
import { connect, signalUrl } from "./signal-client.js";

const server = useServer();

interface Opened {
  readonly ws: RawWebSocket;
  readonly startedAt: number;
  readonly openedAt: number;
}

async function open(mock: Record<string, unknown>, query: Record<string, string> = {}, path = "/rtc"): Promise<Opened> {
  const url = signalUrl(server.url(), path, { token: await mockToken(mock), query }).replace(/^ws/, "http");
  const startedAt = performance.now();
  const ws = await rawWebSocket(url);
  return { ws, startedAt, openedAt: performance.now() };
}

const decode = (frame: Frame): SignalResponse => fromBinary(SignalResponseSchema, framePayload(frame));
const kinds = (frames: readonly Frame[]): (string | number | undefined)[] =>
  frames.map((f) =>
    f.opcode === 2
      ? decode(f).message.case
      : f.opcode === 8
        ? `close ${f.payload.length >= 2 ? f.payload.readUInt16BE(0) : "-"}`
        : f.opcode,
  );

/** Waits until `count` frames have arrived or TCP ended. */
async function frames(ws: RawWebSocket, count: number, timeoutMs = 30_000): Promise<readonly Frame[]> {
  let ended = false;
  void ws.ended.then(() => (ended = true));
  const deadline = performance.now() + timeoutMs;
  while (ws.frames.length < count && !ended && performance.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  return ws.frames;
}

function sendRequest(ws: RawWebSocket, message: Parameters<typeof create<typeof SignalRequestSchema>>[1]): void {
  ws.send(2, toBinary(SignalRequestSchema, create(SignalRequestSchema, message)));
}

describe("a script", { concurrency: 6 }, () => {
  test("sends each step's message in order, at its time after the join", async () => {
    const opened = await open({
      script: [
        { afterMs: 100, send: { roomUpdate: { room: { name: "my-room", metadata: "round 2", numParticipants: 3 } } } },
        { afterMs: 200, send: { update: { participants: [{ sid: "PA_BOB", identity: "bob", state: "ACTIVE" }] } } },
        { afterMs: 300, send: { refreshToken: "new-token" } },
        {
          afterMs: 500,
          send: {
            leave: {
              reason: "MIGRATION",
              action: "RECONNECT",
              canReconnect: true,
              regions: { regions: [{ region: "region-1", url: "http://x" }] },
            },
          },
        },
      ],
    });
    const received = await frames(opened.ws, 5);
    assert.deepEqual(kinds(received), ["join", "roomUpdate", "update", "refreshToken", "leave"]);
    [100, 200, 300, 500].forEach((ms, i) => assertOnTime(opened, received[i + 1]!.at, ms, kinds(received)[i + 1] as string));
    const [, room, update, refresh, leave] = received.map(decode);
    assert.equal(room!.message.case === "roomUpdate" && room!.message.value.room?.metadata, "round 2");
    assert.equal(update!.message.case === "update" && update!.message.value.participants[0]?.identity, "bob");
    assert.equal(refresh!.message.case === "refreshToken" && refresh!.message.value, "new-token");
    assert.ok(leave!.message.case === "leave");
    assert.deepEqual(
      [
        leave.message.value.reason,
        leave.message.value.action,
        leave.message.value.canReconnect,
        leave.message.value.regions?.regions[0]?.region,
      ],
      [DisconnectReason.MIGRATION, LeaveRequest_Action.RECONNECT, true, "region-1"],
    );
    opened.ws.close();
  });

  test("keeps the listed order among steps at the same time, and a step at 0 comes right after the join", async () => {
    const opened = await open({
      script: [
        { afterMs: 0, send: { refreshToken: "first" } },
        { afterMs: 150, send: { refreshToken: "second" } },
        { afterMs: 150, send: { refreshToken: "third" } },
      ],
    });
    const received = await frames(opened.ws, 4);
    assert.deepEqual(
      received.map((f) => {
        const m = decode(f).message;
        return m.case === "refreshToken" ? m.value : m.case;
      }),
      ["join", "first", "second", "third"],
    );
    assertOnTime(opened, received[1]!.at, 0, "first");
    assertOnTime(opened, received[2]!.at, 150, "second");
    opened.ws.close();
  });

  test("answers the client while it plays: a ping between two steps gets its pong between them", async () => {
    const opened = await open({
      script: [
        { afterMs: 50, send: { refreshToken: "a" } },
        { afterMs: 400, send: { refreshToken: "b" } },
      ],
    });
    await frames(opened.ws, 2);
    sendRequest(opened.ws, { message: { case: "ping", value: 1n } });
    assert.deepEqual(kinds(await frames(opened.ws, 4)), ["join", "refreshToken", "pong", "refreshToken"]);
    opened.ws.close();
  });

  test("a close step sends its code and reason, then closes TCP at once; nothing follows", async () => {
    const opened = await open({
      script: [
        { afterMs: 100, send: { refreshToken: "t" } },
        { afterMs: 200, close: { code: 4000, reason: "scripted" } },
      ],
    });
    const { frames: all, at } = await opened.ws.ended;
    assert.deepEqual(kinds(all), ["join", "refreshToken", "close 4000"]);
    assert.equal(all[2]!.payload.subarray(2).toString(), "scripted");
    assertOnTime(opened, all[2]!.at, 200, "close");
    assertSoonAfter(all[2]!.at, at, "TCP closed after the close frame");
  });

  test("a close step without a code sends a close frame without a status", async () => {
    const opened = await open({ script: [{ afterMs: 50, close: {} }] });
    const { frames: all } = await opened.ws.ended;
    assert.deepEqual(
      all.map((f) => [f.opcode, f.opcode === 8 ? f.payload.length : "-"]),
      [
        [2, "-"],
        [8, 0],
      ],
    );
  });

  test("a drop step closes TCP without a close frame at its time", async () => {
    const opened = await open({ script: [{ afterMs: 150, drop: true }] });
    const { frames: all, at } = await opened.ws.ended;
    assert.deepEqual(kinds(all), ["join"]);
    assertOnTime(opened, at, 150, "drop");
  });

  test("a drop right after a join still being compressed comes after it, as the original writes each frame first", async () => {
    // Half a megabyte of metadata takes permessage-deflate a while; the drop is due at once.
    const metadata = randomBytes(300_000).toString("base64");
    const client = await connect(server.url(), "/rtc", {
      token: await mockToken({ join: { room: { metadata } }, script: [{ afterMs: 0, drop: true }] }),
    });
    const join = (await client.next()).message.message;
    assert.equal(join.case === "join" && join.value.room?.metadata, metadata);
    assert.equal((await client.closed).code, 1006);
  });

  test("with joinDelayMs the script's times count from the delayed join", async () => {
    const opened = await open({ joinDelayMs: 200, script: [{ afterMs: 100, send: { refreshToken: "t" } }] });
    const received = await frames(opened.ws, 2);
    assert.deepEqual(kinds(received), ["join", "refreshToken"]);
    assertOnTime(opened, received[0]!.at, 200, "join");
    assertOnTime(opened, received[1]!.at, 300, "step");
    opened.ws.close();
  });

  test("on a reconnect the script plays after the reconnect response", async () => {
    const opened = await open({ script: [{ afterMs: 100, send: { refreshToken: "t" } }] }, { reconnect: "1" });
    const received = await frames(opened.ws, 2);
    assert.deepEqual(kinds(received), ["reconnect", "refreshToken"]);
    assertOnTime(opened, received[1]!.at, 100, "step");
    opened.ws.close();
  });

  test("in leave_when_connected the mode's leave keeps its 200 ms and comes first among equal times", async () => {
    const opened = await open({
      signal: "leave_when_connected",
      leaveAction: "RESUME",
      script: [
        { afterMs: 100, send: { refreshToken: "100" } },
        { afterMs: 200, send: { refreshToken: "200" } },
        { afterMs: 300, send: { refreshToken: "300" } },
      ],
    });
    const received = await frames(opened.ws, 5);
    assert.deepEqual(
      received.map((f) => {
        const m = decode(f).message;
        return m.case === "refreshToken" ? m.value : m.case;
      }),
      ["join", "100", "leave", "200", "300"],
    );
    assertOnTime(opened, received[2]!.at, 200, "mode's leave");
    // The read loop starts with the leave, as in the mode without a script.
    sendRequest(opened.ws, { message: { case: "ping", value: 1n } });
    assert.equal(kinds(await frames(opened.ws, 6))[5], "pong");
    opened.ws.close();
  });

  test("in drop_on_close the script plays and a client close is still answered by a drop", async () => {
    const opened = await open({ signal: "drop_on_close", script: [{ afterMs: 50, send: { refreshToken: "t" } }] });
    assert.deepEqual(kinds(await frames(opened.ws, 2)), ["join", "refreshToken"]);
    opened.ws.send(8, Buffer.of(0x03, 0xe8));
    const { frames: all } = await opened.ws.ended;
    assert.deepEqual(kinds(all), ["join", "refreshToken"], "no close frame came back");
  });

  test("in no_pong the script plays and pings stay unanswered", async () => {
    const opened = await open({ signal: "no_pong", script: [{ afterMs: 200, send: { refreshToken: "t" } }] });
    await frames(opened.ws, 1);
    sendRequest(opened.ws, { message: { case: "ping", value: 1n } });
    assert.deepEqual(kinds(await frames(opened.ws, 2)), ["join", "refreshToken"]);
    opened.ws.close();
  });

  test("leave_during_reconnect plays the script after a join, and not after its reconnect leave", async () => {
    const mock = { signal: "leave_during_reconnect", script: [{ afterMs: 50, send: { refreshToken: "t" } }] };
    const joined = await open(mock);
    assert.deepEqual(kinds(await frames(joined.ws, 2)), ["join", "refreshToken"]);
    joined.ws.close();
    const reconnected = await open(mock, { reconnect: "1" });
    await frames(reconnected.ws, 1);
    // Nothing follows the leave: no step of the script plays on a reconnect of this mode.
    await new Promise((r) => setTimeout(r, 250));
    assert.deepEqual(kinds(reconnected.ws.frames), ["leave"]);
    reconnected.ws.close();
  });

  test("stops when the client goes away", async () => {
    const opened = await open({
      script: [
        { afterMs: 100, send: { refreshToken: "t" } },
        { afterMs: 200, send: { refreshToken: "u" } },
      ],
    });
    await frames(opened.ws, 1);
    sendRequest(opened.ws, { message: { case: "leave", value: {} } });
    const { frames: all } = await opened.ws.ended;
    assert.deepEqual(kinds(all), ["join", "close 1000"]);
  });
});

// Alone, so that no other test's timers are counted.
describe("script timers", () => {
  test("a script whose connection ends, in any way, leaves no timer behind", async () => {
    const timeouts = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timeouts();
    const long = {
      script: [
        { afterMs: 100, send: { refreshToken: "t" } },
        { afterMs: 60_000, send: { refreshToken: "u" } },
      ],
    };
    const ends = [
      open(long).then(async (o) => (await frames(o.ws, 2), o.ws.close(), o.ws.ended)),
      open({ joinDelayMs: 60_000, ...long }).then((o) => (o.ws.close(), o.ws.ended)),
      open({ signal: "leave_when_connected", ...long }).then((o) => (o.ws.close(), o.ws.ended)),
      open({ script: [{ afterMs: 50, drop: true }] }).then((o) => o.ws.ended),
    ];
    await Promise.all(ends);
    // The server cleans up when it sees each connection end, a moment after the client does; a
    // timer left behind would outlive this wait by far (its step is a minute away).
    await until(() => timeouts() <= before, `no more timers than the ${before} before`);
  });
});
