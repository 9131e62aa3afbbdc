// Request targets and versions as the original reads them (docs/spec/http.md#request-line and
// #routing): paths are routed once percent-decoded, absolute-form targets and `OPTIONS *` are
// served, HTTP/1.x versions past 1.1 are served as 1.1, and HTTP/1.0 ignores Transfer-Encoding.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { answersIn, rawExchange, rawTwirp } from "../support/raw-http.js";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";
import { get, twirp } from "../support/twirp.js";

const regions = "GET /settings/regions HTTP/1.1\r\nHost: x\r\n\r\n";

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

  test("an absolute-form target is routed by its path", async () => {
    for (const target of ["http://h/settings/regions", "HTTPS://u:p@h:80/settings/regions", "http://[::1]/settings/regions"]) {
      const [answer] = answersIn((await rawExchange(port(), `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)).text);
      assert.equal(answer?.status, 200, target);
      assert.match(answer.body, /^\{"regions":/, target);
    }
  });

  test("an absolute-form target with a bad authority is refused with 400", async () => {
    for (const target of ["http://h:x/settings/regions", "http://h{}/settings/regions", "http://h:1:2/", "http://h%41/"]) {
      const reply = await rawExchange(port(), `GET ${target} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.match(reply.text, /^HTTP\/1\.1 400 /, target);
    }
  });

  test("OPTIONS * is answered 200 with an empty body, and the connection serves the next request", async () => {
    const reply = await rawExchange(port(), `OPTIONS * HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc${regions}`, 1000);
    const [options, next] = answersIn(reply.text);
    assert.equal(options?.status, 200);
    assert.equal(options.body, "");
    assert.match(options.head, /\r\nContent-Length: 0(\r\n|$)/);
    assert.doesNotMatch(options.head, /Content-Type/);
    assert.equal(next?.status, 200);
  });

  test("another method with the target * is not found", async () => {
    const [answer] = answersIn((await rawExchange(port(), "GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")).text);
    assert.equal(answer?.status, 404);
  });
});

describe("protocol versions", () => {
  const t = useServer({ ports: [0] });
  const port = (): number => t.server.regions[0]!.port;

  test("HTTP/1.2 is served as HTTP/1.1, kept alive", async () => {
    const twice = regions.replace("HTTP/1.1", "HTTP/1.2");
    const reply = await rawExchange(port(), twice + twice, 1000);
    assert.deepEqual(
      answersIn(reply.text).map((a) => a.status),
      [200, 200],
    );
    assert.equal(reply.ending, "open");
  });

  test("HTTP/1.9 without Host is refused as HTTP/1.1 would be", async () => {
    const reply = await rawExchange(port(), "GET /settings/regions HTTP/1.9\r\n\r\n");
    assert.match(reply.text, /^HTTP\/1\.1 400 [^]*missing required Host header/);
  });

  test("HTTP/2.0 and HTTP/0.9 are refused with 505", async () => {
    for (const version of ["HTTP/2.0", "HTTP/0.9"]) {
      const reply = await rawExchange(port(), `GET / ${version}\r\nHost: x\r\n\r\n`);
      assert.match(reply.text, /^HTTP\/1\.1 505 /, version);
    }
  });

  test("HTTP/1.0 ignores Transfer-Encoding and reads Content-Length", async () => {
    const body = '{"name":"ten"}';
    const base = rawTwirp("livekit.RoomService/CreateRoom", { skipAuth: true }, body).replace(" HTTP/1.1\r\n", " HTTP/1.0\r\n");
    for (const encoding of ["chunked", "gzip"]) {
      const request = base.replace("Content-Length:", `Transfer-Encoding: ${encoding}\r\nContent-Length:`);
      const [answer] = answersIn((await rawExchange(port(), request)).text);
      assert.equal(answer?.status, 200, encoding);
      assert.equal((JSON.parse(answer.body) as { name: string }).name, "ten", encoding);
    }
  });
});
