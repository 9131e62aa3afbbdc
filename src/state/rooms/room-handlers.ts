// RoomService answered from a world, with the real server's checks in its order and its errors
// word for word (docs/spec/stateful.md#rooms, #participants) (livekit-server pkg/service/roomservice.go, the limits of pkg/config, and what its
// room manager answers through psrpc). A method that reaches a participant the server does not
// host gets psrpc's "no response from servers", at once here where the real server waits 3 s.
import { clone, create, type Message } from "@bufbuild/protobuf";
import {
  DataPacket_Kind,
  DisconnectReason,
  ParticipantPermissionSchema,
  type ParticipantPermission,
} from "../../../generated/livekit_models_pb.js";
import {
  DeleteRoomResponseSchema,
  ListParticipantsResponseSchema,
  ListRoomsResponseSchema,
  MuteRoomTrackResponseSchema,
  RemoveParticipantResponseSchema,
  SendDataResponseSchema,
  UpdateSubscriptionsResponseSchema,
  type CreateRoomRequest,
  type DeleteRoomRequest,
  type ForwardParticipantRequest,
  type MoveParticipantRequest,
  type PerformRpcRequest,
  type ListParticipantsRequest,
  type ListRoomsRequest,
  type MuteRoomTrackRequest,
  type RoomParticipantIdentity,
  type SendDataRequest,
  type UpdateParticipantRequest,
  type UpdateRoomMetadataRequest,
  type UpdateSubscriptionsRequest,
} from "../../../generated/livekit_room_pb.js";
import { SignalResponseSchema } from "../../../generated/livekit_rtc_pb.js";
import { invalidArgument, serviceError, StateError } from "../state-error.js";
import type { StateCall, StateHandler } from "../world.js";
import { closeRoom, evictParticipant, findOrCreateRoom, setRoomMetadata, tellEveryone } from "./room-lifecycle.js";
import { participantView, roomView, type ParticipantRecord, type RoomRecord, type RoomsState } from "./room-records.js";

/** config.LimitConfig's defaults, in bytes as Go's len counts them. */
export const roomLimits = {
  maxMetadataSize: 512 * 1024,
  maxAttributesSize: 64 * 1024,
  maxRoomNameLength: 256,
  maxParticipantNameLength: 256,
} as const;

/** A data message's payload is kept up to this many bytes for inspection (`bytes` says the whole size). */
const dataKeptBytes = 1024;

const roomNotFound = (): StateError => serviceError("not_found", "requested room does not exist");
const participantNotFound = (): StateError => serviceError("not_found", "participant does not exist");
/** psrpc's answer when no node hosts the room or participant a request is routed to. */
const noResponse = (): StateError => serviceError("unavailable", "no response from servers");

function bytes(text: string): number {
  return Buffer.byteLength(text);
}

function checkMetadata(metadata: string): void {
  if (bytes(metadata) > roomLimits.maxMetadataSize)
    throw invalidArgument("metadata size exceeds limits", String(roomLimits.maxMetadataSize));
}

function checkAttributes(attributes: Readonly<Record<string, string>>): void {
  let total = 0;
  for (const [key, value] of Object.entries(attributes)) total += bytes(key) + bytes(value);
  if (total > roomLimits.maxAttributesSize) throw invalidArgument("attribute size exceeds limits", String(roomLimits.maxAttributesSize));
}

function participantOf(
  state: RoomsState,
  room: string,
  identity: string,
): { record: RoomRecord; participant: ParticipantRecord } | undefined {
  const record = state.rooms.get(room);
  const participant = record?.participants.get(identity);
  return participant === undefined ? undefined : { record: record!, participant };
}

function createRoom(state: RoomsState, req: CreateRoomRequest, call: StateCall): Message {
  if (bytes(req.name) > roomLimits.maxRoomNameLength) {
    throw serviceError("invalid_argument", `room name length exceeds limits: max length ${roomLimits.maxRoomNameLength}`);
  }
  checkMetadata(req.metadata);
  for (const agent of req.agents) {
    checkMetadata(agent.metadata);
    checkAttributes(agent.attributes);
  }
  // A live room is returned as it is, before the preset is looked up (roommanager.getOrCreateRoom).
  if (!state.rooms.has(req.name) && req.roomPreset !== "") {
    throw serviceError("invalid_argument", "unknown room configuration in create room request");
  }
  const { record } = findOrCreateRoom(
    state,
    {
      name: req.name,
      emptyTimeout: req.emptyTimeout,
      departureTimeout: req.departureTimeout,
      maxParticipants: req.maxParticipants,
      metadata: req.metadata,
      agents: req.agents,
    },
    call.cause,
  );
  return roomView(record);
}

function listRooms(state: RoomsState, req: ListRoomsRequest): Message {
  const records = req.names.length === 0 ? [...state.rooms.values()] : req.names.flatMap((name) => state.rooms.get(name) ?? []);
  return create(ListRoomsResponseSchema, { rooms: [...new Set(records)].map(roomView) });
}

function deleteRoom(state: RoomsState, req: DeleteRoomRequest, call: StateCall): Message {
  const record = state.rooms.get(req.room);
  if (record === undefined) throw roomNotFound();
  closeRoom(state, record, DisconnectReason.ROOM_DELETED, call.cause);
  return create(DeleteRoomResponseSchema);
}

function listParticipants(state: RoomsState, req: ListParticipantsRequest): Message {
  const record = state.rooms.get(req.room);
  const participants = record === undefined ? [] : [...record.participants.values()].map(participantView);
  return create(ListParticipantsResponseSchema, { participants });
}

function getParticipant(state: RoomsState, req: RoomParticipantIdentity): Message {
  const found = participantOf(state, req.room, req.identity);
  if (found === undefined) throw participantNotFound();
  return participantView(found.participant);
}

function removeParticipant(state: RoomsState, req: RoomParticipantIdentity, call: StateCall): Message {
  const found = participantOf(state, req.room, req.identity);
  if (found === undefined) throw participantNotFound();
  evictParticipant(state, found.record, found.participant, DisconnectReason.PARTICIPANT_REMOVED, call.cause);
  return create(RemoveParticipantResponseSchema);
}

function mutePublishedTrack(state: RoomsState, req: MuteRoomTrackRequest): Message {
  const found = participantOf(state, req.room, req.identity);
  if (found === undefined) throw noResponse();
  // room.enable_remote_unmute is off in the real server's default configuration.
  if (!req.muted) throw serviceError("failed_precondition", "remote unmute not enabled");
  // The request reaches the participant whether or not it publishes the track; a track the
  // participant does not publish is answered as null.
  found.participant.link?.send(create(SignalResponseSchema, { message: { case: "mute", value: { sid: req.trackSid, muted: req.muted } } }));
  return create(MuteRoomTrackResponseSchema);
}

function updateParticipant(state: RoomsState, req: UpdateParticipantRequest): Message {
  if (bytes(req.name) > roomLimits.maxParticipantNameLength) {
    throw invalidArgument("name length exceeds limits", String(roomLimits.maxParticipantNameLength));
  }
  checkMetadata(req.metadata);
  checkAttributes(req.attributes);
  const found = participantOf(state, req.room, req.identity);
  if (found === undefined) throw participantNotFound();
  const { record, participant } = found;
  const info = participant.info;
  // ParticipantImpl.UpdateMetadata: each change is its own version and its own update.
  const change = (apply: () => void): void => {
    apply();
    info.version += 1;
    tellEveryone(record, participant);
  };
  if (req.name !== "" && req.name !== info.name) change(() => (info.name = req.name));
  if (req.metadata !== "" && req.metadata !== info.metadata) change(() => (info.metadata = req.metadata));
  if (Object.keys(req.attributes).length > 0) {
    change(() => {
      for (const [key, value] of Object.entries(req.attributes)) {
        if (value === "") delete info.attributes[key];
        else info.attributes[key] = value;
      }
    });
  }
  if (req.permission !== undefined && !samePermission(info.permission, req.permission)) {
    // VideoGrant.UpdateFromPermission: everything but `agent`, which only a token grants.
    const permission = clone(ParticipantPermissionSchema, req.permission);
    permission.agent = info.permission?.agent ?? false;
    change(() => (info.permission = permission));
  }
  return participantView(participant);
}

function samePermission(current: ParticipantPermission | undefined, next: ParticipantPermission): boolean {
  if (current === undefined) return false;
  return (
    current.canPublish === next.canPublish &&
    current.canPublishData === next.canPublishData &&
    current.canSubscribe === next.canSubscribe &&
    current.canUpdateMetadata === next.canUpdateMetadata &&
    current.hidden === next.hidden &&
    current.recorder === next.recorder &&
    current.canPublishSources.join() === next.canPublishSources.join() &&
    current.canSubscribeMetrics === next.canSubscribeMetrics &&
    current.canManageAgentSession === next.canManageAgentSession
  );
}

function updateSubscriptions(state: RoomsState, req: UpdateSubscriptionsRequest): Message {
  const found = participantOf(state, req.room, req.identity);
  if (found === undefined) throw noResponse();
  const tracks = [...req.trackSids, ...req.participantTracks.flatMap((p) => p.trackSids)];
  for (const track of tracks) {
    if (req.subscribe) found.participant.subscribedTracks.add(track);
    else found.participant.subscribedTracks.delete(track);
  }
  return create(UpdateSubscriptionsResponseSchema);
}

function sendData(state: RoomsState, req: SendDataRequest): Message {
  // A nonce is absent or a 128-bit UUID.
  if (req.nonce.length !== 0 && req.nonce.length !== 16) {
    throw new StateError("invalid_argument", `nonce should be 16-bytes or not present, got: ${req.nonce.length} bytes`);
  }
  const record = state.rooms.get(req.room);
  if (record === undefined) throw noResponse();
  const bySid = new Set(req.destinationSids);
  const byIdentity = new Set(req.destinationIdentities);
  const everyone = bySid.size === 0 && byIdentity.size === 0;
  const limit = state.world.limits.dataMessagesPerParticipant;
  const delivery = {
    atMs: state.world.now(),
    kind: DataPacket_Kind[req.kind] ?? String(req.kind),
    topic: req.topic ?? "",
    data: Buffer.from(req.data.subarray(0, dataKeptBytes)).toString("base64"),
    bytes: req.data.length,
    from: "server API",
  };
  for (const participant of record.participants.values()) {
    if (!everyone && !bySid.has(participant.info.sid) && !byIdentity.has(participant.info.identity)) continue;
    if (participant.received.length >= limit) participant.droppedData++;
    else participant.received.push(delivery);
  }
  return create(SendDataResponseSchema);
}

function updateRoomMetadata(state: RoomsState, req: UpdateRoomMetadataRequest): Message {
  checkMetadata(req.metadata);
  const record = state.rooms.get(req.room);
  if (record === undefined) throw roomNotFound();
  return setRoomMetadata(record, req.metadata);
}

/**
 * ForwardParticipant and MoveParticipant: the real server's room manager implements neither; a
 * participant it hosts answers "not implemented", one it does not, psrpc's no-response.
 */
function relocateParticipant(state: RoomsState, req: ForwardParticipantRequest | MoveParticipantRequest): Message {
  if (req.room === req.destinationRoom) throw invalidArgument("destination room cannot be the same as source room", "");
  if (participantOf(state, req.room, req.identity) === undefined) throw noResponse();
  throw serviceError("unknown", "not implemented");
}

/** PerformRpc travels over the participant's data channel, which a signal-only client never opens. */
function performRpc(state: RoomsState, req: PerformRpcRequest): Message {
  if (req.destinationIdentity === "") throw serviceError("invalid_argument", "destination identity is required");
  if (participantOf(state, req.room, req.destinationIdentity) === undefined) throw noResponse();
  throw serviceError("internal", "data channel is not available");
}

type Handler = StateHandler<RoomsState>;

/** Route key → handler: every RoomService method. */
export const roomHandlers: Readonly<Record<string, Handler>> = {
  "livekit.RoomService/CreateRoom": (state, req, call) => createRoom(state, req as CreateRoomRequest, call),
  "livekit.RoomService/ListRooms": (state, req) => listRooms(state, req as ListRoomsRequest),
  "livekit.RoomService/DeleteRoom": (state, req, call) => deleteRoom(state, req as DeleteRoomRequest, call),
  "livekit.RoomService/ListParticipants": (state, req) => listParticipants(state, req as ListParticipantsRequest),
  "livekit.RoomService/GetParticipant": (state, req) => getParticipant(state, req as RoomParticipantIdentity),
  "livekit.RoomService/RemoveParticipant": (state, req, call) => removeParticipant(state, req as RoomParticipantIdentity, call),
  "livekit.RoomService/MutePublishedTrack": (state, req) => mutePublishedTrack(state, req as MuteRoomTrackRequest),
  "livekit.RoomService/UpdateParticipant": (state, req) => updateParticipant(state, req as UpdateParticipantRequest),
  "livekit.RoomService/UpdateSubscriptions": (state, req) => updateSubscriptions(state, req as UpdateSubscriptionsRequest),
  "livekit.RoomService/SendData": (state, req) => sendData(state, req as SendDataRequest),
  "livekit.RoomService/UpdateRoomMetadata": (state, req) => updateRoomMetadata(state, req as UpdateRoomMetadataRequest),
  "livekit.RoomService/ForwardParticipant": (state, req) => relocateParticipant(state, req as ForwardParticipantRequest),
  "livekit.RoomService/MoveParticipant": (state, req) => relocateParticipant(state, req as MoveParticipantRequest),
  "livekit.RoomService/PerformRpc": (state, req) => performRpc(state, req as PerformRpcRequest),
};
