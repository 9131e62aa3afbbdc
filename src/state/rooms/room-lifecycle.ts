// How rooms and participants come and go in a world, in the real server's order (livekit-server
// rtc/room.go and service/roommanager.go; docs/spec/stateful.md#joins, #timeouts, #webhooks): a room starts when it is created or first joined; a
// join replaces an earlier session of the same identity; a participant leaves when its connection
// ends or the server removes it; a room closes when deleted, or when it has stayed empty past its
// empty timeout (never joined) or departure timeout (after the last departure). Each step tells the
// connected participants what they would hear and sends the webhook events it stands for.
import { clone, create, type MessageInitShape } from "@bufbuild/protobuf";
import {
  CodecSchema,
  DisconnectReason,
  ParticipantInfo_Kind,
  ParticipantInfo_State,
  ParticipantInfoSchema,
  RoomSchema,
  type ParticipantInfo,
  type Room,
} from "../../../generated/livekit_models_pb.js";
import { SignalResponseSchema } from "../../../generated/livekit_rtc_pb.js";
import type { RoomAgentDispatch } from "../../../generated/livekit_agent_dispatch_pb.js";
import type { ParticipantGrants } from "../../auth/participant-grants.js";
import { newEventId } from "../../webhooks/event-id.js";
import type { EventCause } from "../world.js";
import { StateError } from "../state-error.js";
import type { ParticipantLink } from "./participant-link.js";
import {
  defaultDepartureTimeout,
  defaultEmptyTimeout,
  enabledCodecs,
  participantKind,
  participantKindDetails,
  participantView,
  permissionFromGrants,
  roomView,
  type ParticipantRecord,
  type RoomRecord,
  type RoomsState,
} from "./room-records.js";

/** What a new room is made from (CreateRoom's fields, or only the name for a join). */
export interface NewRoom {
  readonly name: string;
  readonly emptyTimeout?: number;
  readonly departureTimeout?: number;
  readonly maxParticipants?: number;
  readonly metadata?: string;
  /** The agents CreateRoom names, which the room dispatches when it starts. */
  readonly agents?: readonly RoomAgentDispatch[];
}

/** The timer-driven changes a world makes on its own. */
const byTheWorld: EventCause = { region: "state" };

/**
 * The room `init.name`, made when it does not exist. An existing room is returned unchanged, as
 * the real server returns a live room from CreateRoom whatever the request says.
 */
export function findOrCreateRoom(state: RoomsState, init: NewRoom, cause: EventCause): { record: RoomRecord; created: boolean } {
  const existing = state.rooms.get(init.name);
  if (existing !== undefined) return { record: existing, created: false };
  const { world } = state;
  if (state.rooms.size >= world.limits.roomsPerWorld) {
    throw new StateError(
      "resource_exhausted",
      `mock: world ${JSON.stringify(world.key)} holds ${state.rooms.size} rooms, the most one world may hold (docs/limits.md)`,
    );
  }
  const now = world.now();
  const room = create(RoomSchema, {
    sid: newEventId("RM_"),
    name: init.name,
    // StandardRoomAllocator.CreateRoom: the config's defaults, then what the request sets.
    emptyTimeout: init.emptyTimeout !== undefined && init.emptyTimeout > 0 ? init.emptyTimeout : defaultEmptyTimeout,
    departureTimeout: init.departureTimeout !== undefined && init.departureTimeout > 0 ? init.departureTimeout : defaultDepartureTimeout,
    maxParticipants: init.maxParticipants ?? 0,
    creationTime: BigInt(Math.floor(now / 1000)),
    creationTimeMs: BigInt(now),
    turnPassword: newTurnPassword(),
    enabledCodecs: enabledCodecs.map((mime) => create(CodecSchema, { mime })),
    metadata: init.metadata ?? "",
  });
  const record: RoomRecord = {
    room,
    participants: new Map(),
    agents: init.agents ?? [],
    lastLeftAt: undefined,
    cancelClose: undefined,
  };
  state.rooms.set(init.name, record);
  world.emit([{ event: "room_started", room: roomView(record) }], cause);
  scheduleClose(state, record);
  return { record, created: true };
}

/**
 * Closes a room: every participant is removed (told `reason`, with its participant_left), then
 * room_finished. Nothing happens for a room that is no longer the world's.
 */
export function closeRoom(state: RoomsState, record: RoomRecord, reason: DisconnectReason, cause: EventCause): void {
  if (state.rooms.get(record.room.name) !== record) return;
  record.cancelClose?.();
  record.cancelClose = undefined;
  state.rooms.delete(record.room.name);
  for (const participant of [...record.participants.values()]) {
    removeParticipant(state, record, participant, reason, cause, { tellConnection: true, tellOthers: false });
  }
  state.world.emit([{ event: "room_finished", room: roomView(record) }], cause);
}

/** Sets the room's metadata and tells every connected participant (RoomUpdate). */
export function setRoomMetadata(record: RoomRecord, metadata: string): Room {
  record.room.metadata = metadata;
  const room = roomView(record);
  for (const participant of record.participants.values()) {
    participant.link?.send(create(SignalResponseSchema, { message: { case: "roomUpdate", value: { room } } }));
  }
  return room;
}

export interface JoinParams {
  readonly room: string;
  readonly identity: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly grants: ParticipantGrants;
  readonly link: ParticipantLink;
}

/** A joined participant, as its connection holds it. */
export interface RoomMember {
  /** The room, the participant and the others, as the join sends them at this moment. */
  joinResponse(): { room: Room; participant: ParticipantInfo; otherParticipants: ParticipantInfo[] };
  /**
   * The connection ended on the client's side or without a close (`how`): the participant leaves
   * the room, unless the server removed it first or a newer session replaced it.
   */
  ended(how: "left" | "closed" | "dropped"): void;
}

export type JoinOutcome =
  | { readonly kind: "joined"; readonly member: RoomMember }
  /** The join is refused with this HTTP answer instead of a WebSocket. */
  | { readonly kind: "refused"; readonly status: number; readonly body: string; readonly why: string };

/** A signal join: the room is made if needed, an earlier session of the identity is replaced. */
export function joinRoom(state: RoomsState, params: JoinParams, cause: EventCause): JoinOutcome {
  const { world } = state;
  const { record } = findOrCreateRoom(state, { name: params.room }, cause);
  const earlier = record.participants.get(params.identity);
  if (earlier !== undefined) {
    removeParticipant(state, record, earlier, DisconnectReason.DUPLICATE_IDENTITY, cause, { tellConnection: true, tellOthers: false });
  }
  const max = record.room.maxParticipants;
  if (max > 0 && record.participants.size >= max) {
    // rtc.ErrMaxParticipantsExceeded, as the real server's signal endpoint reports it.
    scheduleClose(state, record);
    return {
      kind: "refused",
      status: 500,
      body: "connection closed by media",
      why: `room ${record.room.name} is full (max_participants ${max})`,
    };
  }
  if (record.participants.size >= world.limits.participantsPerRoom) {
    scheduleClose(state, record);
    const body = `mock: room ${JSON.stringify(record.room.name)} holds ${record.participants.size} participants, the most one room may hold (docs/limits.md)`;
    return { kind: "refused", status: 429, body, why: body };
  }
  const now = world.now();
  const participant: ParticipantRecord = {
    info: create(ParticipantInfoSchema, {
      sid: newEventId("PA_"),
      identity: params.identity,
      name: params.name,
      metadata: params.grants.metadata,
      attributes: { ...params.attributes },
      state: ParticipantInfo_State.JOINED,
      joinedAt: BigInt(Math.floor(now / 1000)),
      joinedAtMs: BigInt(now),
      version: 1,
      permission: permissionFromGrants(params.grants),
      kind: participantKind(params.grants.kind),
      kindDetails: participantKindDetails(params.grants.kindDetails),
    }),
    link: params.link,
    received: [],
    droppedData: 0,
    subscribedTracks: new Set(),
  };
  record.participants.set(params.identity, participant);
  // A dependent participant (an egress, an agent) leaves the room's timeout running.
  scheduleClose(state, record);
  tellOthers(record, participant, participantView(participant));
  const active = participantView(participant);
  // The mock has no media: the participant counts as connected at once, so it is "joined" now.
  active.state = ParticipantInfo_State.ACTIVE;
  world.emit([{ event: "participant_joined", room: roomView(record), participant: active }], cause);

  return {
    kind: "joined",
    member: {
      joinResponse() {
        // The join goes out before the participant's state becomes JOINED (participant_signal.go).
        const self = participantView(participant);
        self.state = ParticipantInfo_State.JOINING;
        self.version = 0;
        const others = [...record.participants.values()]
          .filter((p) => p !== participant && p.info.permission?.hidden !== true)
          .map(participantView);
        return { room: roomView(record), participant: self, otherParticipants: others };
      },
      ended(how) {
        if (state.rooms.get(record.room.name) !== record || record.participants.get(params.identity) !== participant) return;
        // A leave request is the client's decision; a connection that just ends is a lost signal.
        const reason = how === "left" ? DisconnectReason.CLIENT_INITIATED : DisconnectReason.SIGNAL_CLOSE;
        removeParticipant(state, record, participant, reason, cause, { tellConnection: false, tellOthers: true });
        scheduleClose(state, record);
      },
    },
  };
}

/** RemoveParticipant: the server ends the session, and the room may start its departure timeout. */
export function evictParticipant(
  state: RoomsState,
  record: RoomRecord,
  participant: ParticipantRecord,
  reason: DisconnectReason,
  cause: EventCause,
): void {
  removeParticipant(state, record, participant, reason, cause, { tellConnection: true, tellOthers: true });
  scheduleClose(state, record);
}

/** Sends a ParticipantUpdate about `participant` to itself and the others (a hidden one: itself only). */
export function tellEveryone(record: RoomRecord, participant: ParticipantRecord): void {
  const info = participantView(participant);
  participant.link?.send(update(info));
  tellOthers(record, participant, info);
}

function tellOthers(record: RoomRecord, participant: ParticipantRecord, info: ParticipantInfo): void {
  // Updates about a hidden participant go to itself only (rtc/room.go broadcastParticipantState).
  if (participant.info.permission?.hidden === true) return;
  const message = update(info);
  for (const other of record.participants.values()) if (other !== participant) other.link?.send(message);
}

function update(info: ParticipantInfo) {
  return create(SignalResponseSchema, { message: { case: "update", value: { participants: [info] } } });
}

function removeParticipant(
  state: RoomsState,
  record: RoomRecord,
  participant: ParticipantRecord,
  reason: DisconnectReason,
  cause: EventCause,
  how: { readonly tellConnection: boolean; readonly tellOthers: boolean },
): void {
  record.participants.delete(participant.info.identity);
  record.lastLeftAt = state.world.now();
  participant.info.state = ParticipantInfo_State.DISCONNECTED;
  participant.info.disconnectReason = reason;
  participant.info.version += 1;
  if (how.tellConnection) participant.link?.leave(reason);
  if (how.tellOthers) tellOthers(record, participant, participantView(participant));
  const gone: MessageInitShape<typeof ParticipantInfoSchema> = clone(ParticipantInfoSchema, participant.info);
  state.world.emit([{ event: "participant_left", room: roomView(record), participant: gone }], cause);
}

/** Arms the empty or departure timeout of a room nobody but dependent participants is in (CloseIfEmpty). */
function scheduleClose(state: RoomsState, record: RoomRecord): void {
  record.cancelClose?.();
  record.cancelClose = undefined;
  for (const participant of record.participants.values()) if (!isDependent(participant)) return;
  const { world } = state;
  const departed = record.lastLeftAt !== undefined;
  const from = departed ? record.lastLeftAt! : Number(record.room.creationTimeMs);
  const timeoutMs = (departed ? record.room.departureTimeout : record.room.emptyTimeout) * 1000;
  record.cancelClose = world.after(from + timeoutMs - world.now(), () => {
    record.cancelClose = undefined;
    closeRoom(state, record, DisconnectReason.ROOM_CLOSED, byTheWorld);
  });
}

/** ParticipantImpl.IsDependent: an agent or an egress does not keep its room open. */
function isDependent(participant: ParticipantRecord): boolean {
  const kind = participant.info.kind;
  return kind === ParticipantInfo_Kind.AGENT || kind === ParticipantInfo_Kind.EGRESS;
}

const secretAlphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** utils.RandomSecret: 44 characters of base62, as the real server's turn_password. */
function newTurnPassword(): string {
  let secret = "";
  for (const byte of crypto.getRandomValues(new Uint8Array(44))) secret += secretAlphabet[byte % 62];
  return secret;
}
