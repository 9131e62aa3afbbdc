// Which grants each LiveKit RPC requires. Hand-written on purpose: grants are a decision, not a
// fact the descriptors carry. The generator checks this table against the descriptors both ways,
// so a protocol bump that adds (or drops) an RPC stops the build until someone decides here.
// The rules: docs/spec/auth.md#grant-table (the original test server's table, and the services it
// does not register). AgentDispatchService is roomAdmin + room like its RoomService siblings.
import type { GrantName, MethodGrant, RoomScope } from "../src/twirp/method-stub.js";

/** `<package>.<Service>` → method name → grant. */
export type GrantTable = Readonly<Record<string, Readonly<Record<string, MethodGrant>>>>;

function requires(required: readonly GrantName[], roomScope: RoomScope = "none"): MethodGrant {
  return { enforced: true, required, roomScope };
}

function unenforced(reason: string): MethodGrant {
  return { enforced: false, reason };
}

const roomCreate = requires(["video.roomCreate"]);
const roomList = requires(["video.roomList"]);
const roomAdmin = requires(["video.roomAdmin"], "room");
const roomAdminWithDestination = requires(["video.roomAdmin"], "room-and-destination");
const roomRecord = requires(["video.roomRecord"]);
const ingressAdmin = requires(["video.ingressAdmin"]);
const sipAdmin = requires(["sip.admin"]);
const sipCall = requires(["sip.call"]);
const sipCallInRoom = requires(["sip.call", "video.roomAdmin"], "room");
// LiveKit's open-source server does not serve these services, so no grant can be verified;
// the original test server does not register them either.
const cloudOnly = unenforced("cloud-only service: the open-source server defines no grant for it");

export const grantTable: GrantTable = {
  "livekit.RoomService": {
    CreateRoom: roomCreate,
    ListRooms: roomList,
    DeleteRoom: roomCreate,
    ListParticipants: roomAdmin,
    GetParticipant: roomAdmin,
    RemoveParticipant: roomAdmin,
    MutePublishedTrack: roomAdmin,
    UpdateParticipant: roomAdmin,
    UpdateSubscriptions: roomAdmin,
    SendData: roomAdmin,
    UpdateRoomMetadata: roomAdmin,
    ForwardParticipant: roomAdminWithDestination,
    MoveParticipant: roomAdminWithDestination,
    PerformRpc: roomAdmin,
  },
  "livekit.Egress": {
    StartEgress: roomRecord,
    UpdateLayout: roomRecord,
    UpdateStream: roomRecord,
    ListEgress: roomRecord,
    StopEgress: roomRecord,
    StartRoomCompositeEgress: roomRecord,
    StartWebEgress: roomRecord,
    StartParticipantEgress: roomRecord,
    StartTrackCompositeEgress: roomRecord,
    StartTrackEgress: roomRecord,
  },
  "livekit.Ingress": {
    CreateIngress: ingressAdmin,
    UpdateIngress: ingressAdmin,
    ListIngress: ingressAdmin,
    DeleteIngress: ingressAdmin,
  },
  "livekit.SIP": {
    ListSIPTrunk: sipAdmin,
    CreateSIPInboundTrunk: sipAdmin,
    CreateSIPOutboundTrunk: sipAdmin,
    UpdateSIPInboundTrunk: sipAdmin,
    UpdateSIPOutboundTrunk: sipAdmin,
    GetSIPInboundTrunk: sipAdmin,
    GetSIPOutboundTrunk: sipAdmin,
    ListSIPInboundTrunk: sipAdmin,
    ListSIPOutboundTrunk: sipAdmin,
    DeleteSIPTrunk: sipAdmin,
    CreateSIPDispatchRule: sipAdmin,
    UpdateSIPDispatchRule: sipAdmin,
    ListSIPDispatchRule: sipAdmin,
    DeleteSIPDispatchRule: sipAdmin,
    CreateSIPParticipant: sipCall,
    TransferSIPParticipant: sipCallInRoom,
  },
  "livekit.AgentDispatchService": {
    CreateDispatch: roomAdmin,
    DeleteDispatch: roomAdmin,
    ListDispatch: roomAdmin,
  },
  "livekit.Connector": {
    DialWhatsAppCall: roomCreate,
    DisconnectWhatsAppCall: roomCreate,
    ConnectWhatsAppCall: roomCreate,
    AcceptWhatsAppCall: roomCreate,
    ConnectTwilioCall: roomCreate,
  },
  "livekit.PhoneNumberService": {
    SearchPhoneNumbers: cloudOnly,
    PurchasePhoneNumber: cloudOnly,
    ListPhoneNumbers: cloudOnly,
    GetPhoneNumber: cloudOnly,
    UpdatePhoneNumber: cloudOnly,
    ReleasePhoneNumbers: cloudOnly,
  },
  "livekit.CloudAgent": {
    CreateAgent: cloudOnly,
    CreateAgentV2: cloudOnly,
    PromoteAgent: cloudOnly,
    ListAgents: cloudOnly,
    ListAgentVersions: cloudOnly,
    ListAgentSecrets: cloudOnly,
    UpdateAgent: cloudOnly,
    RestartAgent: cloudOnly,
    DeployAgent: cloudOnly,
    DeployAgentV2: cloudOnly,
    UpdateAgentSecrets: cloudOnly,
    RollbackAgent: cloudOnly,
    DeleteAgent: cloudOnly,
    GetClientSettings: cloudOnly,
    CreatePrivateLink: cloudOnly,
    DestroyPrivateLink: cloudOnly,
    ListPrivateLinks: cloudOnly,
    GetPrivateLinkStatus: cloudOnly,
  },
  "livekit.AgentSimulation": {
    CreateSimulationRun: cloudOnly,
    ConfirmSimulationSourceUpload: cloudOnly,
    GetSimulationRun: cloudOnly,
    ListSimulationRuns: cloudOnly,
    CountSimulationRuns: cloudOnly,
    CancelSimulationRun: cloudOnly,
    CreateScenarioFromSession: cloudOnly,
  },
  "livekit.Replay": {
    ListReplays: cloudOnly,
    Playback: cloudOnly,
    Seek: cloudOnly,
    Close: cloudOnly,
    Export: cloudOnly,
    DeleteReplay: cloudOnly,
  },
};
