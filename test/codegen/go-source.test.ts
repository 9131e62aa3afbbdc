// The Go source readers: what they read from gofmt'ed code, and that a table that is gone is an
// error naming it rather than an empty result.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  goFunction,
  goMapEntries,
  goStringConstants,
  goStructJsonFields,
  goSwitchReturns,
  isGoSourceError,
} from "../../codegen/go-source.js";

const source = `package x

var table = map[Code]codes.Code{
	// a comment
	Code_A: codes.NotFound,
	Code_B:   codes.Aborted,
}

func Convert(code codes.Code) twirp.ErrorCode {
	switch code {
	case codes.OK:
		return twirp.NoError
	default:
		return twirp.Unknown
	}
}

const (
	EventOne = "one"
	EventTwo = "two"
	Other    = "other"
)
`;

describe("Go source readers", () => {
  test("map entries with their prefixes removed", () => {
    assert.deepEqual(
      goMapEntries(source, "table", "Code_", "codes."),
      new Map([
        ["A", "NotFound"],
        ["B", "Aborted"],
      ]),
    );
  });

  test("a function's text, and the case/return pairs of its switch", () => {
    const text = goFunction(source, "Convert(");
    assert.ok(text.startsWith("func Convert(") && text.endsWith("\n}"));
    assert.deepEqual(goSwitchReturns(text, "codes.", "twirp."), new Map([["OK", "NoError"]]));
  });

  test("string constants by prefix, in source order", () => {
    assert.deepEqual(goStringConstants(source, "Event"), ["one", "two"]);
  });

  test('struct fields by JSON name; untagged and json:"-" fields are not part of the JSON', () => {
    const structs = goStructJsonFields(
      'type G struct {\n\tA bool `json:"a,omitempty"`\n\tB []string `json:"b"`\n\tC int `json:"-"`\n\tD int\n}\n',
    );
    assert.deepEqual(structs.get("G"), [
      { json: "a", goType: "bool" },
      { json: "b", goType: "[]string" },
    ]);
  });

  test("a map, function or switch that is not there is a GoSourceError naming it", () => {
    const fails = (run: () => unknown, message: RegExp): void =>
      assert.throws(run, (err: unknown) => isGoSourceError(err) && message.test((err as Error).message));
    fails(() => goMapEntries(source, "missing", "Code_", "codes."), /no map literal missing found/);
    fails(() => goMapEntries(source, "table", "Other_", "codes."), /has no Other_…: codes\.… entries/);
    fails(() => goFunction(source, "Missing("), /no func Missing\( found/);
    fails(() => goSwitchReturns("func F() {}", "codes.", "twirp."), /no case codes\.…: return twirp\.… found/);
  });
});
