// The lexical core the three JSON readers share: where a token ends, and what is wrong where. The
// readers' own tests hold each to its reference (JSON.parse, Go's scanner, the lk.mock rules).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  Problem,
  asciiRunEnd,
  createScan,
  plainRunEnd,
  scanEscape,
  scanNumber,
  skipWhitespace,
  unicodeEscapeAt,
  wordMismatch,
} from "../../src/shared/json-scan.js";

describe("the JSON scanner", () => {
  const scan = createScan();

  it("ends a number where JSON's grammar ends it, and says whether it is a plain integer", () => {
    const cases: [string, number, boolean, number, number][] = [
      ["0", 1, true, 0, 1],
      ["-12,", 3, true, 12, 2],
      ["01", 1, true, 0, 1],
      ["1.50]", 4, false, 1, 1],
      ["4e2", 3, false, 4, 1],
      ["1E+2x", 4, false, 1, 1],
      ["-0.0e-7 ", 7, false, 0, 1],
      ["1234567890123456", 16, true, 1234567890123456, 16],
    ];
    for (const [text, end, plain, integer, digits] of cases) {
      assert.equal(scanNumber(text, 0, scan), end, text);
      assert.deepEqual([scan.plain, scan.integer, scan.digits], [plain, integer, digits], text);
    }
  });

  it("names what is missing from a malformed number, and where", () => {
    const cases: [string, Problem, number][] = [
      ["-", Problem.MinusWithoutDigit, 1],
      ["-a", Problem.MinusWithoutDigit, 1],
      ["1.", Problem.DotWithoutDigit, 2],
      ["1.e3", Problem.DotWithoutDigit, 2],
      ["1e", Problem.ExponentWithoutDigit, 2],
      ["1e+x", Problem.ExponentWithoutDigit, 3],
    ];
    for (const [text, problem, at] of cases) {
      assert.equal(scanNumber(text, 0, scan), -1, text);
      assert.deepEqual([scan.problem, scan.at], [problem, at], text);
    }
  });

  it("reads escapes to the unit they stand for, and names a bad one and where", () => {
    assert.equal(scanEscape('\\n"', 0, scan), 2);
    assert.equal(scan.unit, 0x0a);
    assert.equal(scanEscape("\\u20AC", 0, scan), 6);
    assert.equal(scan.unit, 0x20ac);
    assert.equal(scanEscape("\\ud800", 0, scan), 6);
    assert.equal(scan.unit, 0xd800, "a lone surrogate is the reader's business");
    for (const [text, problem, at] of [
      ["\\", Problem.EscapeAtEnd, 1],
      ["\\x", Problem.BadEscape, 1],
      ["\\u12G4", Problem.BadUnicodeEscape, 4],
      ["\\u12", Problem.BadUnicodeEscape, 4],
    ] as const) {
      assert.equal(scanEscape(text, 0, scan), -1, text);
      assert.deepEqual([scan.problem, scan.at], [problem, at], text);
    }
    assert.equal(unicodeEscapeAt("x\\udc00", 1), 0xdc00);
    assert.equal(unicodeEscapeAt("x\\n", 1), -1);
  });

  it("ends a string's plain run at a quote, a backslash, a control character or the end", () => {
    assert.equal(plainRunEnd('ab"c', 0), 2);
    assert.equal(plainRunEnd("ab\\c", 0), 2);
    assert.equal(plainRunEnd("ab\tc", 0), 2);
    assert.equal(plainRunEnd("abc", 0), 3);
    assert.equal(plainRunEnd('é"', 0), 1);
    assert.equal(asciiRunEnd('é"', 0), 0, "the byte reader's variant stops at non-ASCII too");
  });

  it("skips JSON's four whitespace characters only, and finds where a literal word differs", () => {
    assert.equal(skipWhitespace(" \t\r\n x", 0), 5);
    assert.equal(skipWhitespace("\u00a0x", 0), 0);
    assert.equal(wordMismatch("true,", 0, "true"), -1);
    assert.equal(wordMismatch("trux", 0, "true"), 3);
    assert.equal(wordMismatch("tr", 0, "true"), 2);
  });
});
