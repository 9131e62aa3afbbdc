import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseSignalMock, SignalMockError, signalModes } from "../../src/signal/attribute/signal-mode.js";

function refused(raw: string): string {
  try {
    parseSignalMock(raw);
  } catch (err) {
    assert.ok(err instanceof SignalMockError);
    assert.match(err.message, /^invalid lk\.mock attribute: /);
    return err.message;
  }
  assert.fail(`${raw} was accepted`);
}

describe("the lk.mock attribute", () => {
  test("an absent or empty attribute means happy with leave action 0", () => {
    assert.deepEqual(parseSignalMock(undefined), { mode: "happy", leaveAction: 0 });
    assert.deepEqual(parseSignalMock(""), { mode: "happy", leaveAction: 0 });
  });

  test("every mode of the original is accepted by its exact name", () => {
    assert.equal(signalModes.length, 13);
    for (const mode of signalModes) assert.equal(parseSignalMock(JSON.stringify({ signal: mode })).mode, mode);
  });

  test("an object without a signal, or with a null or empty one, means happy as in the original", () => {
    assert.deepEqual(parseSignalMock("{}"), { mode: "happy", leaveAction: 0 });
    assert.equal(parseSignalMock('{"signal":null}').mode, "happy");
    assert.equal(parseSignalMock('{"signal":""}').mode, "happy");
  });

  test("leaveAction accepts an integer as-is, even outside the enum", () => {
    assert.equal(parseSignalMock('{"signal":"leave_first_message","leaveAction":2}').leaveAction, 2);
    assert.equal(parseSignalMock('{"leaveAction":7}').leaveAction, 7);
    assert.equal(parseSignalMock('{"leaveAction":-1}').leaveAction, -1);
    assert.equal(parseSignalMock('{"leaveAction":2147483647}').leaveAction, 2147483647);
    assert.equal(parseSignalMock('{"leaveAction":-2147483648}').leaveAction, -2147483648);
  });

  test("leaveAction accepts a name in any case", () => {
    assert.equal(parseSignalMock('{"leaveAction":"DISCONNECT"}').leaveAction, 0);
    assert.equal(parseSignalMock('{"leaveAction":"resume"}').leaveAction, 1);
    assert.equal(parseSignalMock('{"leaveAction":"Reconnect"}').leaveAction, 2);
  });

  test("a null leaveAction is 0", () => {
    assert.equal(parseSignalMock('{"signal":"leave_first_message","leaveAction":null}').leaveAction, 0);
  });

  test("keys match case-insensitively like Go's encoding/json", () => {
    assert.deepEqual(parseSignalMock('{"Signal":"no_pong","LEAVEACTION":"resume"}'), { mode: "no_pong", leaveAction: 1 });
  });

  test("text that is not JSON is refused", () => {
    assert.match(refused("happy"), /"happy" is not JSON/);
    assert.match(refused("{signal:happy}"), /is not JSON/);
    assert.match(refused(" "), /is not JSON/);
  });

  test("JSON that is not an object is refused", () => {
    assert.match(refused('"happy"'), /expected a JSON object/);
    assert.match(refused("null"), /expected a JSON object/);
    assert.match(refused('["happy"]'), /expected a JSON object/);
  });

  test("an unknown mode is refused with the closest name", () => {
    assert.match(refused('{"signal":"hapy"}'), /unknown signal mode "hapy" \(did you mean "happy"\?\); modes are happy, /);
    assert.match(refused('{"signal":"HAPPY"}'), /unknown signal mode "HAPPY" \(did you mean "happy"\?\)/);
    assert.match(refused('{"signal":"close_when_conected"}'), /did you mean "close_when_connected"/);
  });

  test("a signal that is not a string is refused", () => {
    assert.match(refused('{"signal":1}'), /signal must be a string naming a mode, got 1/);
    assert.match(refused('{"signal":{"mode":"happy"}}'), /signal must be a string/);
  });

  test("an unknown key is refused with the closest name", () => {
    assert.match(
      refused('{"signal":"happy","leave_action":2}'),
      /unknown key "leave_action" \(did you mean "leaveAction"\?\); keys are signal, leaveAction/,
    );
    assert.match(refused('{"mode":"happy"}'), /unknown key "mode"/);
  });

  test("a leaveAction of the wrong type is refused", () => {
    assert.match(refused('{"leaveAction":true}'), /leaveAction must be an int32 or one of DISCONNECT, RESUME, RECONNECT, got true/);
    assert.match(refused('{"leaveAction":1.5}'), /got 1\.5/);
    assert.match(refused('{"leaveAction":{}}'), /got \{\}/);
    assert.match(refused('{"leaveAction":[2]}'), /leaveAction must be/);
  });

  test("a leaveAction Go cannot decode as an int32 is refused even when it looks integral", () => {
    assert.match(refused('{"leaveAction":1.0}'), /got 1\.0/);
    assert.match(refused('{"leaveAction":2e0}'), /got 2e0/);
    assert.match(refused('{"leaveAction":2147483648}'), /got 2147483648/);
    assert.match(refused('{"signal":"leave_first_message","nested":{"leaveAction":1},"leaveAction":1.0}'), /unknown key "nested"/);
    assert.equal(parseSignalMock('{"signal":"leave_first_message","leaveAction":1.5,"leaveAction":1}').leaveAction, 1);
  });

  test("an unknown leaveAction name is refused with the closest name", () => {
    assert.match(
      refused('{"leaveAction":"RECONECT"}'),
      /unknown leaveAction "RECONECT" \(did you mean "RECONNECT"\?\); use DISCONNECT, RESUME, RECONNECT or an integer/,
    );
    assert.match(refused('{"leaveAction":"2"}'), /unknown leaveAction "2"/);
  });
});
