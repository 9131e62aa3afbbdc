// Request targets as the original reads them (docs/spec/http.md#routing): paths are routed once
// percent-decoded.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { answersIn, rawExchange } from "../support/raw-http.js";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";
import { get, twirp } from "../support/twirp.js";

describe("request targets", () => {
  const t = useServer({ ports: [0] });
  const port = (): number => t.server.regions[0]!.port;

  test("a percent-encoded Twirp path is routed as the decoded one", async () => {
    const reply = await twirp(t.url(), "livekit.Room%53ervice/CreateRoom", { name: "encoded" });
    assert.equal(reply.status, 200);
    assert.equal(reply.json().name, "encoded");
    const slash = await twirp(t.url(), "livekit.RoomService%2FCreateRoom", { name: "slash" });
    assert.equal(slash.json().name, "slash");
  });

  test("/rtc/valid%61te validates as /rtc/validate does", async () => {
    const token = await signToken({ identity: "u", video: { roomJoin: true, room: "r" } });
    const reply = await get(t.url(), `/rtc/valid%61te?access_token=${token}`);
    assert.deepEqual([reply.status, reply.text], [200, "success"]);
  });

  test("/settings%2Fregions and /settings%2fregions answer as /settings/regions does", async () => {
    for (const path of ["/settings%2Fregions", "/settings%2fregions"]) {
      const reply = await get(t.url(), path);
      assert.equal(reply.status, 200, path);
      assert.match(reply.text, /^\{"regions":\[\{"region":"region-0"/);
    }
  });

  test("a path with a broken percent escape is refused with 400 and the connection closes", async () => {
    for (const target of ["/a%zz", "/settings/regions%", "/settings/regions%4"]) {
      const reply = await rawExchange(port(), `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(reply.text, /^HTTP\/1\.1 400 /, target);
      assert.equal(reply.ending, "end", target);
    }
  });

  test("another method with the target * is not found", async () => {
    const [answer] = answersIn((await rawExchange(port(), "GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).text);
    assert.equal(answer?.status, 404);
  });
});
