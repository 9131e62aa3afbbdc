// The fuzzer's judge, judged: it must flag what must never happen (a stack trace or file path in a
// body, a 5xx nobody asked for, a refusal that is not a Twirp error or does not say why) and let
// through what is documented, or a fuzzing run that finds nothing would prove nothing.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { answerProblems } from "./invariants.js";
import type { Answer, RawRequest } from "./raw-http.js";

function answer(status: number, body: string, contentType = "application/json"): Answer {
  return { kind: "response", status, headers: new Map([["content-type", [contentType]]]), body: Buffer.from(body) };
}

const plain: RawRequest = {
  method: "POST",
  target: "/twirp/livekit.RoomService/ListRooms",
  headers: [["Content-Type", "application/json"]],
  body: Buffer.from("{}"),
};
const controlled = (control: string): RawRequest => ({ ...plain, headers: [...plain.headers, ["X-Lk-Mock", control]] });

describe("the fuzzing invariants", () => {
  it("flag a stack trace or a server path in a body", () => {
    const trace =
      '{"code":"malformed","msg":"the json request could not be decoded: x\\n    at readJson (file:///srv/app/dist/read-json.js:10:5)"}';
    assert.notDeepEqual(answerProblems({ request: plain, answer: answer(400, trace) }), []);
    const path = `{"code":"malformed","msg":"the json request could not be decoded: cannot open ${process.cwd()}/x"}`;
    assert.notDeepEqual(answerProblems({ request: plain, answer: answer(400, path) }), []);
  });

  it("let through a path the request sent itself, echoed back", () => {
    const request: RawRequest = { ...plain, body: Buffer.from('{"name":"/work/x/y.ts:1:2"}') };
    assert.deepEqual(answerProblems({ request, answer: answer(200, '{"name":"/work/x/y.ts:1:2"}') }), []);
  });

  it("flag a 5xx nobody asked for, and let a control's own failure through", () => {
    assert.notDeepEqual(
      answerProblems({ request: plain, answer: answer(500, '{"code":"internal","msg":"mock: internal error (see the server log)"}') }),
      [],
    );
    assert.deepEqual(
      answerProblems({
        request: controlled('{"failRegions":[0]}'),
        answer: answer(503, '{"code":"unavailable","msg":"mock failure (status 503)"}'),
      }),
      [],
    );
    assert.notDeepEqual(
      answerProblems({ request: plain, answer: answer(503, '{"code":"unavailable","msg":"mock failure (status 503)"}') }),
      [],
    );
  });

  it("flag a refusal under the Twirp prefix that is not a Twirp error, or that does not say why", () => {
    assert.notDeepEqual(answerProblems({ request: plain, answer: answer(400, "Bad Request", "text/plain") }), []);
    assert.notDeepEqual(answerProblems({ request: plain, answer: answer(400, '{"code":"malformed","msg":"x","extra":1}') }), []);
    assert.notDeepEqual(
      answerProblems({ request: plain, answer: answer(400, '{"code":"malformed","msg":"the json request could not be decoded"}') }),
      [],
    );
    assert.deepEqual(
      answerProblems({ request: plain, answer: answer(400, '{"code":"malformed","msg":"the json request could not be decoded: x"}') }),
      [],
    );
  });

  it("flag a timeout or a closed connection unless a control asked for it", () => {
    assert.notDeepEqual(answerProblems({ request: plain, answer: { kind: "timeout" } }), []);
    assert.deepEqual(answerProblems({ request: controlled('{"failRegions":[0],"failMode":"hang"}'), answer: { kind: "timeout" } }), []);
    assert.notDeepEqual(answerProblems({ request: plain, answer: { kind: "closed", partial: Buffer.alloc(0) } }), []);
    assert.deepEqual(
      answerProblems({ request: controlled('{"failMode":"drop"}'), answer: { kind: "closed", partial: Buffer.alloc(0) } }),
      [],
    );
  });
});
