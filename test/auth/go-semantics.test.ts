// Token segments read as Go reads them: the JSON reader behind the claims (Go's nesting limit,
// replacements and error words), NumericDate's conversion to seconds, and base64 and claim
// details the parity matrix cannot carry (tokens larger than a header the old listener took).
// The parity matrix (test/conformance/parity/claim-cases.ts) checks the rest against the original.
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { goMaxJsonDepth, GoJsonError, readGoJson, type GoJson } from "../../src/auth/go-json.js";
import { goQuote } from "../../src/shared/go-quote.js";
import { goUnixSeconds } from "../../src/auth/token-claims.js";
import { createTokenVerifier } from "../../src/auth/verify-token.js";
import { nowPlus, rawTokenText } from "../support/raw-jwt.js";
import { assertCostWithin } from "../support/cost-within.js";

function goError(text: string | Uint8Array): string {
  try {
    readGoJson(typeof text === "string" ? Buffer.from(text) : text);
  } catch (err) {
    assert.ok(err instanceof GoJsonError, String(err));
    return err.message;
  }
  assert.fail(`${String(text)} was accepted`);
}

function stringValue(text: Uint8Array): string {
  const node = readGoJson(text);
  assert.equal(node.kind, "string");
  return (node as GoJson & { kind: "string" }).value;
}

describe("the Go JSON reader", () => {
  it("keeps every member of an object in order, repeated keys included", () => {
    const node = readGoJson(Buffer.from('{"a":1,"A":2,"a":{"b":[true,null,"x"]}}'));
    assert.equal(node.kind, "object");
    const members = (node as GoJson & { kind: "object" }).members;
    assert.deepEqual(
      members.map((m) => m.key),
      ["a", "A", "a"],
    );
    assert.deepEqual(members[0]!.value, { kind: "number", literal: "1", start: 5, end: 6 });
  });

  it("allows exactly Go's 10000 levels of nesting, without recursion", () => {
    const nested = (depth: number): Buffer => Buffer.from(`${"[".repeat(depth)}${"]".repeat(depth)}`);
    assert.equal(readGoJson(nested(goMaxJsonDepth)).kind, "array");
    assert.equal(goError(nested(goMaxJsonDepth + 1)), "invalid character '[' exceeded max depth");
    assert.equal(readGoJson(Buffer.from(`{"a":${"[".repeat(goMaxJsonDepth - 1)}${"]".repeat(goMaxJsonDepth - 1)}}`)).kind, "object");
  });

  it("replaces each invalid UTF-8 byte and each lone surrogate escape with U+FFFD, as Go does", () => {
    assert.equal(stringValue(Buffer.from([0x22, 0xe2, 0x82, 0x41, 0xff, 0x22])), "\ufffd\ufffdA\ufffd");
    assert.equal(stringValue(Buffer.from('"\\ud800x\\udc00\\ud83d\\ude00"')), "\ufffdx\ufffd😀");
    assert.equal(stringValue(Buffer.from('"\\ud83d\\u0041"')), "\ufffdA");
    assert.equal(stringValue(Buffer.from('"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9"')), '"\\/\b\f\n\r\t\u00e9');
  });

  it("words syntax errors as Go's scanner does", () => {
    const cases: [string, string][] = [
      ["", "unexpected end of JSON input"],
      ['{"a":1', "unexpected end of JSON input"],
      ["{} x", "invalid character 'x' after top-level value"],
      ["{x}", "invalid character 'x' looking for beginning of object key string"],
      ['{"a" 1}', "invalid character '1' after object key"],
      ['{"a":1 "b"}', "invalid character '\"' after object key:value pair"],
      ["[1 2]", "invalid character '2' after array element"],
      ["[tru]", "invalid character ']' in literal true (expecting 'e')"],
      ["nul", "unexpected end of JSON input"],
      ["-x", "invalid character 'x' in numeric literal"],
      ["1.x", "invalid character 'x' after decimal point in numeric literal"],
      ["1ex", "invalid character 'x' in exponent of numeric literal"],
      ["01", "invalid character '1' after top-level value"],
      ['"\\x"', "invalid character 'x' in string escape code"],
      ['"\\u12g4"', "invalid character 'g' in \\u hexadecimal character escape"],
      ['"a\nb"', "invalid character '\\n' in string literal"],
      ["'a'", "invalid character '\\'' looking for beginning of value"],
    ];
    for (const [text, message] of cases) assert.equal(goError(text), message, JSON.stringify(text));
    assert.equal(goError(Buffer.from([0xc3, 0xa9])), "invalid character 'Ã' looking for beginning of value");
  });

  it("quotes as strconv.Quote does", () => {
    assert.equal(goQuote('"a" é\n\u0000\u007f\u00a0😀'), '"\\"a\\" é\\n\\x00\\x7f\\u00a0😀"');
    assert.equal(goQuote(Buffer.from([0x61, 0xff])), '"a\\xff"');
  });
});

describe("NumericDate seconds", () => {
  it("truncates toward the earlier second as time.Unix and Truncate do", () => {
    assert.equal(goUnixSeconds(1700000000.9), 1700000000n);
    assert.equal(goUnixSeconds(-1.5), -2n);
    // int64(-0.1 * 1e9) is 0 nanoseconds in Go's conversion, so there is nothing to borrow.
    assert.equal(goUnixSeconds(-5.0000000001), -5n);
  });

  it("turns a float outside the int64 range into the minimum int64, as Go on amd64 does", () => {
    assert.equal(goUnixSeconds(1e20), -(2n ** 63n));
    assert.equal(goUnixSeconds(-1e20), -(2n ** 63n));
    assert.equal(goUnixSeconds(1e18), 1000000000000000000n);
  });
});

describe("token verification details", () => {
  const verifier = createTokenVerifier("secret");
  const grant = '"video":{"roomCreate":true}';
  const reasonOf = async (token: string): Promise<string> => {
    const result = await verifier.verify(token);
    return result.ok ? "ok" : result.reason;
  };

  it("accepts a claim nested 9999 levels deep and refuses 10000, as Go does", async () => {
    const deep = (depth: number): string => `{"exp":${nowPlus(600)},"x":${"[".repeat(depth)}${"]".repeat(depth)},${grant}}`;
    assert.equal(await reasonOf(rawTokenText(deep(goMaxJsonDepth - 1))), "ok");
    assert.equal(
      await reasonOf(rawTokenText(deep(goMaxJsonDepth))),
      "token is malformed: could not JSON decode claim: invalid character '[' exceeded max depth",
    );
  });

  it("skips CR and LF inside a segment, as Go's base64 decoder does, and signs the segments as sent", async () => {
    const token = rawTokenText(`{"exp":${nowPlus(600)},${grant}}`);
    const [header, payload] = token.split(".") as [string, string, string];
    const withNewline = `${header}.${payload.slice(0, 5)}\n${payload.slice(5)}`;
    const signature = createHmac("sha256", "secret").update(withNewline).digest("base64url");
    assert.equal(await reasonOf(`${withNewline}.${signature}`), "ok");
  });

  it("names the byte where base64 breaks", async () => {
    const token = rawTokenText(`{"exp":${nowPlus(600)},${grant}}`);
    // 43 characters hold the 32-byte HMAC; a 45th would be a lone character, which Go refuses.
    assert.equal(
      await reasonOf(`${token}AA`),
      "token is malformed: could not base64 decode signature: illegal base64 data at input byte 44",
    );
    assert.equal(await reasonOf(`${token}A`), "token signature is invalid: signature is invalid");
    assert.equal(
      await reasonOf(`a*c.${token.split(".").slice(1).join(".")}`),
      "token is malformed: could not base64 decode header: illegal base64 data at input byte 1",
    );
  });

  it("reports an expired exp and a future nbf together, in Go's words", async () => {
    assert.equal(
      await reasonOf(rawTokenText(`{"exp":1000,"nbf":${nowPlus(3600)}}`)),
      "token has invalid claims: token is expired, token is not valid yet",
    );
  });

  it("decodes a large token (half a megabyte of claims) at a cost within a small factor of JSON.parse", async () => {
    const attributes = Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`key-${i}`, "v".repeat(10)]));
    const token = rawTokenText(JSON.stringify({ exp: nowPlus(600), video: { roomCreate: true }, attributes }));
    assert.equal(await reasonOf(token), "ok");
    // About 2 to 6 times JSON.parse of the payload; a quadratic step over 20,000 keys is hundreds.
    // A fresh verifier each time: a verifier remembers the tokens it has verified.
    const payload = token.split(".")[1]!;
    await assertCostWithin(
      () => createTokenVerifier("secret").verify(token),
      () => JSON.parse(Buffer.from(payload, "base64url").toString("utf8")),
      50,
      "verifying a token of 20,000 attributes",
    );
  });
});
