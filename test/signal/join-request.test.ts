import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { describe, test } from "node:test";
import { create, toBinary } from "@bufbuild/protobuf";
import { JoinRequestSchema, WrappedJoinRequest_Compression, WrappedJoinRequestSchema } from "../../generated/livekit_rtc_pb.js";
import { joinRequestSaysReconnect } from "../../src/signal/handshake/join-request.js";
import { useServer } from "../support/server.js";
import { mockToken } from "./mock-token.js";
import { connect } from "./signal-client.js";

const server = useServer();

/** As livekit-client builds it: padded base64 with the URL alphabet. */
function joinRequestParam(reconnect: boolean, compression = WrappedJoinRequest_Compression.GZIP): string {
  const join = toBinary(JoinRequestSchema, create(JoinRequestSchema, { reconnect, clientInfo: { version: "2.23.0" } }));
  const wrapped = create(WrappedJoinRequestSchema, {
    compression,
    joinRequest: compression === WrappedJoinRequest_Compression.GZIP ? gzipSync(join) : join,
  });
  return Buffer.from(toBinary(WrappedJoinRequestSchema, wrapped)).toString("base64").replaceAll("+", "-").replaceAll("/", "_");
}

describe("the v1 join_request parameter", () => {
  test("its reconnect flag is read from a gzipped or plain JoinRequest", () => {
    assert.equal(joinRequestSaysReconnect(joinRequestParam(true)), true);
    assert.equal(joinRequestSaysReconnect(joinRequestParam(true, WrappedJoinRequest_Compression.NONE)), true);
    assert.equal(joinRequestSaysReconnect(joinRequestParam(false)), false);
  });

  test("anything undecodable counts as no reconnect", () => {
    assert.equal(joinRequestSaysReconnect(""), false);
    assert.equal(joinRequestSaysReconnect("not base64!"), false);
    const padded = joinRequestParam(true);
    // Go's base64.URLEncoding wants the padding (or a complete last quantum).
    assert.equal(joinRequestSaysReconnect(padded.endsWith("=") ? padded.replace(/=+$/, "") : padded.slice(0, -1)), false);
    const corrupt = toBinary(
      WrappedJoinRequestSchema,
      create(WrappedJoinRequestSchema, { compression: WrappedJoinRequest_Compression.GZIP, joinRequest: Buffer.from("nope") }),
    );
    assert.equal(joinRequestSaysReconnect(Buffer.from(corrupt).toString("base64url")), false);
  });

  test("a resume on /rtc/v1 that sets reconnect only in join_request gets a reconnect response", async () => {
    const client = await connect(server.url(), "/rtc/v1", { token: await mockToken(), query: { join_request: joinRequestParam(true) } });
    assert.equal((await client.next()).message.message.case, "reconnect");
    client.ws.close();
  });

  test("leave_during_reconnect sees a join_request reconnect too", async () => {
    const client = await connect(server.url(), "/rtc/v1", {
      token: await mockToken({ signal: "leave_during_reconnect" }),
      query: { join_request: joinRequestParam(true) },
    });
    assert.equal((await client.next()).message.message.case, "leave");
    client.ws.close();
  });

  test("a first connection's join_request gets the join", async () => {
    const client = await connect(server.url(), "/rtc/v1", { token: await mockToken(), query: { join_request: joinRequestParam(false) } });
    assert.equal((await client.next()).message.message.case, "join");
    client.ws.close();
  });
});
