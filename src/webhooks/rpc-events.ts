// Which RPCs emit which events: the one table, keyed by the route keys of generated/mock's
// methodStubs (test/webhooks/rpc-events.test.ts checks every key and schema against them, and the
// table of docs/webhooks.md against this one). Each entry builds its events from the call's request and the
// response actually answered (populated or the `response` override), in the order a real server
// sends them.
//
// The mock plays a resource's life at once: an ingress is publishing as soon as it is created and
// a dispatched agent job starts at once, where a real server would wait for media or a worker.
// RPCs not listed emit nothing (listing, reading, updating metadata, muting, sending data).
import type { DescMessage, Message, MessageShape } from "@bufbuild/protobuf";
import {
  AgentDispatchSchema,
  CreateAgentDispatchRequestSchema,
  DeleteAgentDispatchRequestSchema,
} from "../../generated/livekit_agent_dispatch_pb.js";
import {
  EgressInfoSchema,
  EgressStatus,
  ParticipantEgressRequestSchema,
  RoomCompositeEgressRequestSchema,
  StartEgressRequestSchema,
  StopEgressRequestSchema,
  TrackCompositeEgressRequestSchema,
  TrackEgressRequestSchema,
  UpdateStreamRequestSchema,
  WebEgressRequestSchema,
} from "../../generated/livekit_egress_pb.js";
import { CreateIngressRequestSchema, DeleteIngressRequestSchema, IngressInfoSchema } from "../../generated/livekit_ingress_pb.js";
import { DisconnectReason, ParticipantInfo_Kind, RoomEndReason, RoomSchema } from "../../generated/livekit_models_pb.js";
import {
  CreateRoomRequestSchema,
  DeleteRoomRequestSchema,
  DeleteRoomResponseSchema,
  ForwardParticipantRequestSchema,
  ForwardParticipantResponseSchema,
  MoveParticipantRequestSchema,
  MoveParticipantResponseSchema,
  RemoveParticipantResponseSchema,
  RoomParticipantIdentitySchema,
} from "../../generated/livekit_room_pb.js";
import {
  CreateSIPParticipantRequestSchema,
  SIPParticipantInfoSchema,
  TransferSIPParticipantRequestSchema,
  TransferSIPParticipantResponseSchema,
} from "../../generated/livekit_sip_pb.js";
import {
  egressEvent,
  ingressEvent,
  jobEvent,
  minimalRoom,
  participantGone,
  participantJoined,
  type EventInit,
  type Instant,
} from "./event-shapes.js";
import type { WebhookEventName } from "./webhook-events.js";

/** What a placeholder id looks like where the call names none (populate's `MOCK_<FIELD>`). */
const mockSid = "MOCK_SID";

export interface RpcEvents {
  readonly input: DescMessage;
  readonly output: DescMessage;
  /** The events, in the order they are sent. */
  readonly events: readonly WebhookEventName[];
  build(request: Message, response: Message, at: Instant): EventInit[];
}

function on<I extends DescMessage, O extends DescMessage>(
  input: I,
  output: O,
  events: readonly WebhookEventName[],
  build: (request: MessageShape<I>, response: MessageShape<O>, at: Instant) => EventInit[],
): RpcEvents {
  return { input, output, events, build: build as RpcEvents["build"] };
}

const egressStarted = (input: DescMessage): RpcEvents =>
  on(input, EgressInfoSchema, ["egress_started"], (_req, info, at) => [egressEvent("egress_started", info, at)]);

export const rpcEvents: Readonly<Record<string, RpcEvents>> = {
  "livekit.RoomService/CreateRoom": on(CreateRoomRequestSchema, RoomSchema, ["room_started"], (_req, room) => [
    { event: "room_started", room },
  ]),
  "livekit.RoomService/DeleteRoom": on(DeleteRoomRequestSchema, DeleteRoomResponseSchema, ["room_finished"], (req) => [
    { event: "room_finished", room: minimalRoom(mockSid, req.room), roomEndReason: RoomEndReason.ROOM_END_API_DELETE },
  ]),
  "livekit.RoomService/RemoveParticipant": on(
    RoomParticipantIdentitySchema,
    RemoveParticipantResponseSchema,
    ["participant_left"],
    (req) => [
      participantGone(
        "participant_left",
        minimalRoom(mockSid, req.room),
        { sid: mockSid, identity: req.identity },
        DisconnectReason.PARTICIPANT_REMOVED,
      ),
    ],
  ),
  "livekit.RoomService/MoveParticipant": on(
    MoveParticipantRequestSchema,
    MoveParticipantResponseSchema,
    ["participant_left", "participant_joined"],
    (req, _res, at) => [
      participantGone(
        "participant_left",
        minimalRoom(mockSid, req.room),
        { sid: mockSid, identity: req.identity },
        DisconnectReason.UNKNOWN_REASON,
      ),
      participantJoined(minimalRoom(mockSid, req.destinationRoom), { sid: mockSid, identity: req.identity }, at),
    ],
  ),
  "livekit.RoomService/ForwardParticipant": on(
    ForwardParticipantRequestSchema,
    ForwardParticipantResponseSchema,
    ["participant_joined"],
    (req, _res, at) => [participantJoined(minimalRoom(mockSid, req.destinationRoom), { sid: mockSid, identity: req.identity }, at)],
  ),
  "livekit.Egress/StartEgress": egressStarted(StartEgressRequestSchema),
  "livekit.Egress/StartRoomCompositeEgress": egressStarted(RoomCompositeEgressRequestSchema),
  "livekit.Egress/StartWebEgress": egressStarted(WebEgressRequestSchema),
  "livekit.Egress/StartParticipantEgress": egressStarted(ParticipantEgressRequestSchema),
  "livekit.Egress/StartTrackCompositeEgress": egressStarted(TrackCompositeEgressRequestSchema),
  "livekit.Egress/StartTrackEgress": egressStarted(TrackEgressRequestSchema),
  "livekit.Egress/UpdateStream": on(UpdateStreamRequestSchema, EgressInfoSchema, ["egress_updated"], (_req, info, at) => [
    egressEvent("egress_updated", info, at, EgressStatus.EGRESS_ACTIVE),
  ]),
  "livekit.Egress/StopEgress": on(StopEgressRequestSchema, EgressInfoSchema, ["egress_updated", "egress_ended"], (_req, info, at) => [
    egressEvent("egress_updated", info, at, EgressStatus.EGRESS_ENDING),
    egressEvent("egress_ended", info, at, EgressStatus.EGRESS_COMPLETE),
  ]),
  "livekit.Ingress/CreateIngress": on(CreateIngressRequestSchema, IngressInfoSchema, ["ingress_started"], (_req, info, at) => [
    ingressEvent("ingress_started", info, at),
  ]),
  "livekit.Ingress/DeleteIngress": on(DeleteIngressRequestSchema, IngressInfoSchema, ["ingress_ended"], (_req, info, at) => [
    ingressEvent("ingress_ended", info, at),
  ]),
  "livekit.AgentDispatchService/CreateDispatch": on(
    CreateAgentDispatchRequestSchema,
    AgentDispatchSchema,
    ["agent_job_pending", "agent_job_started"],
    (_req, dispatch, at) => [jobEvent("agent_job_pending", dispatch, at), jobEvent("agent_job_started", dispatch, at)],
  ),
  "livekit.AgentDispatchService/DeleteDispatch": on(
    DeleteAgentDispatchRequestSchema,
    AgentDispatchSchema,
    ["agent_job_ended"],
    (_req, dispatch, at) => [jobEvent("agent_job_ended", dispatch, at)],
  ),
  "livekit.SIP/CreateSIPParticipant": on(
    CreateSIPParticipantRequestSchema,
    SIPParticipantInfoSchema,
    ["participant_joined"],
    (_req, info, at) => [
      participantJoined(
        minimalRoom(mockSid, info.roomName),
        { sid: info.participantId, identity: info.participantIdentity, kind: ParticipantInfo_Kind.SIP },
        at,
      ),
    ],
  ),
  "livekit.SIP/TransferSIPParticipant": on(
    TransferSIPParticipantRequestSchema,
    TransferSIPParticipantResponseSchema,
    ["participant_left"],
    (req) => [
      participantGone(
        "participant_left",
        minimalRoom(mockSid, req.roomName),
        { sid: mockSid, identity: req.participantIdentity, kind: ParticipantInfo_Kind.SIP },
        DisconnectReason.UNKNOWN_REASON,
      ),
    ],
  ),
};

/** The events a successful call of `key` emits; none for RPCs outside the table. */
export function eventsForCall(key: string, request: Message, response: Message, at: Instant): EventInit[] {
  return rpcEvents[key]?.build(request, response, at) ?? [];
}

/**
 * Every other RPC, decided: why it emits nothing. A `<Service>/*` entry covers a whole service. A
 * protocol bump that adds an RPC fails test/webhooks/rpc-events.test.ts until it is decided here or
 * above.
 */
export const silentRpcs: Readonly<Record<string, string>> = {
  "livekit.RoomService/ListRooms": "a read",
  "livekit.RoomService/ListParticipants": "a read",
  "livekit.RoomService/GetParticipant": "a read",
  "livekit.RoomService/MutePublishedTrack": "muting is no webhook event",
  "livekit.RoomService/UpdateParticipant": "participant updates are no webhook event",
  "livekit.RoomService/UpdateSubscriptions": "subscriptions are no webhook event",
  "livekit.RoomService/SendData": "data messages are no webhook event",
  "livekit.RoomService/UpdateRoomMetadata": "room metadata changes are no webhook event",
  "livekit.RoomService/PerformRpc": "RPCs between participants are no webhook event",
  "livekit.Egress/ListEgress": "a read",
  "livekit.Egress/UpdateLayout": "a layout change is sent to the recorder's page; the egress reports no update",
  "livekit.Ingress/ListIngress": "a read",
  "livekit.Ingress/UpdateIngress": "settings changes send nothing; state changes do (ingress_started, ingress_ended)",
  "livekit.AgentDispatchService/ListDispatch": "a read",
  "livekit.SIP/ListSIPTrunk": "a read",
  "livekit.SIP/CreateSIPInboundTrunk": "SIP configuration, no room event",
  "livekit.SIP/CreateSIPOutboundTrunk": "SIP configuration, no room event",
  "livekit.SIP/UpdateSIPInboundTrunk": "SIP configuration, no room event",
  "livekit.SIP/UpdateSIPOutboundTrunk": "SIP configuration, no room event",
  "livekit.SIP/GetSIPInboundTrunk": "a read",
  "livekit.SIP/GetSIPOutboundTrunk": "a read",
  "livekit.SIP/ListSIPInboundTrunk": "a read",
  "livekit.SIP/ListSIPOutboundTrunk": "a read",
  "livekit.SIP/DeleteSIPTrunk": "SIP configuration, no room event",
  "livekit.SIP/CreateSIPDispatchRule": "SIP configuration, no room event",
  "livekit.SIP/UpdateSIPDispatchRule": "SIP configuration, no room event",
  "livekit.SIP/ListSIPDispatchRule": "a read",
  "livekit.SIP/DeleteSIPDispatchRule": "SIP configuration, no room event",
  "livekit.Connector/*": "cloud-only calls; their answers name no participant or room to announce",
  "livekit.PhoneNumberService/*": "cloud project management, no room event",
  "livekit.CloudAgent/*": "cloud project management, no room event",
  "livekit.AgentSimulation/*": "cloud project management, no room event",
  "livekit.Replay/*": "cloud project management, no room event",
};
