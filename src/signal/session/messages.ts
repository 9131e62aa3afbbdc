// The SignalResponse frames the mock sends (REFERENCE §6.4), already encoded.
import { create, toBinary, type MessageInitShape } from "@bufbuild/protobuf";
import {
  DisconnectReason,
  ParticipantInfo_State,
  ServerInfo_Edition,
  ServerInfoSchema,
  type ServerInfo,
} from "../../../generated/livekit_models_pb.js";
import {
  JoinResponseSchema,
  RequestResponse_Reason,
  SignalResponseSchema,
  type JoinResponse,
  type SignalResponse,
} from "../../../generated/livekit_rtc_pb.js";
import type { TokenClaims } from "../../auth/token-claims.js";

/** Seconds, deliberately short so that SDK keepalive tests run fast. */
export const pingIntervalSeconds = 1;
export const pingTimeoutSeconds = 3;

function encode(message: NonNullable<MessageInitShape<typeof SignalResponseSchema>["message"]>): Uint8Array {
  return toBinary(SignalResponseSchema, create(SignalResponseSchema, { message }));
}

function serverInfo(region: string): ServerInfo {
  return create(ServerInfoSchema, { edition: ServerInfo_Edition.Standard, version: "mock", protocol: 15, region, nodeId: "MOCK_NODE" });
}

/** The join the original sends (REFERENCE §6.4), before any shaping. */
export function defaultJoin(region: string, claims: TokenClaims): JoinResponse {
  return create(JoinResponseSchema, {
    room: { sid: "RM_MOCK", name: claims.video.room },
    participant: {
      sid: "PA_MOCK",
      identity: claims.identity || "mock-participant",
      name: claims.name,
      state: ParticipantInfo_State.JOINED,
    },
    pingInterval: pingIntervalSeconds,
    pingTimeout: pingTimeoutSeconds,
    serverInfo: serverInfo(region),
    serverVersion: "mock",
    serverRegion: region,
  });
}

export function joinResponse(join: JoinResponse): Uint8Array {
  return encode({ case: "join", value: join });
}

export function encodeSignalResponse(message: SignalResponse): Uint8Array {
  return toBinary(SignalResponseSchema, message);
}

export function reconnectResponse(region: string): Uint8Array {
  return encode({ case: "reconnect", value: { serverInfo: serverInfo(region) } });
}

export function leaveResponse(action: number, reason: DisconnectReason = DisconnectReason.SERVER_SHUTDOWN): Uint8Array {
  return encode({ case: "leave", value: { reason, action, canReconnect: false } });
}

export function pongResponse(now: number): Uint8Array {
  return encode({ case: "pong", value: BigInt(now) });
}

export function pongRespResponse(lastPingTimestamp: bigint, now: number): Uint8Array {
  return encode({ case: "pongResp", value: { lastPingTimestamp, timestamp: BigInt(now) } });
}

export function requestResponse(requestId: number): Uint8Array {
  return encode({ case: "requestResponse", value: { requestId, reason: RequestResponse_Reason.OK } });
}
