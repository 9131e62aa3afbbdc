// lk.mock values the server refuses, each with what the refusal must say. Shared by the parser's
// unit test and the wire test that sends each through validate and a raw WebSocket handshake.
const step = { afterMs: 100, send: { roomUpdate: { room: { metadata: "m" } } } };

export const malformedMocks: readonly (readonly [string, Record<string, unknown> | string, RegExp])[] = [
  // script
  ["a script that is not a list", { script: { afterMs: 1 } }, /^script must be an array, got \{"afterMs":1\}$/],
  ["a step that is not an object", { script: [1] }, /^script\[0\] must be an object, got 1$/],
  ["a step without afterMs", { script: [{ send: step.send }] }, /^script\[0\] needs afterMs$/],
  ["a step that does nothing", { script: [{ afterMs: 1 }] }, /^script\[0\] must have exactly one of send, close, drop, has none$/],
  ["a step that does two things", { script: [{ afterMs: 1, send: step.send, drop: true }] }, /has send and drop$/],
  [
    "a misspelt step key",
    { script: [{ aftrMs: 1, drop: true }] },
    /^unknown key "aftrMs" in script\[0\] \(did you mean "afterMs"\?\); keys are afterMs, send, close, drop$/,
  ],
  ["a negative afterMs", { script: [{ afterMs: -1, drop: true }] }, /^script\[0\]\.afterMs must be an integer from 0 to 3600000, got -1$/],
  [
    "an afterMs written 1.0",
    '{"script":[{"afterMs":1.0,"drop":true}]}',
    /^script\[0\]\.afterMs must be an integer from 0 to 3600000, got 1\.0$/,
  ],
  ["an afterMs in quotes", { script: [{ afterMs: "100", drop: true }] }, /got "100"$/],
  ["an afterMs over an hour", { script: [{ afterMs: 3_600_001, drop: true }] }, /got 3600001$/],
  [
    "steps out of time order",
    { script: [step, { ...step, afterMs: 50 }] },
    /^script\[1\]\.afterMs 50 is earlier than script\[0\]\.afterMs 100; list steps in time order$/,
  ],
  [
    "a step after a close",
    { script: [{ afterMs: 1, close: { code: 4000 } }, step] },
    /^script\[1\] comes after the connection ends at script\[0\] and would never run$/,
  ],
  ["a step after a drop", { script: [{ afterMs: 1, drop: true }, step] }, /^script\[1\] comes after the connection ends at script\[0\]/],
  ["drop: false", { script: [{ afterMs: 1, drop: false }] }, /^script\[0\]\.drop must be true, got false$/],
  [
    "a close code no endpoint may send",
    { script: [{ afterMs: 1, close: { code: 1005 } }] },
    /^script\[0\]\.close\.code 1005 cannot be sent; use 1000–1003, 1007–1014 or 3000–4999$/,
  ],
  ["a reserved close code", { script: [{ afterMs: 1, close: { code: 2000 } }] }, /close\.code 2000 cannot be sent/],
  [
    "a close code below 1000",
    { script: [{ afterMs: 1, close: { code: 999 } }] },
    /^script\[0\]\.close\.code must be an integer from 1000 to 4999, got 999$/,
  ],
  ["a close reason without a code", { script: [{ afterMs: 1, close: { reason: "bye" } }] }, /^script\[0\]\.close has a reason but no code/],
  [
    "a close reason over 123 bytes",
    { script: [{ afterMs: 1, close: { code: 4000, reason: "é".repeat(62) } }] },
    /^script\[0\]\.close\.reason must be a string of at most 123 bytes of UTF-8/,
  ],
  [
    "a misspelt close key",
    { script: [{ afterMs: 1, close: { cod: 4000 } }] },
    /^unknown key "cod" in script\[0\]\.close \(did you mean "code"\?\)/,
  ],
  [
    "an unknown message kind",
    { script: [{ afterMs: 1, send: { romUpdate: {} } }] },
    /^unknown field "romUpdate" in script\[0\]\.send \(protojson livekit\.SignalResponse\) \(did you mean "roomUpdate"\?\)$/,
  ],
  [
    "a misspelt field deep in a message",
    { script: [{ afterMs: 1, send: { roomUpdate: { room: { metdata: "x" } } } }] },
    /^unknown field "metdata" in script\[0\]\.send\.roomUpdate\.room \(protojson livekit\.Room\) \(did you mean "metadata"\?\)$/,
  ],
  [
    "a message of two kinds",
    { script: [{ afterMs: 1, send: { roomUpdate: {}, update: {} } }] },
    /^script\[0\]\.send sets both "roomUpdate" and "update", members of the oneof message; set one$/,
  ],
  ["a message of no kind", { script: [{ afterMs: 1, send: {} }] }, /^script\[0\]\.send sets no message; a SignalResponse carries one/],
  [
    "a field of the wrong type",
    { script: [{ afterMs: 1, send: { roomUpdate: { room: { numParticipants: "x" } } } }] },
    /^script\[0\]\.send does not decode into livekit\.SignalResponse: .*num_participants/,
  ],
  [
    "a misspelt enum name",
    { script: [{ afterMs: 1, send: { leave: { action: "RECONECT" } } }] },
    /^script\[0\]\.send\.leave\.action has unknown livekit\.LeaveRequest\.Action value "RECONECT" \(did you mean "RECONNECT"\?\)/,
  ],
  [
    "a message that is not an object",
    { script: [{ afterMs: 1, send: "roomUpdate" }] },
    /^script\[0\]\.send must be a JSON object \(protojson livekit\.SignalResponse\), got "roomUpdate"$/,
  ],
  ["a key repeated in a step", '{"script":[{"afterMs":1,"afterMs":2,"drop":true}]}', /^script\[0\] repeats key "afterMs"$/],
  [
    "a key repeated in a message",
    '{"script":[{"afterMs":1,"send":{"roomUpdate":{},"roomUpdate":{}}}]}',
    /^script\[0\]\.send repeats key "roomUpdate"$/,
  ],
  [
    "a script in a mode that ends by itself",
    { signal: "close_when_connected", script: [step] },
    /^script has no effect in signal mode close_when_connected \(a close or drop step in a happy script does the same\)/,
  ],
  [
    "a script in a mode without a join",
    { signal: "no_first_message", script: [step] },
    /^script has no effect in signal mode no_first_message; it works with happy, /,
  ],
  // replies
  [
    "a misspelt request kind",
    { replies: { updateMetdata: null } },
    /^unknown SignalRequest kind "updateMetdata" in replies \(did you mean "updateMetadata"\?\); kinds are offer, answer, /,
  ],
  ["replies that are not an object", { replies: [] }, /^replies must be an object keyed by SignalRequest kinds, got \[\]$/],
  ["a reply of no kind", { replies: { updateMetadata: {} } }, /^replies\.updateMetadata sets no message/],
  [
    "a kind given under both its names",
    { replies: { updateMetadata: null, update_metadata: null } },
    /^replies sets updateMetadata twice \("updateMetadata" and "update_metadata"\)$/,
  ],
  ["a ping reply in no_pong", { signal: "no_pong", replies: { ping: { pong: 1 } } }, /^replies\.ping contradicts signal mode no_pong/],
  [
    "replies in a mode that reads nothing",
    { signal: "leave_first_message", replies: { ping: null } },
    /^replies has no effect in signal mode leave_first_message/,
  ],
  // join shaping
  [
    "a misspelt join field",
    { join: { otherParticipant: [] } },
    /^unknown field "otherParticipant" in join \(protojson livekit\.JoinResponse\) \(did you mean "otherParticipants"\?\)$/,
  ],
  ["a join that is not an object", { join: [] }, /^join must be a JSON object \(protojson livekit\.JoinResponse\), got \[\]$/],
  ["a negative pingInterval", { pingInterval: -1 }, /^pingInterval must be an integer from 0 to 2147483647, got -1$/],
  ["a pingTimeout in quotes", { pingTimeout: "3" }, /^pingTimeout must be an integer from 0 to 2147483647, got "3"$/],
  ["a joinDelayMs over an hour", { joinDelayMs: 3_600_001 }, /^joinDelayMs must be an integer from 0 to 3600000, got 3600001$/],
  [
    "a join delay in a mode without a join",
    { signal: "no_first_message", joinDelayMs: 10 },
    /^joinDelayMs has no effect in signal mode no_first_message, which sends no join/,
  ],
  [
    "pingInterval both on top and in join",
    { pingInterval: 2, join: { pingInterval: 3 } },
    /^pingInterval is set twice: at the top level and in join$/,
  ],
  // journal and the object itself
  ["a journal key with a space", { journal: "a b" }, /^journal must be a string matching /],
  ["a new field repeated", '{"script":[],"script":[]}', /^the attribute repeats key "script"$/],
  ["a new field in two cases", '{"script":[],"Script":[]}', /^sets script twice \("script" and "Script"\)$/],
  [
    "a misspelt new field",
    { scrpit: [] },
    /^unknown key "scrpit" \(did you mean "script"\?\); keys are signal, leaveAction, joinDelayMs, /,
  ],
];
