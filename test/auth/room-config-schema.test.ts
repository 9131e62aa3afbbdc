// The roomConfig claim is checked against livekit.RoomConfiguration, whose descriptors (room,
// egress, agents) nothing else needs at start-up. They are loaded the first time a token carries
// the claim: that token's verification waits for them, and every later one is synchronous. Each
// test file runs in a process of its own, so this file sees the schema unloaded at first.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createTokenVerifier } from "../../src/auth/verify-token.js";
import { nowPlus, rawToken } from "../support/raw-jwt.js";
import { testSecret } from "../support/tokens.js";

describe("the roomConfig claim's schema", () => {
  const verifier = createTokenVerifier(testSecret);
  const grants = { video: { roomCreate: true } };

  it("is not needed for a token without the claim, which is verified synchronously", () => {
    const result = verifier.verify(rawToken({ exp: nowPlus(600), sub: "a", ...grants }));
    assert.ok(!(result instanceof Promise));
    assert.equal(result.ok, true);
  });

  it("is loaded for the first token with the claim, which then verifies as Go verifies it", async () => {
    const pending = verifier.verify(rawToken({ exp: nowPlus(600), sub: "b", roomConfig: { name: "r", emptyTimeout: 5 }, ...grants }));
    assert.ok(pending instanceof Promise);
    assert.equal((await pending).ok, true);
  });

  it("once loaded, checks later tokens synchronously, refusals included", () => {
    const good = verifier.verify(rawToken({ exp: nowPlus(600), sub: "c", roomConfig: { maxParticipants: 3 }, ...grants }));
    assert.ok(!(good instanceof Promise));
    assert.equal(good.ok, true);
    const bad = verifier.verify(rawToken({ exp: nowPlus(600), sub: "d", roomConfig: { maxParticipants: "many" }, ...grants }));
    assert.ok(!(bad instanceof Promise));
    assert.equal(bad.ok, false);
    assert.match(bad.ok ? "" : bad.reason, /^token is malformed: could not JSON decode claim: proto: roomConfig: /);
  });
});
