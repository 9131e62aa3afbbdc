// The rooms of a world as a service state module (world.ts ServiceState): RoomService's methods,
// the participants that signal joins bring, and their part of GET /_test/state/<key>.
import { toJson, type JsonValue } from "@bufbuild/protobuf";
import { DisconnectReason, ParticipantInfoSchema, RoomSchema } from "../../../generated/livekit_models_pb.js";
import type { ServiceState } from "../world.js";
import { roomHandlers } from "./room-handlers.js";
import { participantView, roomView, type RoomsState } from "./room-records.js";

export const roomsService: ServiceState<RoomsState> = {
  name: "rooms",
  create: (world) => ({ world, rooms: new Map() }),
  handlers: roomHandlers,
  inspect(state): JsonValue {
    return [...state.rooms.values()].map((record) => ({
      room: toJson(RoomSchema, roomView(record)),
      participants: [...record.participants.values()].map((participant) => ({
        participant: toJson(ParticipantInfoSchema, participantView(participant)),
        subscribedTracks: [...participant.subscribedTracks],
        dataReceived: participant.received.map((delivery) => ({ ...delivery })),
        ...(participant.droppedData === 0 ? {} : { dataDropped: participant.droppedData }),
      })),
    }));
  },
  dispose(state) {
    // A reset or evicted world ends its connections as a server going away does.
    for (const record of state.rooms.values()) {
      record.cancelClose?.();
      for (const participant of record.participants.values()) participant.link?.leave(DisconnectReason.SERVER_SHUTDOWN);
    }
    state.rooms.clear();
  },
};
