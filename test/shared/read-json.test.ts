// The JSON reader: JSON.parse's answers, plus duplicate keys refused and float literals remembered.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { formatJsonPath, isJsonReadError, readJson, readJsonDocument, type JsonReadError } from "../../src/shared/read-json.js";

function readError(text: string): JsonReadError {
  try {
    readJson(text);
  } catch (err) {
    assert.ok(isJsonReadError(err), `a JsonReadError, got ${String(err)}`);
    return err;
  }
  assert.fail(`${JSON.stringify(text)} was accepted`);
}

describe("readJson", () => {
  const valid = [
    "0",
    "-0",
    "  true ",
    "false",
    "null",
    '""',
    "[]",
    "{}",
    ' { "a" : [ 1 , 2.5 , -3e-2 , 4E+20 , {} ] , "b" : { "c" : null } } ',
    "\t\r\n[\n1\n]\n",
    "12345678901234567890",
    "123456789012345",
    "-9007199254740993",
    "1.7976931348623157e309",
    "5e-324",
    '"\\" \\\\ \\/ \\b \\f \\n \\r \\t"',
    '"\\u00e9 \\u20AC \\ud83d\\ude00 \\uD83D\\uDE00 end"',
    '"é € 😀 \u2028"',
    '{"2":"b","1":"a","x":1,"0":"z"}',
    '{"constructor":1,"toString":2,"hasOwnProperty":3}',
  ];
  for (const text of valid) {
    it(`reads ${JSON.stringify(text)} exactly as JSON.parse does`, () => {
      const ours = readJson(text);
      assert.deepEqual(ours, JSON.parse(text));
      if (ours !== null && typeof ours === "object") assert.deepEqual(Object.keys(ours), Object.keys(JSON.parse(text)));
      if (text === "-0") assert.ok(Object.is(ours, -0));
    });
  }

  it("keeps a __proto__ key as an own member, as JSON.parse does", () => {
    const value = readJson('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(value), ["__proto__", "a"]);
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.equal(({} as Record<string, unknown>)["polluted"], undefined);
  });

  const invalid = [
    "",
    "   ",
    "{",
    '{"a"',
    '{"a":',
    '{"a":1',
    '{"a":1,}',
    "{a:1}",
    '{"a" 1}',
    "[1,]",
    "[1 2]",
    "nul",
    "tru",
    "-",
    "-a",
    "01",
    "1.",
    "1.a",
    "1e",
    "1e+",
    "+1",
    ".5",
    "NaN",
    '"abc',
    '"a\\x"',
    '"a\\u12"',
    '"a\\u12G4"',
    '"a\tb"',
    '"\\',
    "'a'",
    '{"name":"r"} x',
    '{"name":"r"} {"metadata":"m"}',
    "name=r",
    "\uFEFF{}",
    // Where line breaks come before the error (Node 26's JSON.parse names the line and column).
    "{\n\n  x",
    "[1,\r\n2 3]",
    "[1,\r2 3]",
    "\n  -",
    '[\n"a\tb"]',
  ];
  for (const text of invalid) {
    it(`refuses ${JSON.stringify(text)} with JSON.parse's message`, () => {
      let expected = "";
      try {
        JSON.parse(text);
      } catch (err) {
        expected = (err as Error).message;
      }
      assert.notEqual(expected, "", "JSON.parse refuses it too");
      assert.equal(readError(text).message, expected);
    });
  }

  it("refuses a lone UTF-16 surrogate escape, as protojson does, naming it and its position", () => {
    for (const [text, position] of [
      ['"\\ud800"', 1],
      ['"a\\udc00"', 2],
      ['"\\ud83dx"', 1],
      ['"\\ud83d\\u0041"', 1],
      ['{"k":["\\uDBFF"]}', 7],
    ] as const) {
      const err = readError(text);
      assert.match(err.message, /^Lone UTF-16 surrogate \\u[0-9a-fA-F]{4} in string in JSON at position \d+$/, text);
      assert.equal(err.position, position, text);
    }
    assert.equal(readJson('"\\ud83d\\ude00\\u00e9"'), "😀é");
  });

  it("refuses a key repeated at the top level, naming it and its position", () => {
    const err = readError('{"name":"r","name":"s"}');
    assert.equal(err.duplicateKey, "name");
    assert.deepEqual(err.path, []);
    assert.equal(err.position, 12);
    assert.equal(err.message, 'duplicate key "name" in JSON at position 12');
  });

  it("refuses a key repeated at any depth, naming the path to it", () => {
    const err = readError('{"a":{"b":[1,{"c":1,"c":2}]}}');
    assert.equal(err.duplicateKey, "c");
    assert.deepEqual(err.path, ["a", "b", 1]);
    assert.equal(err.message, 'duplicate key "c" inside a.b[1] in JSON at position 20');
    assert.equal(readError('[[{"x":1}],[{"y":{"z":1,"z":1}}]]').duplicateKey, "z");
  });

  it("compares keys after unescaping, so an escaped spelling is still a duplicate", () => {
    assert.equal(readError('{"a":1,"\\u0061":2}').duplicateKey, "a");
    assert.equal(readError('{"__proto__":1,"__proto__":2}').duplicateKey, "__proto__");
  });

  it("treats keys differing only in case or in other objects as distinct", () => {
    assert.deepEqual(readJson('{"a":1,"A":2,"b":{"a":3},"c":[{"a":4},{"a":5}]}'), { a: 1, A: 2, b: { a: 3 }, c: [{ a: 4 }, { a: 5 }] });
  });

  it("reads a 4 MiB document like JSON.parse", () => {
    const rooms = Array.from({ length: 20_000 }, (_, i) => ({
      name: `room-${i}`,
      metadata: `"quoted" \\ é ${"x".repeat(150)}`,
      n: i * 1.5,
      tags: [i, -i],
    }));
    const text = JSON.stringify({ rooms });
    assert.ok(text.length > 4 * 1024 * 1024);
    assert.deepEqual(readJson(text), JSON.parse(text));
    const name = "y".repeat(4 * 1024 * 1024);
    assert.equal((readJson(JSON.stringify({ name })) as { name: string }).name, name);
  });

  it("reads 1000 levels of nesting and refuses deeper documents with a message instead of overflowing", () => {
    assert.ok(Array.isArray(readJson("[".repeat(1000) + "]".repeat(1000))));
    const err = readError("[".repeat(1001) + "]".repeat(1001));
    assert.match(err.message, /nested deeper than 1000 levels/);
  });
});

describe("readJsonDocument", () => {
  it("remembers the literal of each number written with a fraction or exponent", () => {
    const document = readJsonDocument(
      '{"failStatus":404.0,"e":4e2,"E":1E+2,"neg":-0.0,"plain":404,"list":[0.0,1,2.50],"sip":{"code":603.0}}',
    );
    const top = document.value as Record<string, unknown>;
    assert.equal(document.numberLiteral(top as never, "failStatus"), "404.0");
    assert.equal(document.numberLiteral(top as never, "e"), "4e2");
    assert.equal(document.numberLiteral(top as never, "E"), "1E+2");
    assert.equal(document.numberLiteral(top as never, "neg"), "-0.0");
    assert.equal(document.numberLiteral(top as never, "plain"), undefined);
    const list = top["list"] as never;
    assert.equal(document.numberLiteral(list, 0), "0.0");
    assert.equal(document.numberLiteral(list, 1), undefined);
    assert.equal(document.numberLiteral(list, 2), "2.50");
    assert.equal(document.numberLiteral(top["sip"] as never, "code"), "603.0");
    assert.equal(top["failStatus"], 404);
  });

  it("remembers nothing for plain integers, long integers, strings or absent keys", () => {
    const document = readJsonDocument('{"a":1,"b":"1.0","c":12345678901234567890}');
    const top = document.value as never;
    for (const key of ["a", "b", "c", "missing"]) assert.equal(document.numberLiteral(top, key), undefined);
  });

  it("refuses duplicate keys like readJson", () => {
    assert.throws(() => readJsonDocument('{"failStatus":500,"failStatus":503}'), { name: "JsonReadError", duplicateKey: "failStatus" });
  });
});

describe("formatJsonPath", () => {
  it("joins keys with dots and writes indices in brackets", () => {
    assert.equal(formatJsonPath([]), "");
    assert.equal(formatJsonPath(["sipStatus", "code"]), "sipStatus.code");
    assert.equal(formatJsonPath(["response", "rooms", 0, "name"]), "response.rooms[0].name");
    assert.equal(formatJsonPath([0, "a"]), "[0].a");
  });
});
