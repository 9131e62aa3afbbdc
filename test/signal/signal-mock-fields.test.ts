// The fields lk.mock gained beyond the original: what the reader accepts, how it normalizes them,
// and every refusal, with the name of the field and the closest valid name.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { LeaveRequest_Action, RequestResponse_Reason } from "../../generated/livekit_rtc_pb.js";
import { maxAttributeDepth } from "../../src/signal/attribute/attribute-json.js";
import { signalMockAttributes } from "../../src/signal/attribute/signal-attribute.js";
import { parseSignalMock, SignalMockError } from "../../src/signal/attribute/signal-mode.js";
import { malformedMocks } from "./malformed-mocks.js";

function problem(raw: string): string {
  try {
    parseSignalMock(raw);
  } catch (err) {
    assert.ok(err instanceof SignalMockError, String(err));
    assert.match(err.message, /^invalid lk\.mock attribute: /);
    return err.message.slice("invalid lk.mock attribute: ".length);
  }
  assert.fail(`${raw} was accepted`);
}

const nested = (depth: number): string => `{"signal":"happy","x":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;

describe("the fields lk.mock adds", () => {
  test("are all optional: the original's values read exactly as before", () => {
    assert.deepEqual(parseSignalMock('{"signal":"leave_when_connected","leaveAction":"RECONNECT"}'), {
      mode: "leave_when_connected",
      leaveAction: 2,
    });
  });

  test("join shaping is kept as given, with null as absent", () => {
    const mock = parseSignalMock(
      JSON.stringify({ joinDelayMs: 250, pingInterval: 2, pingTimeout: 0, join: { room: { metadata: "m" } }, journal: null }),
    );
    assert.deepEqual(mock, {
      mode: "happy",
      leaveAction: 0,
      joinDelayMs: 250,
      pingInterval: 2,
      pingTimeout: 0,
      join: { room: { metadata: "m" } },
    });
  });

  test("a script becomes timed actions in its order", () => {
    const mock = parseSignalMock(
      JSON.stringify({
        script: [
          { afterMs: 0, send: { refreshToken: "t" } },
          { afterMs: 0, send: { leave: { action: "RECONNECT", reason: "MIGRATION" } } },
          { afterMs: 10, close: { code: 4000, reason: "bye" } },
        ],
      }),
    );
    const [first, second, third] = mock.script!;
    assert.deepEqual([first!.afterMs, first!.action.kind], [0, "send"]);
    assert.equal(first!.action.kind === "send" && first!.action.message.message.case, "refreshToken");
    assert.equal(
      second!.action.kind === "send" && second!.action.message.message.case === "leave" && second!.action.message.message.value.action,
      LeaveRequest_Action.RECONNECT,
    );
    assert.deepEqual(third, { afterMs: 10, action: { kind: "close", code: 4000, reason: "bye" } });
    assert.deepEqual(parseSignalMock('{"script":[{"afterMs":5,"close":{}}]}').script, [
      { afterMs: 5, action: { kind: "close", code: undefined, reason: "" } },
    ]);
    assert.deepEqual(parseSignalMock('{"script":[{"afterMs":5,"drop":true}]}').script, [{ afterMs: 5, action: { kind: "drop" } }]);
  });

  test("a step's own keys match in any case; protojson takes either field name", () => {
    const mock = parseSignalMock('{"SCRIPT":[{"AfterMs":1,"Send":{"room_update":{"room":{"num_participants":2}}}}]}');
    const action = mock.script![0]!.action;
    assert.equal(
      action.kind === "send" && action.message.message.case === "roomUpdate" && action.message.message.value.room?.numParticipants,
      2,
    );
  });

  test("replies map request kinds (either name) to a reply or null", () => {
    const mock = parseSignalMock(
      JSON.stringify({ replies: { update_metadata: { requestResponse: { reason: "NOT_ALLOWED", message: "no" } }, ping: null } }),
    );
    const reply = mock.replies!.get("updateMetadata");
    assert.equal(reply?.message.case === "requestResponse" && reply.message.value.reason, RequestResponse_Reason.NOT_ALLOWED);
    assert.equal(mock.replies!.get("ping"), null);
    assert.equal(mock.replies!.has("leave"), false);
  });

  test("steps at equal times are accepted, in their order", () => {
    const mock = parseSignalMock(
      JSON.stringify({
        script: [
          { afterMs: 5, send: { refreshToken: "a" } },
          { afterMs: 5, send: { refreshToken: "b" } },
        ],
      }),
    );
    assert.deepEqual(
      mock.script!.map((s) => s.action.kind === "send" && s.action.message.message.value),
      ["a", "b"],
    );
  });

  describe("refusals", () => {
    for (const [name, mock, message] of malformedMocks) {
      test(name, () => {
        assert.match(problem(typeof mock === "string" ? mock : JSON.stringify(mock)), message);
      });
    }
  });

  test(`nesting deeper than ${maxAttributeDepth} levels is refused before it is read, at any depth`, () => {
    assert.match(problem(nested(maxAttributeDepth)), /^unknown key "x"/);
    for (const depth of [maxAttributeDepth + 1, 5_000, 200_000]) {
      assert.match(problem(nested(depth)), new RegExp(`^the value nests deeper than ${maxAttributeDepth} levels \\(at character \\d+\\)$`));
    }
    // Unbalanced and not JSON at all: still the nesting that is named, not a stack overflow.
    assert.match(problem("[".repeat(100_000)), /nests deeper than 64 levels/);
  });

  test("a huge value is quoted in part, not echoed whole", () => {
    const message = problem(JSON.stringify({ signal: "x".repeat(100_000) }));
    assert.ok(message.length < 1_000, `${message.length} characters`);
  });
});

describe("the typed helper", () => {
  test("builds the attribute with the new fields, checked by the server's parser", () => {
    const attributes = signalMockAttributes({
      signal: "happy",
      joinDelayMs: 100,
      script: [{ afterMs: 100, send: { roomUpdate: { room: { metadata: "m" } } } }],
      replies: { updateMetadata: { requestResponse: { reason: "NOT_ALLOWED" } } },
      journal: "helper",
    });
    assert.deepEqual(Object.keys(attributes), ["lk.mock"]);
    assert.equal(parseSignalMock(attributes["lk.mock"]).journal, "helper");
  });

  test("throws SignalMockError on a malformed script", () => {
    assert.throws(() => signalMockAttributes({ script: [{ afterMs: 1 }] }), SignalMockError);
    assert.throws(
      () => signalMockAttributes({ script: [{ afterMs: 1, send: { roomUpdate: { room: { metdata: "x" } } } }] }),
      /did you mean "metadata"/,
    );
  });
});

describe("any value", () => {
  // A seeded generator, so a failure names a case that can be replayed.
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
  }

  const valid: Record<string, unknown> = {
    signal: "leave_when_connected",
    leaveAction: "RECONNECT",
    joinDelayMs: 10,
    pingInterval: 1,
    join: { room: { metadata: "m", numParticipants: 2 }, otherParticipants: [{ identity: "bob", state: "ACTIVE" }] },
    script: [
      { afterMs: 0, send: { roomUpdate: { room: { metadata: "x" } } } },
      { afterMs: 5, send: { leave: { action: "RECONNECT", regions: { regions: [{ region: "r" }] } } } },
      { afterMs: 9, close: { code: 4000, reason: "r" } },
    ],
    replies: { updateMetadata: { requestResponse: { reason: "NOT_ALLOWED" } }, ping: null },
    journal: "k",
  };

  function mutate(value: unknown, next: () => number, depth = 0): unknown {
    const pick = next();
    const leaves: unknown[] = [
      null,
      true,
      false,
      0,
      -1,
      1.5,
      2 ** 31,
      1e300,
      "",
      "x",
      "RECONNECT",
      "__proto__",
      [],
      {},
      [[[]]],
      { a: { b: {} } },
    ];
    if (pick < 0.15 || depth > 6) return leaves[Math.floor(next() * leaves.length)];
    if (Array.isArray(value)) return value.filter(() => next() > 0.2).map((item) => (next() < 0.5 ? mutate(item, next, depth + 1) : item));
    if (value !== null && typeof value === "object") {
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        const roll = next();
        if (roll < 0.1) continue;
        const name = roll < 0.2 ? `${key}x` : roll < 0.25 ? key.toUpperCase() : key;
        out[name] = next() < 0.5 ? mutate(item, next, depth + 1) : item;
      }
      return out;
    }
    return leaves[Math.floor(next() * leaves.length)];
  }

  test("is read or refused with SignalMockError, never another error (3,000 mutations of a full value)", () => {
    const next = random(20_261_129);
    for (let i = 0; i < 3_000; i++) {
      const text = JSON.stringify(mutate(valid, next));
      try {
        parseSignalMock(text);
      } catch (err) {
        assert.ok(err instanceof SignalMockError, `case ${i}: ${text} threw ${String(err)}`);
      }
    }
  });
});
