// The six wrk scenarios of bench/README.md: what an SDK's calls cost, the cheapest control-header path,
// region discovery, and a failing region. Each says which status every answer must have.
import { create, toBinary } from "@bufbuild/protobuf";
import { CreateRoomRequestSchema } from "../generated/livekit_room_pb.js";
import { roomCreateClaims, signToken } from "./tokens.js";
import type { WrkRequest } from "./wrk.js";

export interface WrkScenario {
  readonly name: string;
  readonly title: string;
  readonly request: WrkRequest;
  readonly expectedStatus: number;
  /** Every request carries a token the server has never seen (its verified-token cache cannot help). */
  readonly freshTokens: boolean;
}

const createRoom = { name: "bench-room", metadata: "m", emptyTimeout: 30 };
const createRoomPath = "/twirp/livekit.RoomService/CreateRoom";
const json = { "Content-Type": "application/json" };
const skipAuth = JSON.stringify({ skipAuth: true });

export function wrkScenarios(): WrkScenario[] {
  const bearer = { Authorization: `Bearer ${signToken(roomCreateClaims, "bench-reused")}` };
  const jsonBody = new TextEncoder().encode(JSON.stringify(createRoom));
  const post = (path: string, headers: Record<string, string>, body: Uint8Array): WrkRequest => ({ method: "POST", path, headers, body });
  return [
    {
      name: "create-room-json",
      title: "CreateRoom JSON, one token reused",
      request: post(createRoomPath, { ...json, ...bearer }, jsonBody),
      expectedStatus: 200,
      freshTokens: false,
    },
    {
      name: "create-room-json-new-token",
      title: "CreateRoom JSON, a new token every request",
      request: post(createRoomPath, json, jsonBody),
      expectedStatus: 200,
      freshTokens: true,
    },
    {
      name: "create-room-protobuf",
      title: "CreateRoom protobuf, one token reused",
      request: post(
        createRoomPath,
        { "Content-Type": "application/protobuf", ...bearer },
        toBinary(CreateRoomRequestSchema, create(CreateRoomRequestSchema, createRoom)),
      ),
      expectedStatus: 200,
      freshTokens: false,
    },
    {
      name: "list-rooms-skip-auth",
      title: "ListRooms, `skipAuth`",
      request: post("/twirp/livekit.RoomService/ListRooms", { ...json, "X-Lk-Mock": skipAuth }, new TextEncoder().encode("{}")),
      expectedStatus: 200,
      freshTokens: false,
    },
    {
      name: "settings-regions",
      title: "`GET /settings/regions`",
      request: { method: "GET", path: "/settings/regions", headers: {} },
      expectedStatus: 200,
      freshTokens: false,
    },
    {
      name: "failing-region",
      title: "a failing region (`failRegions:[0]`, 503)",
      request: post(
        "/twirp/livekit.RoomService/ListRooms",
        { ...json, "X-Lk-Mock": JSON.stringify({ skipAuth: true, failRegions: [0] }) },
        new TextEncoder().encode("{}"),
      ),
      expectedStatus: 503,
      freshTokens: false,
    },
  ];
}
