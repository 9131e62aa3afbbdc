// Invalid UTF-8 in a string is refused as `malformed` in both codecs, as Go's protojson and
// proto.Unmarshal refuse it: at every string field path of every RPC request (top level, nested
// messages, oneofs, repeated fields, map keys and values), and over the wire.
import assert from "node:assert/strict";
import { ScalarType, type DescField, type DescMessage } from "@bufbuild/protobuf";
import { BinaryWriter, WireType } from "@bufbuild/protobuf/wire";
import { describe, it } from "node:test";
import { methodStubs } from "../../generated/mock/index.js";
import { decodeRequest } from "../../src/twirp/codec.js";
import { firstInvalidUtf8 } from "../../src/shared/utf8.js";
import { TwirpError } from "../../src/twirp/twirp-errors.js";
import { useServer } from "../support/server.js";
import { assertTwirpError, twirp } from "../support/twirp.js";

/** One way to reach a string: the fields from the request down to it, and which part of a map. */
interface StringPath {
  readonly steps: readonly { readonly field: DescField; readonly part?: "key" | "value" }[];
  /** How the error names it. */
  readonly name: string;
}

// Deep enough for every string the SDKs send (e.g. CreateSIPDispatchRule → rule → dispatch rule
// individual → room prefix); recursive types stop there.
const maxNesting = 4;

function stringPaths(schema: DescMessage, depth = 0, seen: readonly string[] = []): StringPath[] {
  if (depth > maxNesting || seen.includes(schema.typeName)) return [];
  const out: StringPath[] = [];
  const inner = (field: DescField, message: DescMessage, part?: "value"): void => {
    for (const path of stringPaths(message, depth + 1, [...seen, schema.typeName])) {
      out.push({ steps: [{ field, ...(part === undefined ? {} : { part }) }, ...path.steps], name: path.name });
    }
  };
  for (const field of schema.fields) {
    const fullName = `${schema.typeName}.${field.name}`;
    switch (field.fieldKind) {
      case "scalar":
        if (field.scalar === ScalarType.STRING) out.push({ steps: [{ field }], name: `string field ${fullName}` });
        break;
      case "list":
        if (field.listKind === "scalar" && field.scalar === ScalarType.STRING)
          out.push({ steps: [{ field }], name: `string field ${fullName}` });
        if (field.listKind === "message") inner(field, field.message);
        break;
      case "message":
        inner(field, field.message);
        break;
      case "map":
        if (field.mapKey === ScalarType.STRING) out.push({ steps: [{ field, part: "key" }], name: `map key of ${fullName}` });
        if (field.mapKind === "scalar" && field.scalar === ScalarType.STRING)
          out.push({ steps: [{ field, part: "value" }], name: `map value of ${fullName}` });
        if (field.mapKind === "message") inner(field, field.message, "value");
        break;
      case "enum":
        break;
    }
  }
  return out;
}

/** The protobuf encoding of a message that holds `text` at `path` and nothing else. */
function binaryAt(path: StringPath, text: Uint8Array): Uint8Array {
  let value = text;
  for (let i = path.steps.length - 1; i >= 0; i--) {
    const { field, part } = path.steps[i]!;
    const w = new BinaryWriter();
    if (part === undefined) {
      w.tag(field.number, WireType.LengthDelimited).bytes(value);
    } else {
      const entry = new BinaryWriter();
      entry.tag(part === "key" ? 1 : 2, WireType.LengthDelimited).bytes(value);
      w.tag(field.number, WireType.LengthDelimited).bytes(entry.finish());
    }
    value = w.finish();
  }
  return value;
}

const placeholder = "\u0000PLACEHOLDER\u0000";

/** The protojson of the same message, with `text` spliced in as raw bytes. */
function jsonAt(path: StringPath, text: Uint8Array): Buffer | undefined {
  let value: unknown = placeholder;
  for (let i = path.steps.length - 1; i >= 0; i--) {
    const { field, part } = path.steps[i]!;
    // Well-known types have a JSON form of their own; their strings are covered in binary.
    if (i > 0 && path.steps[i - 1]!.field.fieldKind !== "map" && field.parent.typeName.startsWith("google.protobuf.")) return undefined;
    if (part === "key") value = { [placeholder]: mapValueJson(field) };
    else if (part === "value") value = { [mapKeyJson(field)]: value };
    else if (field.fieldKind === "list") value = [value];
    value = { [field.jsonName]: value };
  }
  const [before, after] = JSON.stringify(value).split(JSON.stringify(placeholder)) as [string, string];
  return Buffer.concat([Buffer.from(`${before}"`), text, Buffer.from(`"${after}`)]);
}

function mapKeyJson(field: DescField): string {
  return field.fieldKind === "map" && field.mapKey === ScalarType.BOOL
    ? "true"
    : field.fieldKind === "map" && field.mapKey !== ScalarType.STRING
      ? "1"
      : "k";
}

function mapValueJson(field: DescField): unknown {
  if (field.fieldKind !== "map") return null;
  if (field.mapKind === "message") return {};
  if (field.mapKind === "enum") return 0;
  return field.scalar === ScalarType.STRING || field.scalar === ScalarType.BYTES ? "" : field.scalar === ScalarType.BOOL ? false : 0;
}

function malformed(run: () => unknown): TwirpError {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof TwirpError, `a TwirpError, got ${String(err)}`);
    assert.equal(err.code, "malformed");
    return err;
  }
  assert.fail("decoded without an error");
}

const invalidSequences: readonly [string, number[]][] = [
  ["a lone continuation byte", [0x61, 0x80]],
  ["0xff", [0xff]],
  ["a truncated 3-byte sequence", [0xe2, 0x82]],
  ["an overlong encoding of '/'", [0xc0, 0xaf]],
  ["a UTF-16 surrogate", [0xed, 0xa0, 0x80]],
  ["a code point above U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
];

describe("invalid UTF-8 in request strings", () => {
  const cases = methodStubs.flatMap((stub) => stringPaths(stub.method.input).map((path) => ({ stub, path })));
  const bad = Buffer.from([0x61, 0xff, 0x62]);
  const good = Buffer.from("aéb");

  it("reaches thousands of string field paths across every RPC", () => {
    assert.ok(cases.length > 1000, `${cases.length} paths`);
  });

  it("is refused in binary at every string field path, naming the field", () => {
    for (const { stub, path } of cases) {
      const schema = stub.method.input;
      assert.doesNotThrow(
        () => decodeRequest(schema, Buffer.from(binaryAt(path, good)), "binary"),
        `${stub.key} ${path.name} with valid UTF-8`,
      );
      const err = malformed(() => decodeRequest(schema, Buffer.from(binaryAt(path, bad)), "binary"));
      assert.equal(err.message, `the protobuf request could not be decoded: ${path.name} contains invalid UTF-8`, `${stub.key}`);
    }
  });

  it("is refused in JSON at every string field path, naming the byte", () => {
    let checked = 0;
    for (const { stub, path } of cases) {
      const schema = stub.method.input;
      const valid = jsonAt(path, good);
      const invalid = jsonAt(path, bad);
      if (valid === undefined || invalid === undefined) continue;
      assert.doesNotThrow(() => decodeRequest(schema, valid, "json"), `${stub.key} ${path.name} with valid UTF-8: ${valid.toString()}`);
      const err = malformed(() => decodeRequest(schema, invalid, "json"));
      assert.equal(err.message, `the json request could not be decoded: invalid UTF-8 at byte ${invalid.indexOf(0xff)}`);
      checked++;
    }
    assert.ok(checked > 1000, `${checked} JSON paths`);
  });

  for (const [what, bytes] of invalidSequences) {
    it(`finds ${what} where Go's utf8.Valid does`, () => {
      const text = Buffer.concat([Buffer.from('{"name":"ok'), Buffer.from(bytes), Buffer.from('"}')]);
      assert.equal(firstInvalidUtf8(text), 11 + (bytes[0] === 0x61 ? 1 : 0));
    });
  }

  it("accepts every valid sequence, up to U+10FFFF", () => {
    const text = Buffer.from("a é € 😀 \u{10ffff} \u{d7ff} \u{e000} \u{fffd}");
    assert.equal(firstInvalidUtf8(text), -1);
  });
});

describe("invalid UTF-8 over the wire", () => {
  const t = useServer({ ports: [0] });
  const createRoom = "livekit.RoomService/CreateRoom";

  for (const [what, bytes] of invalidSequences) {
    it(`answers malformed (400) to a JSON body with ${what} in a string, then serves the next request`, async () => {
      const body = Buffer.concat([Buffer.from('{"name":"room-'), Buffer.from(bytes), Buffer.from('","metadata":"m"}')]);
      const reply = await twirp(t.url(), createRoom, body);
      assertTwirpError(reply, {
        status: 400,
        code: "malformed",
        msg: `the json request could not be decoded: invalid UTF-8 at byte ${14 + (bytes[0] === 0x61 ? 1 : 0)}`,
      });
      assert.equal((await twirp(t.url(), createRoom, { name: "room-é" })).json().name, "room-é");
    });
  }

  it("answers malformed (400) to invalid UTF-8 in a JSON key, a map key and a map value", async () => {
    for (const body of ['{"n\xffme":"r"}', '{"name":"r","tags":{"k\xff":"v"}}', '{"name":"r","tags":{"k":"v\xff"}}']) {
      const reply = await twirp(t.url(), createRoom, Buffer.from(body, "latin1"));
      assertTwirpError(reply, {
        status: 400,
        code: "malformed",
        msgStartsWith: "the json request could not be decoded: invalid UTF-8 at byte ",
      });
    }
  });

  it("answers malformed (400) to a lone UTF-16 surrogate escape, which has no UTF-8 form", async () => {
    for (const body of ['{"name":"\\ud800"}', '{"name":"r","tags":{"\\udc00":"v"}}', '{"name":"\\ud83d\\u0041"}']) {
      const reply = await twirp(t.url(), createRoom, body);
      assertTwirpError(reply, {
        status: 400,
        code: "malformed",
        msgStartsWith: "the json request could not be decoded: Lone UTF-16 surrogate \\u",
      });
    }
    assert.equal((await twirp(t.url(), createRoom, '{"name":"\\ud83d\\ude00"}')).json().name, "😀");
  });

  it("answers malformed (400) to a protobuf map value with invalid UTF-8, naming the field", async () => {
    const entry = new BinaryWriter()
      .tag(1, WireType.LengthDelimited)
      .string("k")
      .tag(2, WireType.LengthDelimited)
      .bytes(Buffer.from([0xff]))
      .finish();
    const body = new BinaryWriter().tag(1, WireType.LengthDelimited).string("r").tag(15, WireType.LengthDelimited).bytes(entry).finish();
    const reply = await twirp(t.url(), createRoom, body, { codec: "binary" });
    assertTwirpError(reply, {
      status: 400,
      code: "malformed",
      msg: "the protobuf request could not be decoded: map value of livekit.CreateRoomRequest.tags contains invalid UTF-8",
    });
  });
});
