// The fault menu (`failMode`), seen from a raw socket: each fault is exactly what its name says,
// on a failing region only, and the server keeps serving afterwards.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { failModes, type MockControl } from "../../src/control/control-fields.js";
import { rawExchange, rawTwirp } from "../support/raw-http.js";
import { useServer } from "../support/server.js";
import { twirp } from "../support/twirp.js";

const listRooms = "livekit.RoomService/ListRooms";
const failing = (failMode: (typeof failModes)[number], extra: MockControl = {}): MockControl => ({
  skipAuth: true,
  failRegions: [0],
  failMode,
  ...extra,
});

function headOf(text: string): string {
  return text.slice(0, text.indexOf("\r\n\r\n"));
}

function announcedLength(text: string): number {
  return Number(/\r\nContent-Length: (\d+)\r\n/i.exec(headOf(text))![1]);
}

describe("failMode", () => {
  const t = useServer();
  const port = (region = 0): number => t.server.regions[region]!.port;

  test("reset: the connection is reset without a byte", async () => {
    const answer = await rawExchange(port(), rawTwirp(listRooms, failing("reset")));
    assert.equal(answer.ending, "reset");
    assert.equal(answer.bytes.length, 0);
  });

  test("hang: the request is accepted and never answered while the client waits", async () => {
    const answer = await rawExchange(port(), rawTwirp(listRooms, failing("hang")), 1500);
    assert.equal(answer.ending, "open");
    assert.equal(answer.bytes.length, 0);
  });

  test("close-after-headers: a status line and headers announcing a body that never comes", async () => {
    const answer = await rawExchange(port(), rawTwirp(listRooms, failing("close-after-headers")));
    assert.equal(answer.ending, "end");
    assert.match(answer.text, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
    assert.ok(announcedLength(answer.text) > 0);
    assert.equal(answer.text.length, headOf(answer.text).length + 4, "nothing after the headers");
  });

  test("truncated-body: fewer body bytes than announced, then the connection ends", async () => {
    const answer = await rawExchange(port(), rawTwirp(listRooms, failing("truncated-body", { failStatus: 500 })));
    assert.equal(answer.ending, "end");
    assert.match(answer.text, /^HTTP\/1\.1 500 Internal Server Error\r\n/);
    const body = answer.text.slice(headOf(answer.text).length + 4);
    assert.ok(body.length > 0 && body.length < announcedLength(answer.text), `${body.length} of ${announcedLength(answer.text)}`);
    assert.ok('{"code":"unavailable","msg":"mock failure (status 500)"}'.startsWith(body));
  });

  test("garbage: bytes that are not HTTP, then the connection ends", async () => {
    const answer = await rawExchange(port(), rawTwirp(listRooms, failing("garbage")));
    assert.equal(answer.ending, "end");
    assert.ok(answer.bytes.length > 0);
    assert.doesNotMatch(answer.text, /^HTTP\//);
  });

  test("intermediary: an HTML page with the chosen gateway status, as a load balancer answers", async () => {
    for (const [failStatus, line] of [
      [undefined, "502 Bad Gateway"],
      [503, "503 Service Unavailable"],
      [504, "504 Gateway Timeout"],
    ] as const) {
      const reply = await twirp(
        t.url(0),
        listRooms,
        {},
        { control: failing("intermediary", failStatus === undefined ? {} : { failStatus }) },
      );
      assert.equal(`${reply.status} ${line.slice(4)}`, line);
      assert.equal(reply.contentType, "text/html");
      assert.match(reply.text, /^<html>\r\n<head><title>50\d /);
      assert.equal(reply.region, null, "an intermediary does not add the mock's region header");
    }
  });

  test("intermediary with another failStatus is refused, naming both fields", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { control: failing("intermediary", { failStatus: 500 }) });
    assert.equal(reply.status, 400);
    assert.match(reply.json().msg, /failMode intermediary answers 502, 503 or 504, but failStatus is 500/);
  });

  test("slow-body: the correct answer, its body dribbled at slowBytesPerSec", async () => {
    const answer = await rawExchange(port(), rawTwirp(listRooms, failing("slow-body", { slowBytesPerSec: 10 })));
    assert.equal(answer.ending, "end");
    assert.match(answer.text, /^HTTP\/1\.1 200 OK\r\n/);
    const body = answer.text.slice(headOf(answer.text).length + 4);
    assert.equal(body, '{"rooms":[{"sid":"MOCK_SID"}]}');
    // 30 bytes at 10 bytes/s: the head at once, the body over about three seconds. Pacing is never
    // early, and the head comes seconds before the end however busy the machine.
    assert.ok(answer.ms > 2500, `done after ${answer.ms} ms`);
    assert.ok(answer.firstByteMs! < answer.ms - 2000, `first byte after ${answer.firstByteMs} ms, done after ${answer.ms} ms`);
  });

  test("drop, as before: the socket closes without a byte", async () => {
    const answer = await rawExchange(port(), rawTwirp(listRooms, failing("drop")));
    assert.equal(answer.bytes.length, 0);
    assert.notEqual(answer.ending, "open");
  });

  test("a fault is confined to the failing region, and every region keeps serving", async () => {
    const other = await rawExchange(
      port(1),
      rawTwirp(listRooms, failing("reset")).replace("HTTP/1.1\r\n", "HTTP/1.1\r\nConnection: close\r\n"),
    );
    assert.match(other.text, /^HTTP\/1\.1 200 OK/);
    for (const region of [0, 1, 2, 3])
      assert.equal((await twirp(t.url(region), listRooms, {}, { control: { skipAuth: true } })).status, 200);
  });

  test("the legacy header chooses a fault too", async () => {
    const request = `POST /twirp/${listRooms} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-Lk-Mock-Skip-Auth: true\r\nX-Lk-Mock-Fail-Regions: 0\r\nX-Lk-Mock-Fail-Mode: reset\r\nContent-Length: 2\r\n\r\n{}`;
    assert.equal((await rawExchange(port(), request)).ending, "reset");
  });
});
