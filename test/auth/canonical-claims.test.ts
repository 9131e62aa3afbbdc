// The fast reader for canonical payloads (what SDKs sign) must agree with the Go-semantics reader
// on everything it accepts, and hand everything else back. The agreement is checked on random
// payloads; the hand-backs one by one.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { readCanonicalClaims } from "../../src/auth/canonical-claims.js";
import { readGoJson } from "../../src/auth/go-json.js";
import { readClaims, readRegisteredClaims } from "../../src/auth/token-claims.js";

const bytes = (text: string): Buffer => Buffer.from(text, "utf8");

/** What the Go-semantics reader makes of the payload: its claims, or its error. */
function goReading(payload: Buffer): unknown {
  try {
    const tree = readGoJson(payload);
    readRegisteredClaims(tree, payload);
    return readClaims(tree, payload);
  } catch (err) {
    return `error: ${(err as Error).message}`;
  }
}

const sdkPayload = {
  exp: 1_900_000_000,
  nbf: 1_800_000_000,
  iss: "devkey",
  sub: "alice",
  jti: "alice",
  name: "Alice",
  metadata: '{"role":"host"}',
  attributes: { "lk.mock": '{"signal":"happy"}', team: "a" },
  kind: "standard",
  video: { roomJoin: true, room: "r", canPublish: true, canPublishSources: ["camera"], roomCreate: false },
  sip: { admin: true },
};

describe("the canonical claims reader", () => {
  it("reads what an SDK signs, exactly as the Go-semantics reader does", () => {
    const payload = bytes(JSON.stringify(sdkPayload));
    const claims = readCanonicalClaims(payload);
    assert.notEqual(claims, undefined);
    assert.deepEqual(claims, goReading(payload));
    assert.equal(claims?.identity, "alice");
    assert.equal(claims?.exp, 1_900_000_000n);
    assert.deepEqual(claims?.attributes, { "lk.mock": '{"signal":"happy"}', team: "a" });
  });

  const handedBack: Record<string, string> = {
    "whitespace between tokens": '{ "exp": 1900000000 }',
    "a key given twice": '{"exp":1900000000,"exp":1}',
    "a key matching a field only in another case": '{"Exp":1900000000}',
    "a key matching a field under Go's folding (ſ for s)": '{"\u017fub":"a","exp":1900000000}',
    "a \\u escape, possibly a lone surrogate": '{"sub":"\\ud800","exp":1900000000}',
    "a number written another way": '{"exp":1.9e9}',
    "a NumericDate as a quoted number": '{"exp":"1900000000"}',
    "a null": '{"exp":1900000000,"name":null}',
    "a value of the wrong type": '{"exp":1900000000,"video":{"roomJoin":"yes"}}',
    "an object under a key no field takes": '{"exp":1900000000,"extra":{"a":[1]}}',
    "a roomConfig": '{"exp":1900000000,"roomConfig":{"name":"r"}}',
    "a payload that is not an object": "[1]",
    "text that is not JSON": '{"exp":',
  };
  for (const [what, text] of Object.entries(handedBack)) {
    it(`hands back ${what}`, () => assert.equal(readCanonicalClaims(bytes(text)), undefined));
  }

  it("hands back invalid UTF-8", () => {
    assert.equal(readCanonicalClaims(Buffer.from([0x7b, 0x22, 0x73, 0x75, 0x62, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d])), undefined);
  });

  it("hands back a deeply nested value without overflowing", () => {
    const deep = `{"exp":1900000000,"video":{"x":${"[".repeat(20_000)}${"]".repeat(20_000)}}}`;
    assert.equal(readCanonicalClaims(bytes(deep)), undefined);
  });

  it("agrees with the Go-semantics reader on every payload it accepts (random payloads)", () => {
    const key = fc.oneof(
      fc.constantFrom("exp", "nbf", "iat", "sub", "jti", "iss", "aud", "name", "metadata", "kind", "video", "sip", "attributes"),
      fc.constantFrom("Exp", "SUB", "\u017fub", "extra", "__proto__", "constructor", "roomConfig", "kindDetails", "agent"),
    );
    const scalar = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.boolean(),
      fc.integer({ min: 0, max: 2_000_000_000 }),
      fc.double({ noNaN: true }),
      fc.constant(null),
    );
    const grantKey = fc.constantFrom("roomJoin", "room", "canPublish", "canPublishSources", "admin", "call", "RoomJoin", "x");
    const value = fc.oneof(
      scalar,
      fc.array(fc.oneof(fc.string({ maxLength: 4 }), scalar), { maxLength: 3 }),
      fc.dictionary(grantKey, fc.oneof(scalar, fc.array(fc.string({ maxLength: 4 }), { maxLength: 2 })), { maxKeys: 4 }),
      fc.dictionary(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 }), { maxKeys: 3 }),
    );
    const payloads = fc
      .tuple(fc.array(fc.tuple(key, value), { maxLength: 8 }), fc.boolean())
      .map(
        ([members, spaced]) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${spaced ? " " : ""}${JSON.stringify(v)}`).join(",")}}`,
      );
    let accepted = 0;
    fc.assert(
      fc.property(payloads, (text) => {
        const payload = bytes(text);
        const claims = readCanonicalClaims(payload);
        if (claims === undefined) return;
        accepted++;
        assert.deepEqual(claims, goReading(payload), text);
      }),
      { numRuns: 3000 },
    );
    // The property means something only if the reader accepted a good share of the payloads.
    assert.ok(accepted > 300, `accepted only ${accepted} of 3000`);
  });
});
