// What a world keeps of its rooms and participants, and how they read as the real server writes
// them: the stored Room and ParticipantInfo messages, with the counts the server derives when it
// answers (livekit-server rtc/room.go updateProto).
import { clone } from "@bufbuild/protobuf";
import {
  ParticipantInfo_Kind,
  ParticipantInfo_KindDetail,
  ParticipantInfoSchema,
  ParticipantPermissionSchema,
  RoomSchema,
  TrackSource,
  type ParticipantInfo,
  type ParticipantPermission,
  type Room,
} from "../../../generated/livekit_models_pb.js";
import { create } from "@bufbuild/protobuf";
import type { RoomAgentDispatch } from "../../../generated/livekit_agent_dispatch_pb.js";
import type { ParticipantGrants } from "../../auth/participant-grants.js";
import type { World } from "../world.js";
import type { ParticipantLink } from "./participant-link.js";

export interface DataDelivery {
  readonly atMs: number;
  readonly kind: string;
  readonly topic: string;
  /** The payload, base64, up to its first KiB. */
  readonly data: string;
  /** The payload's whole size. */
  readonly bytes: number;
  readonly from: string;
}

export interface ParticipantRecord {
  readonly info: ParticipantInfo;
  /** The connection, while it lasts. */
  readonly link: ParticipantLink | undefined;
  readonly received: DataDelivery[];
  droppedData: number;
  readonly subscribedTracks: Set<string>;
}

export interface RoomRecord {
  readonly room: Room;
  /** By identity, in join order. */
  readonly participants: Map<string, ParticipantRecord>;
  /** The agents the room was created with (CreateRoom's `agents`). */
  readonly agents: readonly RoomAgentDispatch[];
  /** Epoch ms of the last departure, once someone has left. */
  lastLeftAt: number | undefined;
  /** Cancels the pending empty or departure timeout. */
  cancelClose: (() => void) | undefined;
}

export interface RoomsState {
  readonly world: World;
  /** By name, in creation order. */
  readonly rooms: Map<string, RoomRecord>;
}

/** The real server's defaults (livekit-server pkg/config): rooms.empty_timeout, departure_timeout. */
export const defaultEmptyTimeout = 5 * 60;
export const defaultDepartureTimeout = 20;

/** config.RoomConfig.EnabledCodecs by default, in its order. */
export const enabledCodecs: readonly string[] = [
  "audio/PCMU",
  "audio/PCMA",
  "audio/opus",
  "audio/red",
  "video/VP8",
  "video/H264",
  "video/VP9",
  "video/AV1",
  "video/H265",
  "video/rtx",
];

/** The room as an answer shows it: the stored message with its live counts. */
export function roomView(record: RoomRecord): Room {
  const room = clone(RoomSchema, record.room);
  const present = [...record.participants.values()];
  // rtc/room.go: a hidden participant is not counted; a recorder's presence is active_recording.
  room.numParticipants = present.filter((p) => p.info.permission?.hidden !== true).length;
  room.numPublishers = present.filter((p) => p.info.isPublisher).length;
  room.activeRecording = present.some((p) => p.info.permission?.recorder === true);
  return room;
}

export function participantView(record: ParticipantRecord): ParticipantInfo {
  return clone(ParticipantInfoSchema, record.info);
}

/** VideoGrant.ToPermission (protocol auth/grants.go). */
export function permissionFromGrants(grants: ParticipantGrants): ParticipantPermission {
  return create(ParticipantPermissionSchema, {
    canPublish: grants.canPublish,
    canPublishData: grants.canPublishData,
    canSubscribe: grants.canSubscribe,
    canPublishSources: grants.canPublishSources.map(trackSource),
    canUpdateMetadata: grants.canUpdateOwnMetadata,
    hidden: grants.hidden,
    recorder: grants.recorder,
    agent: grants.agent,
    canSubscribeMetrics: grants.canSubscribeMetrics,
    canManageAgentSession: grants.canManageAgentSession,
  });
}

/** kindToProto: the enum value named by the claim, upper-cased; STANDARD otherwise. */
export function participantKind(kind: string): ParticipantInfo_Kind {
  const value = (ParticipantInfo_Kind as unknown as Record<string, number | undefined>)[kind.toUpperCase()];
  return typeof value === "number" ? value : ParticipantInfo_Kind.STANDARD;
}

/** kindDetailsToProto: the names that are enum values, others dropped. */
export function participantKindDetails(details: readonly string[]): ParticipantInfo_KindDetail[] {
  return details.flatMap((detail) => {
    const value = (ParticipantInfo_KindDetail as unknown as Record<string, number | undefined>)[detail.toUpperCase()];
    return typeof value === "number" ? [value] : [];
  });
}

function trackSource(name: string): TrackSource {
  const value = (TrackSource as unknown as Record<string, number | undefined>)[name.toUpperCase()];
  return typeof value === "number" ? value : TrackSource.UNKNOWN;
}
