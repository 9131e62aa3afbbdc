// Bodies large enough to be decoded off the event loop answer exactly as small ones do: the same
// populated response, the same room checks, the same refusals.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { RoomService } from "../../generated/livekit_room_pb.js";
import { offThreadBodyBytes } from "../../src/twirp/decode-off-thread.js";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";
import { assertTwirpError, twirp, twirpBinary } from "../support/twirp.js";

const manyAttributes = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key-${i}`, "value"]));

describe("a body above the off-thread threshold", () => {
  const t = useServer();

  test("is large enough to take that path", () => {
    assert.ok(JSON.stringify({ attributes: manyAttributes }).length > offThreadBodyBytes);
  });

  test("JSON: answers the same populated response as a small body", async () => {
    const request = { room: "big-room", identity: "alice", metadata: "m", attributes: manyAttributes };
    const reply = await twirp(t.url(0), "livekit.RoomService/UpdateParticipant", request, { control: { skipAuth: true } });
    assert.equal(reply.status, 200, reply.text);
    const small = await twirp(
      t.url(0),
      "livekit.RoomService/UpdateParticipant",
      { ...request, attributes: {} },
      { control: { skipAuth: true } },
    );
    assert.deepEqual(reply.json(), small.json());
    assert.deepEqual(reply.json().identity, "alice");
  });

  test("binary: answers the same populated response as a small body", async () => {
    const reply = await twirpBinary(
      t.url(0),
      RoomService.method.updateParticipant,
      { room: "big-room", identity: "alice", attributes: manyAttributes },
      { control: { skipAuth: true } },
    );
    assert.equal(reply.status, 200);
    assert.equal(reply.message?.identity, "alice");
    assert.ok(reply.bytes.length < 1000, "the answer echoes scalars only");
  });

  test("the room check still reads the request's room", async () => {
    const token = await signToken({ video: { roomAdmin: true, room: "other-room" } });
    const reply = await twirp(
      t.url(0),
      "livekit.RoomService/UpdateParticipant",
      { room: "big-room", attributes: manyAttributes },
      { token },
    );
    assertTwirpError(reply, { status: 403, code: "permission_denied" });
    assert.match(reply.json().msg, /does not match request room "big-room"/);
  });

  test("an undecodable large body is malformed, with the decoder's reason", async () => {
    const body = `{"attributes": ${JSON.stringify(manyAttributes)}, "room": 5}`;
    const reply = await twirp(t.url(0), "livekit.RoomService/UpdateParticipant", body);
    assertTwirpError(reply, { status: 400, code: "malformed" });
    assert.match(reply.json().msg, /^the json request could not be decoded: .*room/);
    const binary = Buffer.alloc(offThreadBodyBytes + 10, 0xff);
    assertTwirpError(await twirp(t.url(0), "livekit.RoomService/ListRooms", binary, { codec: "binary" }), {
      status: 400,
      code: "malformed",
    });
  });

  test("the server keeps answering afterwards", async () => {
    const reply = await twirp(t.url(1), "livekit.RoomService/ListRooms", {});
    assert.deepEqual(reply.json(), { rooms: [{ sid: "MOCK_SID" }] });
  });
});
