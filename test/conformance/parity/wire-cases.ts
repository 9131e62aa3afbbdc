// Everything around the RPCs: other routes, /settings/regions, unknown keys under the prefix,
// HTTP methods and content types, request bodies (well-formed edge cases and undecodable ones),
// representative requests from REFERENCE §3, and the finer points of token verification.
import { CreateRoomRequestSchema } from "../../../generated/livekit_room_pb.js";
import { create, toBinary } from "@bufbuild/protobuf";
import { nowPlus, rawToken } from "../../support/raw-jwt.js";
import { plainCase, token, twirpCase } from "./case-builder.js";
import { baselines } from "./control-cases.js";
import type { ParityCase } from "./parity-case.js";

const createRoom = "livekit.RoomService/CreateRoom";

export function wireCases(): ParityCase[] {
  return [
    ...routeCases(),
    ...signalHttpCases(),
    ...regionCases(),
    ...unknownKeyCases(),
    ...methodAndContentTypeCases(),
    ...bodyCases(),
    ...representativeCases(),
    ...tokenCases(),
  ];
}

function routeCases(): ParityCase[] {
  const group = "other routes";
  const c = (id: string, path: string, method = "GET", tags: string[] = []): ParityCase => plainCase({ id, group, path, method, tags });
  return [
    c("GET /", "/"),
    c("POST /", "/", "POST"),
    c("GET /_test/health", "/_test/health"),
    c("PUT /_test/health", "/_test/health", "PUT"),
    c("GET /_test/health?x=1", "/_test/health?x=1"),
    c("GET /nope", "/nope"),
    c("GET /twirp", "/twirp"),
    c("POST /twirp", "/twirp", "POST"),
    c("POST /TWIRP/livekit.RoomService/CreateRoom", "/TWIRP/livekit.RoomService/CreateRoom", "POST"),
    c("GET /settings", "/settings"),
    c("GET /settings/regions/", "/settings/regions/"),
    c("GET /_test/methods", "/_test/methods", "GET", ["route:self-description"]),
    c("GET /_test/schema", "/_test/schema", "GET", ["route:self-description"]),
  ];
}

/** The signal paths answered over plain HTTP (REFERENCE §6.2, §6.3); WebSockets are not compared. */
function signalHttpCases(): ParityCase[] {
  const group = "signal paths over plain HTTP";
  const c = (id: string, path: string, method = "GET"): ParityCase => plainCase({ id, group, path, method });
  return [
    c("GET /rtc/validate without a token", "/rtc/validate"),
    c("GET /rtc/v1/validate without a token", "/rtc/v1/validate"),
    c("GET /rtc without an upgrade", "/rtc"),
    c("GET /rtc without an upgrade, with a token", `/rtc?access_token=${token({ grants: [] })}`),
    c("POST /rtc without an upgrade, with a token", `/rtc?access_token=${token({ grants: [] })}`, "POST"),
    c("GET /rtc/validate with a token", `/rtc/validate?access_token=${token({ grants: [] })}`),
    c("GET /rtc/validate with an expired token", `/rtc/validate?access_token=${token({ grants: [], expiresIn: -120 })}`),
    c("GET /rtc/validate with a wrong secret", `/rtc/validate?access_token=${token({ grants: [], secret: "wrong" })}`),
    c("GET /rtc/validate with a malformed token", "/rtc/validate?access_token=abc"),
  ];
}

function regionCases(): ParityCase[] {
  const group = "/settings/regions";
  const c = (input: {
    id: string;
    method?: string;
    region?: number;
    control?: Record<string, unknown> | string;
    headers?: Record<string, string>;
    path?: string;
    tags?: string[];
    baseline?: string;
  }): ParityCase => plainCase({ path: "/settings/regions", group, ...input, id: `/settings/regions ${input.id}` });
  return [
    c({ id: "GET region 0" }),
    c({ id: "GET region 2", region: 2 }),
    c({ id: "POST", method: "POST" }),
    c({ id: "DELETE", method: "DELETE" }),
    c({ id: "with a query string", path: "/settings/regions?pinnedRegions=region-1" }),
    c({ id: "pinned to region-1 and an unknown name", control: { pinnedRegions: ["region-1", "nowhere"] } }),
    c({ id: "pinned to region-3 and region-0 keeps the order", control: { pinnedRegions: ["region-3", "region-0"] } }),
    c({ id: "pinned to nowhere", control: { pinnedRegions: ["nowhere"] } }),
    c({ id: "pinned to nothing", control: { pinnedRegions: [] } }),
    c({ id: "pinned elsewhere still answers on region 0", control: { pinnedRegions: ["region-2"] } }),
    c({ id: "regionsStatus 500", control: { regionsStatus: 500 } }),
    c({ id: "regionsStatus 404", control: { regionsStatus: 404 } }),
    c({ id: "regionsStatus 302", control: { regionsStatus: 302 } }),
    c({ id: "regionsStatus 204", control: { regionsStatus: 204 } }),
    c({ id: "regionsStatus 100 (interim, then a 200)", control: { regionsStatus: 100 } }),
    c({ id: "regionsStatus 101", control: { regionsStatus: 101 } }),
    c({ id: "regionsStatus 102 (interim, then a 200)", control: { regionsStatus: 102 } }),
    c({ id: "regionsStatus 103 (interim, then a 200)", control: { regionsStatus: 103 } }),
    c({ id: "regionsStatus 199 (interim, then a 200)", control: { regionsStatus: 199 } }),
    c({ id: "regionsStatus 200", control: { regionsStatus: 200 } }),
    c({ id: "regionsStatus 503 wins over pinnedRegions", control: { regionsStatus: 503, pinnedRegions: ["region-1"] } }),
    c({ id: "legacy X-Lk-Mock-Regions-Status 503", headers: { "X-Lk-Mock-Regions-Status": "503" } }),
    c({ id: "regionsStatus 200 wins over legacy 503", control: { regionsStatus: 200 }, headers: { "X-Lk-Mock-Regions-Status": "503" } }),
    c({
      id: "ignores failRegions, sipStatus and skipAuth",
      control: { failRegions: [0], failMode: "drop", sipStatus: { code: 486 }, skipAuth: false },
    }),
    c({ id: "ignores delayMs", control: { delayMs: 1 } }),
    // Unparsable control: the original ignores it, ours refuses (intended).
    c({ id: "with X-Lk-Mock not JSON", control: "{", tags: ["control:invalid"], baseline: baselines.regions }),
    // The original range-checks only the legacy header: it answers 600.
    c({ id: "with regionsStatus 600", control: { regionsStatus: 600 }, tags: ["control:invalid"] }),
    c({
      id: "with legacy Regions-Status 'abc'",
      headers: { "X-Lk-Mock-Regions-Status": "abc" },
      tags: ["control:invalid"],
      baseline: baselines.regions,
    }),
    c({
      id: "with legacy Regions-Status '600'",
      headers: { "X-Lk-Mock-Regions-Status": "600" },
      tags: ["control:invalid"],
      baseline: baselines.regions,
    }),
  ];
}

function unknownKeyCases(): ParityCase[] {
  const group = "unknown keys under the prefix";
  const cases: ParityCase[] = [];
  const keys = [
    "livekit.RoomService/NoSuchMethod",
    "livekit.NoSuchService/CreateRoom",
    "livekit.RoomService/CreateRoom/",
    "livekit.roomservice/CreateRoom",
    "",
    "a/b/c",
  ];
  for (const key of keys) {
    cases.push(
      twirpCase({ id: `unknown key ${key} json {}`, group, key, request: {}, token: null }),
      twirpCase({ id: `unknown key ${key} protobuf empty`, group, key, codec: "binary", token: null }),
    );
  }
  const key = "livekit.RoomService/NoSuchMethod";
  cases.push(
    twirpCase({ id: `unknown key ${key} with a token`, group, key, request: {} }),
    twirpCase({ id: `unknown key ${key} failRegions [0]`, group, key, request: {}, token: null, control: { failRegions: [0] } }),
    twirpCase({
      id: `unknown key ${key} failMode drop`,
      group,
      key,
      request: {},
      token: null,
      control: { failRegions: [0], failMode: "drop" },
    }),
    twirpCase({ id: `unknown key ${key} a non-object JSON body`, group, key, request: "[1]", token: null }),
    twirpCase({ id: `unknown key ${key} an undecodable JSON body`, group, key, request: '{"x":', token: null }),
    twirpCase({
      id: `unknown key ${key} an undecodable protobuf body`,
      group,
      key,
      codec: "binary",
      request: new Uint8Array([0xff, 0xff, 0xff]),
      token: null,
    }),
    twirpCase({ id: `unknown key ${key} no Content-Type`, group, key, request: "{}", contentType: null, token: null }),
  );
  return cases;
}

function methodAndContentTypeCases(): ParityCase[] {
  const group = "HTTP methods and content types";
  const request = { name: "r" };
  const jsonBaseline = "CreateRoom json {name:r}";
  const binaryBaseline = "CreateRoom protobuf {name:r}";
  const binary = toBinary(CreateRoomRequestSchema, create(CreateRoomRequestSchema, request));
  return [
    twirpCase({ id: jsonBaseline, group, key: createRoom, request }),
    twirpCase({ id: binaryBaseline, group, key: createRoom, codec: "binary", request }),
    ...["GET", "PUT", "DELETE", "PATCH", "OPTIONS"].map((method) =>
      twirpCase({ id: `${method} CreateRoom`, group, key: createRoom, request, method, tags: ["http:method"], baseline: jsonBaseline }),
    ),
    twirpCase({
      id: "GET an unknown key",
      group,
      key: "livekit.RoomService/NoSuchMethod",
      request: {},
      method: "GET",
      token: null,
      tags: ["http:method"],
      baseline: "unknown key livekit.RoomService/NoSuchMethod json {}",
    }),
    twirpCase({
      id: "Content-Type application/json; charset=utf-8",
      group,
      key: createRoom,
      request,
      contentType: "application/json; charset=utf-8",
    }),
    twirpCase({
      id: "Content-Type application/json;charset=UTF-8",
      group,
      key: createRoom,
      request,
      contentType: "application/json;charset=UTF-8",
    }),
    twirpCase({
      id: "Content-Type application/protobuf; proto=livekit",
      group,
      key: createRoom,
      request: binary,
      contentType: "application/protobuf; proto=livekit",
    }),
    twirpCase({
      id: "Content-Type application/x-protobuf",
      group,
      key: createRoom,
      request: binary,
      contentType: "application/x-protobuf",
    }),
    twirpCase({ id: "Content-Type APPLICATION/PROTOBUF", group, key: createRoom, request: binary, contentType: "APPLICATION/PROTOBUF" }),
    twirpCase({ id: "no Content-Type, protobuf body", group, key: createRoom, request: binary, contentType: null }),
    twirpCase({ id: "empty Content-Type, protobuf body", group, key: createRoom, request: binary, contentType: "" }),
    twirpCase({
      id: "Content-Type application/JSON",
      group,
      key: createRoom,
      request,
      contentType: "application/JSON",
      tags: ["http:content-type-case"],
    }),
    twirpCase({
      id: "Content-Type Application/Json; charset=utf-8",
      group,
      key: createRoom,
      request,
      contentType: "Application/Json; charset=utf-8",
      tags: ["http:content-type-case"],
    }),
    twirpCase({
      id: "Content-Type text/json",
      group,
      key: createRoom,
      request,
      contentType: "text/json",
      tags: ["http:content-type"],
      baseline: jsonBaseline,
    }),
    twirpCase({
      id: "Content-Type application/jsonl",
      group,
      key: createRoom,
      request,
      contentType: "application/jsonl",
      tags: ["http:content-type"],
      baseline: jsonBaseline,
    }),
    twirpCase({
      id: "Content-Type text/plain, JSON body",
      group,
      key: createRoom,
      request,
      contentType: "text/plain",
      tags: ["http:content-type"],
    }),
    twirpCase({
      id: "Content-Type application/grpc, protobuf body",
      group,
      key: createRoom,
      request: binary,
      contentType: "application/grpc",
      tags: ["http:content-type"],
      baseline: binaryBaseline,
    }),
    twirpCase({
      id: "Content-Type application/octet-stream, protobuf body",
      group,
      key: createRoom,
      request: binary,
      contentType: "application/octet-stream",
      tags: ["http:content-type"],
      baseline: binaryBaseline,
    }),
  ];
}

function bodyCases(): ParityCase[] {
  const group = "request bodies";
  const c = (
    id: string,
    request: Parameters<typeof twirpCase>[0]["request"],
    extra: Partial<Parameters<typeof twirpCase>[0]> = {},
  ): ParityCase => twirpCase({ id, group, key: createRoom, request, ...extra });
  const empty = "CreateRoom json empty object";
  const emptyBinary = "CreateRoom protobuf empty body";
  const named = "CreateRoom json {name:r} (bodies)";
  const namedBinary = "CreateRoom protobuf {name:r} (bodies)";
  const undecodable = (id: string, body: string | Uint8Array, baseline: string, codec: "json" | "binary" = "json"): ParityCase =>
    c(id, body, { codec, tags: ["body:undecodable"], baseline });
  return [
    c(empty, "{}"),
    c(emptyBinary, undefined, { codec: "binary" }),
    c(named, { name: "r" }),
    c(namedBinary, { name: "r" }, { codec: "binary" }),
    c("CreateRoom json {metadata:m}", { metadata: "m" }),
    c("CreateRoom json {emptyTimeout:1}", { emptyTimeout: 1 }),
    c("json empty body", ""),
    c("json body with surrounding whitespace", '  {"name":"r"}\n'),
    c("json numeric string for uint32", '{"name":"r","emptyTimeout":"30"}'),
    c("json integral float for uint32", '{"name":"r","emptyTimeout":30.0}'),
    c("json exponent for uint32", '{"name":"r","emptyTimeout":3e1}'),
    c("json proto field names", '{"name":"r","empty_timeout":30,"max_participants":7,"departure_timeout":5}'),
    c("json unknown fields are ignored", '{"name":"r","noSuchField":{"deep":[1,2]},"another_unknown":"x"}'),
    c("json null field is unset", '{"name":null,"metadata":"m"}'),
    c("json unknown enum name", '{"inputType":"NO_SUCH_INPUT","name":"n"}', { key: "livekit.Ingress/CreateIngress" }),
    c("json enum as a number", '{"inputType":1,"name":"n","enabled":false}', { key: "livekit.Ingress/CreateIngress" }),
    c("json enum number outside the enum", '{"inputType":77,"name":"n"}', { key: "livekit.Ingress/CreateIngress" }),
    c("json bytes in URL-safe base64 without padding", '{"room":"r","data":"-_8","kind":"RELIABLE"}', {
      key: "livekit.RoomService/SendData",
      token: { room: "r" },
    }),
    c("json int64 as a number", '{"roomName":"r","startedAt":5}', { key: "livekit.Egress/StartRoomCompositeEgress" }),
    c("protobuf unknown field", new Uint8Array([0x0a, 0x01, 0x72, 0xfa, 0x3e, 0x01, 0x78]), { codec: "binary" }),
    c("protobuf field with an unexpected wire type", new Uint8Array([0x08, 0x01, 0x22, 0x01, 0x6d]), { codec: "binary" }),
    undecodable("json truncated", '{"name":', empty),
    undecodable("json not JSON", "name=r", empty),
    undecodable("json null", "null", empty),
    undecodable("json array", '[{"name":"r"}]', empty),
    undecodable("json string", '"r"', empty),
    undecodable("json wrong value type after a good field", '{"metadata":"m","name":5}', "CreateRoom json {metadata:m}"),
    undecodable("json non-integral number for uint32", '{"name":"r","emptyTimeout":1.5}', named),
    undecodable("json the same field under both names", '{"emptyTimeout":1,"empty_timeout":2}', "CreateRoom json {emptyTimeout:1}"),
    undecodable("json trailing value", '{"name":"r"} {"metadata":"m"}', named),
    undecodable("json the same key twice", '{"name":"r","name":"s"}', named),
    undecodable("json invalid UTF-8 in a string after a good field", Buffer.from('{"name":"r","metadata":"m\xff"}', "latin1"), named),
    undecodable("json a lone surrogate escape after a good field", '{"name":"r","metadata":"\\ud800"}', named),
    undecodable(
      "protobuf invalid UTF-8 in a string after a good field",
      new Uint8Array([0x0a, 0x01, 0x72, 0x2a, 0x02, 0x6d, 0xff]),
      namedBinary,
      "binary",
    ),
    undecodable("protobuf garbage", new Uint8Array([0xff, 0xff, 0xff, 0xff]), emptyBinary, "binary"),
    undecodable("protobuf truncated after a good field", new Uint8Array([0x0a, 0x01, 0x72, 0x2a, 0x05, 0x6d]), namedBinary, "binary"),
  ];
}

/** REFERENCE §3.2 and §3.3, request for request. */
function representativeCases(): ParityCase[] {
  const group = "representative requests (REFERENCE §3)";
  const both = (
    id: string,
    key: string,
    request: Record<string, unknown>,
    extra: Partial<Parameters<typeof twirpCase>[0]> = {},
  ): ParityCase[] => [
    twirpCase({ id: `${id} json`, group, key, request, ...extra }),
    twirpCase({ id: `${id} protobuf`, group, key, request, codec: "binary", ...extra }),
  ];
  return [
    ...both("CreateRoom §3.2a", createRoom, { name: "my-room", metadata: "meta", emptyTimeout: 30 }),
    twirpCase({
      id: "CreateRoom §3.2a proto names json",
      group,
      key: createRoom,
      request: '{"name":"my-room","metadata":"meta","empty_timeout":30}',
    }),
    ...both("ListRooms with names", "livekit.RoomService/ListRooms", { names: ["a", "b"] }),
    ...both("CreateSIPParticipant §3.2c (delayMs 0)", "livekit.SIP/CreateSIPParticipant", {
      sipTrunkId: "ST_abc",
      sipCallTo: "+15551234567",
      roomName: "call-room",
      participantIdentity: "caller",
      waitUntilAnswered: true,
    }),
    ...both("GetParticipant", "livekit.RoomService/GetParticipant", { room: "r", identity: "alice" }),
    ...both("UpdateParticipant", "livekit.RoomService/UpdateParticipant", { room: "r", identity: "alice", metadata: "md", name: "Alice" }),
    ...both("PerformRpc", "livekit.RoomService/PerformRpc", {
      room: "r",
      destinationIdentity: "bob",
      method: "m",
      payload: "p",
      responseTimeoutMs: 100,
    }),
    ...both("UpdateRoomMetadata", "livekit.RoomService/UpdateRoomMetadata", { room: "r", metadata: "m" }),
    ...both("ForwardParticipant", "livekit.RoomService/ForwardParticipant", { room: "r", identity: "alice", destinationRoom: "r2" }),
    ...both("CreateIngress enabled:false", "livekit.Ingress/CreateIngress", {
      inputType: "WHIP_INPUT",
      name: "n",
      roomName: "r",
      participantIdentity: "p",
      enabled: false,
    }),
    ...both("UpdateIngress enabled:false", "livekit.Ingress/UpdateIngress", { ingressId: "IN_x", name: "n", enabled: false }),
    ...both("DeleteIngress", "livekit.Ingress/DeleteIngress", { ingressId: "IN_x" }),
    ...both("ListIngress", "livekit.Ingress/ListIngress", { roomName: "r" }),
    ...both("StartRoomCompositeEgress", "livekit.Egress/StartRoomCompositeEgress", { roomName: "r", layout: "grid", audioOnly: true }),
    ...both("StopEgress", "livekit.Egress/StopEgress", { egressId: "EG_x" }),
    ...both("UpdateLayout", "livekit.Egress/UpdateLayout", { egressId: "EG_x", layout: "speaker" }),
    ...both("ListEgress", "livekit.Egress/ListEgress", { roomName: "r", active: true }),
    ...both("DeleteSIPTrunk", "livekit.SIP/DeleteSIPTrunk", { sipTrunkId: "ST_x" }),
    ...both("UpdateSIPInboundTrunk", "livekit.SIP/UpdateSIPInboundTrunk", { sipTrunkId: "ST_in", replace: { name: "in2" } }),
    ...both("CreateSIPDispatchRule", "livekit.SIP/CreateSIPDispatchRule", {
      rule: { dispatchRuleDirect: { roomName: "call-room" } },
      trunkIds: ["ST_in"],
      hidePhoneNumber: true,
      name: "rule",
      metadata: "md",
      roomPreset: "preset",
    }),
    ...both("DeleteSIPDispatchRule", "livekit.SIP/DeleteSIPDispatchRule", { sipDispatchRuleId: "SDR_x" }),
    ...both("TransferSIPParticipant (delayMs 0)", "livekit.SIP/TransferSIPParticipant", {
      participantIdentity: "caller",
      roomName: "call-room",
      transferTo: "tel:+15557654321",
    }),
    ...both("DialWhatsAppCall", "livekit.Connector/DialWhatsAppCall", {
      whatsappPhoneNumberId: "pn",
      whatsappToPhoneNumber: "+1555",
      roomName: "wa-room",
    }),
    ...both("AcceptWhatsAppCall", "livekit.Connector/AcceptWhatsAppCall", {
      whatsappPhoneNumberId: "pn",
      whatsappCallId: "WA_x",
      roomName: "wa-room",
    }),
  ];
}

function tokenCases(): ParityCase[] {
  const group = "token verification";
  const request = { name: "r" };
  const c = (id: string, authorization: string, tags: string[] = []): ParityCase =>
    twirpCase({ id: `token: ${id}`, group, key: createRoom, request, token: { authorization }, tags });
  const grants = { video: { roomCreate: true } };
  const claims = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    iss: "devkey",
    sub: "p",
    nbf: nowPlus(0),
    exp: nowPlus(600),
    ...grants,
    ...extra,
  });
  const jwt = token({ grants: ["video.roomCreate"] });
  return [
    c("Bearer", `Bearer ${jwt}`),
    c("bare JWT without Bearer", jwt),
    c("Bearer with extra spaces", `Bearer   ${jwt}  `),
    c("lower-case bearer", `bearer ${jwt}`),
    c("empty header", ""),
    c("Bearer and nothing", "Bearer "),
    c("two dots only", "Bearer a.b"),
    c("expired 2 minutes ago", `Bearer ${token({ grants: ["video.roomCreate"], expiresIn: -120 })}`),
    c("expired 30 s ago (leeway)", `Bearer ${token({ grants: ["video.roomCreate"], expiresIn: -30 })}`),
    c("nbf 2 minutes ahead", `Bearer ${token({ grants: ["video.roomCreate"], notBeforeIn: 120 })}`),
    c("nbf 30 s ahead (leeway)", `Bearer ${token({ grants: ["video.roomCreate"], notBeforeIn: 30 })}`),
    c("no exp", `Bearer ${rawToken({ iss: "devkey", sub: "p", ...grants })}`),
    c("exp as a float", `Bearer ${rawToken(claims({ exp: nowPlus(600) + 0.5 }))}`),
    c("exp as a numeric string", `Bearer ${rawToken(claims({ exp: String(nowPlus(600)) }))}`),
    c("exp not a number", `Bearer ${rawToken(claims({ exp: "soon" }))}`),
    c("padded segments", `Bearer ${rawToken(claims(), { padded: true })}`),
    c("alg HS384", `Bearer ${rawToken(claims(), { header: { alg: "HS384", typ: "JWT" } })}`),
    c("alg none", `Bearer ${rawToken(claims(), { header: { alg: "none" } })}`),
    c("header without typ", `Bearer ${rawToken(claims(), { header: { alg: "HS256" } })}`),
    c("another iss", `Bearer ${rawToken(claims({ iss: "someone-else" }))}`),
    c("identity in jti", `Bearer ${rawToken(claims({ sub: undefined, jti: "p" }))}`),
    c("grant of the wrong type", `Bearer ${rawToken(claims({ video: { roomCreate: "true" } }))}`),
    c("grant key in another case", `Bearer ${rawToken(claims({ video: { RoomCreate: true } }))}`),
    c("video null", `Bearer ${rawToken(claims({ video: null }))}`, ["auth:missing-grant"]),
    c("sip as an array", `Bearer ${rawToken(claims({ sip: [] }))}`),
    c("unknown claims are ignored", `Bearer ${rawToken(claims({ foo: { bar: 1 }, kind: "standard", attributes: { a: "b" } }))}`),
    c("roomConfig that is not a RoomConfiguration", `Bearer ${rawToken(claims({ roomConfig: { name: 5 } }))}`),
    c("aud and iat of any value", `Bearer ${rawToken(claims({ aud: ["x"], iat: nowPlus(99999) }))}`),
  ];
}
