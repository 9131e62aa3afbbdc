// Which path answers what (docs/spec/self-description.md#routes) and how Twirp routes, methods and
// content types are matched (docs/spec/twirp.md#routing, docs/spec/twirp.md#http-method,
// docs/spec/twirp.md#content-type), with the strict answers where the original processes anything.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { useServer } from "../support/server.js";
import { assertTwirpError, get, twirp } from "../support/twirp.js";

const createRoom = "livekit.RoomService/CreateRoom";

describe("routing", () => {
  const t = useServer();

  it("answers / and /_test/health with a plain ok for any method", async () => {
    for (const path of ["/", "/_test/health", "/_test/health?x=1"]) {
      for (const method of ["GET", "POST", "PUT"]) {
        const reply = await get(t.url(), path, { method });
        assert.equal(reply.status, 200, `${method} ${path}`);
        assert.equal(reply.text, "ok");
        assert.equal(reply.region, null, "health carries no X-Lk-Mock-Region");
      }
    }
  });

  it("answers any other path with Go's plain-text 404 and no region header", async () => {
    for (const path of ["/nope", "/twirp", "/settings/regions/", "/settings", "/_test/healthz", "/TWIRP/livekit.RoomService/CreateRoom"]) {
      const reply = await get(t.url(), path, { method: "POST" });
      assert.equal(reply.status, 404, path);
      assert.equal(reply.text, "404 page not found\n", path);
      assert.match(reply.contentType ?? "", /^text\/plain/);
      assert.equal(reply.region, null);
    }
  });

  it("routes <prefix>/<package>.<Service>/<Method> and ignores the query string", async () => {
    const reply = await twirp(t.url(), `${createRoom}?name=ignored`, { name: "q" });
    assert.equal(reply.status, 200);
    assert.equal(reply.json().name, "q");
  });

  it("answers an unknown method under the prefix with an empty JSON message, its region and no auth", async () => {
    const reply = await twirp(t.url(1), "livekit.RoomService/NoSuchMethod", { anything: 1 }, { token: null });
    assert.equal(reply.status, 200);
    assert.equal(reply.contentType, "application/json");
    assert.equal(reply.text, "{}");
    assert.equal(reply.region, "1");
  });

  it("answers an unknown service under the prefix with an empty binary message when the request is binary", async () => {
    const reply = await twirp(t.url(2), "livekit.FutureService/Anything", new Uint8Array([1, 2, 3]), { codec: "binary", token: null });
    assert.equal(reply.status, 200);
    assert.equal(reply.contentType, "application/protobuf");
    assert.equal(reply.bytes.length, 0);
    assert.equal(reply.region, "2");
  });

  it("matches method keys case-sensitively, so a differently cased or slash-terminated key is an unknown method", async () => {
    for (const key of ["livekit.roomservice/createroom", `${createRoom}/`]) {
      const reply = await twirp(t.url(), key, { name: "x" }, { token: null });
      assert.equal(reply.status, 200, key);
      assert.equal(reply.text, "{}", `${key} is not CreateRoom`);
    }
  });

  it("refuses a method other than POST with bad_route naming the method and route", async () => {
    for (const method of ["GET", "PUT", "DELETE", "OPTIONS"]) {
      const reply = await twirp(t.url(), createRoom, {}, { method });
      assertTwirpError(reply, {
        status: 404,
        code: "bad_route",
        msg: `unsupported method "${method}" (only POST is allowed)`,
        meta: { twirp_invalid_route: `${method} /twirp/${createRoom}` },
      });
      assert.equal(reply.region, "");
    }
  });

  it("refuses a non-POST request to an unknown method with bad_route too", async () => {
    const reply = await twirp(t.url(), "livekit.Nope/Nope", undefined, { method: "GET", token: null });
    assertTwirpError(reply, { status: 404, code: "bad_route", meta: { twirp_invalid_route: "GET /twirp/livekit.Nope/Nope" } });
  });

  it("treats the media type application/json, in any case and with parameters, as JSON", async () => {
    for (const contentType of ["application/json", "Application/JSON; charset=utf-8", " APPLICATION/json ;x=y"]) {
      const reply = await twirp(t.url(), createRoom, { name: "j" }, { contentType });
      assert.equal(reply.status, 200, contentType);
      assert.equal(reply.contentType, "application/json", "the response type has no parameters");
      assert.equal(reply.json().name, "j");
    }
  });

  it("treats application/protobuf, application/x-protobuf and a missing Content-Type as binary", async () => {
    for (const contentType of [
      "application/protobuf",
      "application/x-protobuf",
      "Application/Protobuf; proto=livekit.CreateRoomRequest",
      null,
    ]) {
      const reply = await twirp(t.url(), createRoom, new Uint8Array(0), { contentType });
      assert.equal(reply.status, 200, String(contentType));
      assert.equal(reply.contentType, "application/protobuf");
      assert.ok(reply.bytes.includes(Buffer.from("MOCK_SID")), "binary Room with the placeholder sid");
    }
  });

  it("refuses any other Content-Type with bad_route quoting the raw header", async () => {
    for (const contentType of ["text/json", "text/plain", "application/jsonx", "application/grpc", "multipart/form-data; boundary=x"]) {
      const reply = await twirp(t.url(), createRoom, "{}", { contentType });
      assertTwirpError(reply, {
        status: 404,
        code: "bad_route",
        msg: `unexpected Content-Type: ${JSON.stringify(contentType)}`,
        meta: { twirp_invalid_route: `POST /twirp/${createRoom}` },
      });
    }
  });

  it("checks the Content-Type of unknown methods as well", async () => {
    const reply = await twirp(t.url(), "livekit.Nope/Nope", "{}", { contentType: "text/plain", token: null });
    assertTwirpError(reply, { status: 404, code: "bad_route" });
  });

  it("mirrors the request codec in the response", async () => {
    const json = await twirp(t.url(), "livekit.RoomService/ListRooms", {});
    assert.equal(json.contentType, "application/json");
    assert.deepEqual(json.json(), { rooms: [{ sid: "MOCK_SID" }] });
    const binary = await twirp(t.url(), "livekit.RoomService/ListRooms", new Uint8Array(0), { codec: "binary" });
    assert.equal(binary.contentType, "application/protobuf");
    assert.equal(binary.headers.get("content-length"), String(binary.bytes.length));
    assert.notEqual(binary.bytes[0], "{".charCodeAt(0));
  });

  it("answers errors as JSON even to binary requests", async () => {
    const reply = await twirp(t.url(), createRoom, new Uint8Array(0), { codec: "binary", token: null });
    assertTwirpError(reply, { status: 401, code: "unauthenticated", msg: "mock: unauthenticated" });
  });
});

describe("routing with a custom Twirp prefix", () => {
  // A trailing slash is dropped, as the --twirp-prefix flag does.
  const t = useServer({ ports: [0], twirpPrefix: "/api/v2/" });

  it("serves Twirp under the configured prefix only", async () => {
    const reply = await twirp(t.url(), createRoom, { name: "p" }, { prefix: "/api/v2" });
    assert.equal(reply.status, 200);
    assert.equal(reply.json().name, "p");
    const old = await twirp(t.url(), createRoom, { name: "p" });
    assert.equal(old.status, 404);
    assert.equal(old.text, "404 page not found\n");
  });

  it("still answers /settings/regions and the health paths", async () => {
    assert.equal((await get(t.url(), "/settings/regions")).status, 200);
    assert.equal((await get(t.url(), "/_test/health")).text, "ok");
  });
});
