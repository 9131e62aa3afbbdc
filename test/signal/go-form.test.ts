import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { signalToken } from "../../src/signal/handshake/admit-signal.js";
import { formValue, parseQuery, queryOf } from "../../src/signal/handshake/go-form.js";

describe("signal request parameters", () => {
  test("the query is read like Go's url.ParseQuery", () => {
    const query = parseQuery("a=1&a=2&b=x+y%21&c&bad=%zz&semi=1;2&=empty&d=%E2%9C%93");
    assert.deepEqual(query.get("a"), ["1", "2"]);
    assert.deepEqual(query.get("b"), ["x y!"]);
    assert.deepEqual(query.get("c"), [""]);
    assert.equal(query.has("bad"), false);
    assert.equal(query.has("semi"), false);
    assert.deepEqual(query.get(""), ["empty"]);
    assert.deepEqual(query.get("d"), ["✓"]);
  });

  test("reconnect is the first query value", () => {
    assert.equal(formValue(queryOf("/rtc?reconnect=1&reconnect=0"), "reconnect"), "1");
    assert.equal(formValue(queryOf("/rtc?reconnect=true"), "reconnect"), "true");
    assert.equal(formValue(queryOf("/rtc"), "reconnect"), "");
  });

  test("the token is the access_token value, else the Authorization header without Bearer", () => {
    assert.equal(signalToken(queryOf("/rtc?access_token=abc"), "Bearer def"), "abc");
    assert.equal(signalToken(queryOf("/rtc?access_token="), "Bearer  def "), "def");
    assert.equal(signalToken(queryOf("/rtc"), "def"), "def");
    assert.equal(signalToken(queryOf("/rtc"), "bearer def"), "bearer def");
    assert.equal(signalToken(queryOf("/rtc"), undefined), "");
  });
});
