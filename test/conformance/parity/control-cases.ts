// The control protocol (REFERENCE §4): each X-Lk-Mock field and legacy header, their overlay,
// the pipeline order, and the inputs the original silently ignores (tagged `control:invalid`,
// with the well-formed case the original treats them as in `baseline`).
import { twirpCase, type TwirpCaseInput } from "./case-builder.js";
import type { ParityCase } from "./parity-case.js";

const createRoom = "livekit.RoomService/CreateRoom";
const listRooms = "livekit.RoomService/ListRooms";
const dial = "livekit.SIP/CreateSIPParticipant";
const transfer = "livekit.SIP/TransferSIPParticipant";
const unknownKey = "livekit.RoomService/NoSuchMethod";
const roomRequest = { name: "fail-room" };
const dialRequest = { sipTrunkId: "ST_abc", sipCallTo: "+15551234567", roomName: "call-room", participantIdentity: "caller" };

type Input = Omit<TwirpCaseInput, "group" | "key" | "request"> & Partial<Pick<TwirpCaseInput, "key" | "request">>;

function on(group: string, defaults: { key: string; request: TwirpCaseInput["request"] }) {
  return (input: Input): ParityCase => twirpCase({ key: defaults.key, request: defaults.request, ...input, group });
}

/** Ids other cases name as their baseline. */
export const baselines = {
  plain: "CreateRoom without control",
  failRegion0: "failRegions [0] on region 0",
  noTokenNoSkip: "skipAuth false without a token",
  sipCode0: "sipStatus code 0",
  sipCode0WithStatus: "sipStatus code 0 with a status",
  sip486: "sipStatus 486 without status",
  regions: "/settings/regions GET region 0",
} as const;

export function controlCases(): ParityCase[] {
  return [
    ...failRegionCases(),
    ...failStatusCases(),
    ...delayCases(),
    ...responseCases(),
    ...skipAuthCases(),
    ...sipStatusCases(),
    ...pinnedCases(),
    ...legacyCases(),
    ...invalidControlCases(),
  ];
}

function failRegionCases(): ParityCase[] {
  const c = on("control: failRegions and failMode", { key: createRoom, request: roomRequest });
  return [
    c({ id: baselines.plain }),
    c({ id: baselines.failRegion0, control: { failRegions: [0] } }),
    c({ id: "failRegions [1] on region 0", control: { failRegions: [1] } }),
    c({ id: "failRegions [1] on region 1", control: { failRegions: [1] }, region: 1 }),
    c({ id: "failRegions [0,1,2,3] on region 3", control: { failRegions: [0, 1, 2, 3] }, region: 3 }),
    c({ id: "failRegions []", control: { failRegions: [] } }),
    c({ id: "failRegions [-1, 7] match no region", control: { failRegions: [-1, 7] } }),
    c({ id: "failRegions [0] protobuf", control: { failRegions: [0] }, codec: "binary" }),
    c({ id: "field names in another case (FailRegions, FailStatus)", control: { FailRegions: [0], FailStatus: 429 } }),
    c({ id: "failRegions [0] is checked after auth", control: { failRegions: [0] }, token: null }),
    c({ id: "failMode drop", control: { failRegions: [0], failMode: "drop" } }),
    c({ id: "failMode DROP (case-insensitive)", control: { failRegions: [0], failMode: "DROP" } }),
    c({ id: "failMode drop on a region that does not fail", control: { failRegions: [1], failMode: "drop" } }),
    c({ id: "failMode status", control: { failRegions: [0], failMode: "status" } }),
    c({ id: "failMode Status (case-insensitive)", control: { failRegions: [0], failMode: "Status", failStatus: 429 } }),
    c({
      id: "failMode delay sleeps X-Lk-Mock-Delay-Ms, then fails as status",
      control: { failRegions: [0], failMode: "delay", failStatus: 500 },
      headers: { "X-Lk-Mock-Delay-Ms": "100" },
      minDelayMs: 100,
    }),
    c({
      id: "failMode delay on a region that does not fail",
      control: { failRegions: [2], failMode: "delay" },
      headers: { "X-Lk-Mock-Delay-Ms": "100" },
      minDelayMs: 100,
    }),
  ];
}

function failStatusCases(): ParityCase[] {
  const c = on("control: failStatus and failTwirpCode", { key: createRoom, request: roomRequest });
  // A 1xx is interim in Go's net/http (101 aside): the parity exchange records each interim answer.
  const statuses = [
    100, 101, 102, 103, 199, 200, 204, 302, 304, 400, 401, 403, 404, 408, 409, 412, 429, 451, 499, 500, 501, 502, 503, 504, 599,
  ];
  return [
    ...statuses.map((status) => c({ id: `failStatus ${status}`, control: { failRegions: [0], failStatus: status } })),
    c({ id: "failStatus 200 protobuf", control: { failRegions: [0], failStatus: 200 }, codec: "binary" }),
    c({
      id: "failTwirpCode already_exists with failStatus 409",
      control: { failRegions: [0], failStatus: 409, failTwirpCode: "already_exists" },
    }),
    c({
      id: "failTwirpCode resource_exhausted with the default status",
      control: { failRegions: [0], failTwirpCode: "resource_exhausted" },
    }),
    c({ id: "failTwirpCode not_a_code is used verbatim", control: { failRegions: [0], failTwirpCode: "not_a_code" } }),
    c({ id: "failTwirpCode empty derives the code", control: { failRegions: [0], failStatus: 404, failTwirpCode: "" } }),
    c({ id: "failTwirpCode with HTML characters", control: { failRegions: [0], failTwirpCode: "<b>&</b>" } }),
    c({ id: "failTwirpCode canceled with failStatus 200", control: { failRegions: [0], failStatus: 200, failTwirpCode: "canceled" } }),
    c({ id: "failTwirpCode without failRegions does nothing", control: { failTwirpCode: "aborted", failStatus: 409 } }),
  ];
}

function delayCases(): ParityCase[] {
  const c = on("control: delayMs", { key: createRoom, request: roomRequest });
  return [
    c({ id: "delayMs 150", control: { delayMs: 150 }, minDelayMs: 150 }),
    c({ id: "delayMs 0", control: { delayMs: 0 } }),
    c({ id: "delayMs -5", control: { delayMs: -5 } }),
    c({ id: "delayMs null", control: { delayMs: null } }),
    c({ id: "delayMs 150 then failRegions", control: { delayMs: 150, failRegions: [0] }, minDelayMs: 150 }),
    c({ id: "delayMs 150 on region 3", control: { delayMs: 150 }, region: 3, minDelayMs: 150 }),
    c({ id: "delayMs 600 is not waited before an auth failure", control: { delayMs: 600 }, token: null, minDelayMs: 500 }),
    c({ id: "delayMs 600 is not waited before a 451", control: { delayMs: 600, pinnedRegions: ["region-1"] }, minDelayMs: 500 }),
    c({ id: "delayMs 150 on an unknown key", key: unknownKey, request: {}, control: { delayMs: 150 }, minDelayMs: 150 }),
    c({
      id: "CreateSIPParticipant without wait_until_answered has no natural latency",
      key: dial,
      request: dialRequest,
      minDelayMs: 2000,
    }),
    c({
      id: "delayMs 100 replaces TransferSIPParticipant's natural latency",
      key: transfer,
      request: { participantIdentity: "caller", roomName: "call-room", transferTo: "tel:+15557654321" },
      control: { delayMs: 100 },
      minDelayMs: 100,
    }),
    c({
      id: "delayMs 100 replaces CreateSIPParticipant's natural latency",
      key: dial,
      request: { ...dialRequest, waitUntilAnswered: true },
      control: { delayMs: 100 },
      minDelayMs: 100,
    }),
  ];
}

function responseCases(): ParityCase[] {
  const c = on("control: response override", { key: createRoom, request: { name: "ignored", metadata: "ignored" } });
  const override = { sid: "RM_override", name: "overridden", numParticipants: 3, max_participants: 10 };
  return [
    c({ id: "response baseline (no override)" }),
    c({ id: "response object replaces CreateRoom's reply", control: { response: override } }),
    c({ id: "response object replaces CreateRoom's reply (protobuf)", control: { response: override }, codec: "binary" }),
    c({
      id: "response list on ListRooms",
      key: listRooms,
      request: {},
      control: { response: { rooms: [{ name: "a" }, { name: "b", sid: "RM_b" }] } },
    }),
    c({ id: "response {} on ListRooms", key: listRooms, request: {}, control: { response: {} } }),
    // The original drops unknown names; ours refuses them (intended), naming where they sit.
    c({ id: "response with a known field only", control: { response: { sid: "RM_x" } } }),
    c({
      id: "response with an unknown field",
      control: { response: { sid: "RM_x", noSuchField: 1 } },
      tags: ["control:response-unknown-name"],
      baseline: "response with a known field only",
    }),
    c({ id: "response list with a known field only", key: listRooms, request: {}, control: { response: { rooms: [{ name: "a" }] } } }),
    c({
      id: "response with an unknown field in a nested message",
      key: listRooms,
      request: {},
      control: { response: { rooms: [{ name: "a", nmae: "b" }] } },
      tags: ["control:response-unknown-name"],
      baseline: "response list with a known field only",
    }),
    c({
      id: "response egress without a status",
      key: "livekit.Egress/ListEgress",
      request: {},
      control: { response: { items: [{ egressId: "EG_1" }] } },
    }),
    c({
      id: "response with an unknown enum name",
      key: "livekit.Egress/ListEgress",
      request: {},
      control: { response: { items: [{ egressId: "EG_1", status: "EGRESS_ACTIV" }] } },
      tags: ["control:response-unknown-name"],
      baseline: "response egress without a status",
    }),
    c({ id: "response null keeps the populated reply", control: { response: null } }),
    c({
      id: "response with int64 numbers and enum names",
      key: "livekit.Egress/ListEgress",
      request: {},
      control: { response: { items: [{ egressId: "EG_1", startedAt: 5, status: "EGRESS_ACTIVE", roomName: "r" }] } },
    }),
    c({
      id: "response with an enum number and a nested message",
      key: "livekit.SIP/GetSIPInboundTrunk",
      request: {},
      control: { response: { trunk: { sipTrunkId: "ST_1", name: "n", krispEnabled: true, mediaEncryption: 1 } } },
    }),
    c({ id: "response loses to failRegions", control: { response: override, failRegions: [0] } }),
    c({ id: "response on an unknown key is ignored", key: unknownKey, request: {}, control: { response: override } }),
    c({ id: "legacy X-Lk-Mock-Response", headers: { "X-Lk-Mock-Response": '{"sid":"RM_legacy"}' } }),
    c({
      id: "X-Lk-Mock response wins over X-Lk-Mock-Response",
      control: { response: { sid: "RM_json" } },
      headers: { "X-Lk-Mock-Response": '{"sid":"RM_legacy"}' },
    }),
    c({
      id: "response null resets X-Lk-Mock-Response",
      control: { response: null },
      headers: { "X-Lk-Mock-Response": '{"sid":"RM_legacy"}' },
    }),
    // The original falls back to the populated reply; ours refuses (intended).
    c({
      id: "response is a string",
      control: { response: "x" },
      tags: ["control:invalid-response"],
      baseline: "response baseline (no override)",
    }),
    c({
      id: "response is an array",
      control: { response: [1] },
      tags: ["control:invalid-response"],
      baseline: "response baseline (no override)",
    }),
    c({
      id: "response is a number",
      control: { response: 5 },
      tags: ["control:invalid-response"],
      baseline: "response baseline (no override)",
    }),
    c({
      id: "response field of the wrong type",
      control: { response: { name: 5 } },
      tags: ["control:invalid-response"],
      baseline: "response baseline (no override)",
    }),
    c({
      id: "response with a 64-bit integer as a JSON number beyond 2^53",
      control: '{"response":{"creationTime":9007199254740993}}',
      tags: ["control:response-inexact-integer"],
    }),
    c({
      id: "response sets a field under both its names",
      control: { response: { emptyTimeout: 1, empty_timeout: 2 } },
      tags: ["control:invalid-response"],
      baseline: "response baseline (no override)",
    }),
    c({
      id: "response sets two members of a oneof",
      key: "livekit.Egress/StartRoomCompositeEgress",
      request: { roomName: "r" },
      control: { response: { roomComposite: { roomName: "r" }, web: { url: "https://example.com" } } },
      tags: ["control:invalid-response"],
    }),
    c({
      id: "legacy X-Lk-Mock-Response is a JSON string",
      headers: { "X-Lk-Mock-Response": '"x"' },
      tags: ["control:invalid-response"],
      baseline: "response baseline (no override)",
    }),
  ];
}

function skipAuthCases(): ParityCase[] {
  const c = on("control: skipAuth", { key: createRoom, request: roomRequest });
  return [
    c({ id: "skipAuth true without a token", control: { skipAuth: true }, token: null }),
    c({ id: "skipAuth true with a wrong secret", control: { skipAuth: true }, token: { secret: "wrong" } }),
    c({ id: "skipAuth true with a token lacking the grant", control: { skipAuth: true }, token: { grants: ["video.roomList"] } }),
    c({ id: baselines.noTokenNoSkip, control: { skipAuth: false }, token: null }),
    c({ id: "legacy X-Lk-Mock-Skip-Auth true", headers: { "X-Lk-Mock-Skip-Auth": "true" }, token: null }),
    c({ id: "legacy X-Lk-Mock-Skip-Auth TRUE", headers: { "X-Lk-Mock-Skip-Auth": "TRUE" }, token: null }),
    c({ id: "legacy X-Lk-Mock-Skip-Auth false", headers: { "X-Lk-Mock-Skip-Auth": "false" }, token: null }),
    c({
      id: "skipAuth false wins over legacy X-Lk-Mock-Skip-Auth true",
      control: { skipAuth: false },
      headers: { "X-Lk-Mock-Skip-Auth": "true" },
      token: null,
    }),
    c({
      id: "skipAuth null keeps legacy X-Lk-Mock-Skip-Auth true",
      control: { skipAuth: null },
      headers: { "X-Lk-Mock-Skip-Auth": "true" },
      token: null,
    }),
  ];
}

function sipStatusCases(): ParityCase[] {
  const c = on("control: sipStatus", { key: dial, request: dialRequest });
  const sipError = (code: number): string[] => ["sip:error", ...(code === 480 || code === 486 ? ["sip:busy-or-unavailable"] : [])];
  const codes: [number, string?][] = [
    [486, "Busy Here"],
    [486],
    [480],
    [603],
    [200],
    [202, "Accepted"],
    [0],
    [999],
    [404, "Not Found"],
    [487],
    [100],
    [183],
    [600],
    [440],
    [500],
    [599],
    [699],
    [700],
    [486, "<b>Busy & here</b>"],
  ];
  return [
    ...codes.map(([code, status]) =>
      c({
        id:
          code === 486 && status === undefined
            ? baselines.sip486
            : code === 0
              ? baselines.sipCode0
              : `sipStatus ${code}${status === undefined ? "" : ` "${status}"`}`,
        control: { sipStatus: status === undefined ? { code } : { code, status } },
        tags: sipError(code),
      }),
    ),
    c({ id: baselines.sipCode0WithStatus, control: { sipStatus: { code: 0, status: "x" } }, tags: sipError(0) }),
    c({ id: "sipStatus 603 protobuf", control: { sipStatus: { code: 603 } }, codec: "binary", tags: sipError(603) }),
    c({
      id: "sipStatus 486 on TransferSIPParticipant",
      key: transfer,
      request: { participantIdentity: "caller", roomName: "call-room", transferTo: "tel:+1555" },
      control: { sipStatus: { code: 486, status: "Busy Here" } },
      tags: sipError(486),
    }),
    c({
      id: "sipStatus 603 on TransferSIPParticipant",
      key: transfer,
      request: { participantIdentity: "caller", roomName: "call-room", transferTo: "tel:+1555" },
      control: { sipStatus: { code: 603 } },
      tags: sipError(603),
    }),
    c({ id: "sipStatus wins over failRegions", control: { sipStatus: { code: 603 }, failRegions: [0] }, tags: sipError(603) }),
    c({ id: "sipStatus on region 2", control: { sipStatus: { code: 404 } }, region: 2, tags: sipError(404) }),
    c({ id: "sipStatus after delayMs 100", control: { sipStatus: { code: 487 }, delayMs: 100 }, minDelayMs: 100, tags: sipError(487) }),
    c({ id: "sipStatus after the pin check", control: { sipStatus: { code: 603 }, pinnedRegions: ["region-1"] } }),
    c({ id: "sipStatus after auth", control: { sipStatus: { code: 603 } }, token: null }),
    c({ id: "sipStatus null", control: { sipStatus: null } }),
    c({ id: "sipStatus on CreateRoom is ignored", key: createRoom, request: roomRequest, control: { sipStatus: { code: 603 } } }),
    c({ id: "sipStatus on an unknown key is ignored", key: unknownKey, request: {}, control: { sipStatus: { code: 603 } } }),
    c({
      id: "sipStatus on CreateSIPInboundTrunk is ignored",
      key: "livekit.SIP/CreateSIPInboundTrunk",
      request: {},
      control: { sipStatus: { code: 486 } },
    }),
  ];
}

function pinnedCases(): ParityCase[] {
  const c = on("control: pinnedRegions", { key: createRoom, request: roomRequest });
  return [
    c({ id: "pinned to region-1, asked on region 0", control: { pinnedRegions: ["region-1"] } }),
    c({ id: "pinned to region-1, asked on region 1", control: { pinnedRegions: ["region-1"] }, region: 1 }),
    c({ id: "pinned to region-1 and region-0, asked on region 0", control: { pinnedRegions: ["region-1", "region-0"] } }),
    c({ id: "pinned to nothing", control: { pinnedRegions: [] } }),
    c({ id: "pinned names are case-sensitive", control: { pinnedRegions: ["REGION-0"] } }),
    c({ id: "pinned, protobuf", control: { pinnedRegions: ["region-2"] }, codec: "binary" }),
    c({ id: "pinned is checked after auth", control: { pinnedRegions: ["region-1"] }, token: null }),
    c({ id: "pinned is checked before failRegions", control: { pinnedRegions: ["region-1"], failRegions: [0] } }),
    c({ id: "pinned applies to unknown keys", key: unknownKey, request: {}, control: { pinnedRegions: ["region-1"] } }),
    c({ id: "pinnedRegions null", control: { pinnedRegions: null } }),
  ];
}

function legacyCases(): ParityCase[] {
  const c = on("control: legacy headers and overlay", { key: createRoom, request: roomRequest });
  return [
    c({
      id: "legacy Fail-Regions '2, 0' and Fail-Status 429",
      headers: { "X-Lk-Mock-Fail-Regions": "2, 0", "X-Lk-Mock-Fail-Status": "429" },
    }),
    c({ id: "legacy Fail-Regions '1' on region 0", headers: { "X-Lk-Mock-Fail-Regions": "1" } }),
    c({ id: "legacy Fail-Status ' 404 ' is trimmed", headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Status": " 404 " } }),
    c({ id: "legacy Fail-Mode drop", headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Mode": "drop" } }),
    c({ id: "legacy Fail-Mode Drop", headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Mode": "Drop" } }),
    c({ id: "legacy Fail-Twirp-Code aborted", headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Twirp-Code": "aborted" } }),
    c({
      id: "legacy Fail-Mode delay with Delay-Ms '+100'",
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Mode": "delay", "X-Lk-Mock-Delay-Ms": "+100" },
      minDelayMs: 100,
    }),
    c({ id: "failRegions [] wins over legacy Fail-Regions 0", control: { failRegions: [] }, headers: { "X-Lk-Mock-Fail-Regions": "0" } }),
    c({ id: "failRegions null resets legacy Fail-Regions 0", control: { failRegions: null }, headers: { "X-Lk-Mock-Fail-Regions": "0" } }),
    c({
      id: "failStatus 404 wins over legacy Fail-Status 429",
      control: { failStatus: 404 },
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Status": "429" },
    }),
    c({
      id: "failStatus null keeps legacy Fail-Status 429",
      control: { failStatus: null },
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Status": "429" },
    }),
    c({
      id: "failMode status wins over legacy Fail-Mode drop",
      control: { failMode: "status" },
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Mode": "drop" },
    }),
    c({
      id: "failMode null keeps legacy Fail-Mode drop",
      control: { failMode: null },
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Mode": "drop" },
    }),
    c({
      id: "failTwirpCode wins over legacy Fail-Twirp-Code",
      control: { failTwirpCode: "data_loss" },
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Twirp-Code": "aborted" },
    }),
    c({
      id: "X-Lk-Mock {} keeps every legacy header",
      control: {},
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Status": "409" },
    }),
    c({ id: "blank X-Lk-Mock is absent", control: "   " }),
    // Unparsable legacy values: the original skips them, ours refuses (intended).
    c({
      id: "legacy Fail-Regions '0,x'",
      headers: { "X-Lk-Mock-Fail-Regions": "0,x" },
      tags: ["control:invalid"],
      baseline: baselines.failRegion0,
    }),
    c({
      id: "legacy Fail-Status 'abc'",
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Status": "abc" },
      tags: ["control:invalid"],
      baseline: baselines.failRegion0,
    }),
    c({
      id: "legacy Fail-Status '700'",
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Status": "700" },
      tags: ["control:invalid"],
      baseline: baselines.failRegion0,
    }),
    c({
      id: "legacy Fail-Mode 'bogus'",
      headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Mode": "bogus" },
      tags: ["control:invalid"],
      baseline: baselines.failRegion0,
    }),
    c({
      id: "legacy Skip-Auth '1'",
      headers: { "X-Lk-Mock-Skip-Auth": "1" },
      token: null,
      tags: ["control:invalid"],
      baseline: baselines.noTokenNoSkip,
    }),
    c({ id: "legacy Delay-Ms 'abc'", headers: { "X-Lk-Mock-Delay-Ms": "abc" }, tags: ["control:invalid"], baseline: baselines.plain }),
    c({ id: "legacy Delay-Ms '-5'", headers: { "X-Lk-Mock-Delay-Ms": "-5" }, tags: ["control:invalid"], baseline: baselines.plain }),
    c({ id: "legacy Response '{'", headers: { "X-Lk-Mock-Response": "{" }, tags: ["control:invalid"], baseline: baselines.plain }),
  ];
}

function invalidControlCases(): ParityCase[] {
  const c = on("control: invalid X-Lk-Mock", { key: createRoom, request: roomRequest });
  const invalid = (
    id: string,
    control: Record<string, unknown> | string,
    baseline: string | undefined,
    extra: Partial<Input> = {},
  ): ParityCase => c({ id, control, tags: ["control:invalid"], ...(baseline === undefined ? {} : { baseline }), ...extra });
  return [
    invalid("X-Lk-Mock is not JSON", "{", baselines.plain),
    invalid("X-Lk-Mock is an array", "[]", baselines.plain),
    invalid("X-Lk-Mock is a string", '"x"', baselines.plain),
    invalid("X-Lk-Mock is a number", "5", baselines.plain),
    invalid("X-Lk-Mock is null", "null", baselines.plain),
    invalid("unknown field failRegion", { failRegion: [0] }, baselines.plain),
    invalid("one field twice in different cases", '{"failRegions":[1],"FailRegions":[0]}', baselines.failRegion0),
    invalid("failStatus as a string", { failRegions: [0], failStatus: "404" }, baselines.failRegion0),
    invalid("failStatus 404.5", { failRegions: [0], failStatus: 404.5 }, baselines.failRegion0),
    invalid("failStatus 700", { failRegions: [0], failStatus: 700 }, baselines.failRegion0),
    invalid("failStatus 99", { failRegions: [0], failStatus: 99 }, baselines.failRegion0),
    invalid("failRegions ['a']", { failRegions: ["a"] }, baselines.failRegion0),
    invalid("failRegions 0 (not a list)", { failRegions: 0 }, baselines.plain),
    invalid("failMode bogus", { failRegions: [0], failMode: "bogus" }, baselines.failRegion0),
    invalid("failTwirpCode as a number", { failRegions: [0], failTwirpCode: 5 }, baselines.failRegion0),
    invalid("skipAuth as a string", { skipAuth: "true" }, baselines.noTokenNoSkip, { token: null }),
    invalid("pinnedRegions as a string", { pinnedRegions: "region-1" }, baselines.plain),
    invalid("delayMs as a string", { delayMs: "5" }, baselines.plain),
    invalid("delayMs 1.5", { delayMs: 1.5 }, baselines.plain),
    invalid("sipStatus {}", { sipStatus: {} }, baselines.sipCode0, { key: dial, request: dialRequest }),
    invalid("sipStatus code as a string", { sipStatus: { code: "486" } }, baselines.sipCode0, { key: dial, request: dialRequest }),
    invalid("sipStatus without code", { sipStatus: { status: "x" } }, baselines.sipCode0WithStatus, { key: dial, request: dialRequest }),
    invalid("sipStatus with an unknown field", { sipStatus: { code: 486, reason: "busy" } }, baselines.sip486, {
      key: dial,
      request: dialRequest,
    }),
    invalid("sipStatus code -1", { sipStatus: { code: -1 } }, undefined, { key: dial, request: dialRequest }),
    invalid("X-Lk-Mock invalid on an unknown key", "{", "unknown key livekit.RoomService/NoSuchMethod json {}", {
      key: unknownKey,
      request: {},
    }),
    // Integral float literals: Go's encoding/json refuses 404.0 for an int field (the field is
    // skipped); JSON.parse cannot tell 404.0 from 404.
    c({
      id: "failStatus 404.0",
      control: '{"failRegions":[0],"failStatus":404.0}',
      tags: ["control:float-literal", "control:invalid"],
      baseline: baselines.failRegion0,
    }),
    c({
      id: "sipStatus code 603.0",
      key: dial,
      request: dialRequest,
      control: '{"delayMs":0,"sipStatus":{"code":603.0}}',
      tags: ["control:float-literal", "control:invalid"],
      baseline: baselines.sipCode0,
    }),
  ];
}
