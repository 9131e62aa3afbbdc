// CreateSIPParticipant and TransferSIPParticipant answered from a world. The real server checks a
// call (livekit-server v1.13.5 pkg/service/sip.go) and then hands it to a SIP worker; without one
// it answers 503 "no response from servers". Here the worker is simulated: a placed call is a
// participant of kind SIP in its room (made if needed) at once, with the attributes the worker
// gives it, and a transferred call leaves the room (docs/spec/stateful.md#sip-calls).
import { create, type Message } from "@bufbuild/protobuf";
import {
  SIPParticipantInfoSchema,
  SIPTransferStatus,
  TransferSIPParticipantResponseSchema,
  type CreateSIPParticipantRequest,
  type TransferSIPParticipantRequest,
} from "../../../generated/livekit_sip_pb.js";
import { newEventId } from "../../webhooks/event-id.js";
import { joinAsService } from "../rooms/service-participant.js";
import { roomsService } from "../rooms/rooms-service.js";
import { serviceError, StateError } from "../state-error.js";
import type { StateCall, StateHandler } from "../world.js";
import type { SipState } from "./sip-records.js";
import { createParticipantProblem, transferProblem } from "./sip-validation.js";

/** The attributes a SIP participant carries (livekit protocol's livekit/attrs.go). */
export const sipAttribute = {
  callId: "sip.callID",
  trunkId: "sip.trunkID",
  phoneNumber: "sip.phoneNumber",
  hostname: "sip.hostname",
  trunkNumber: "sip.trunkPhoneNumber",
  callStatus: "sip.callStatus",
} as const;

/** psrpc's answer when no SIP worker takes the request. */
const noWorker = (): StateError => serviceError("unavailable", "no response from servers");

/** sip.BuildSIPToken: what the token the SIP worker joins with grants beyond a service's defaults. */
const sipTokenGrants = { kind: "sip", canUpdateOwnMetadata: true } as const;

function createParticipant(state: SipState, req: CreateSIPParticipantRequest, call: StateCall): Message {
  const problem = createParticipantProblem(req);
  if (problem !== undefined) throw new StateError("invalid_argument", problem);
  let trunk;
  if (req.sipTrunkId !== "") {
    trunk = state.outbound.get(req.sipTrunkId);
    if (trunk === undefined) throw new StateError("not_found", "requested sip trunk does not exist");
  }
  const trunkNumbers = trunk?.numbers ?? [];
  let number = req.sipNumber;
  if (number === "") {
    if (trunkNumbers.length === 0) throw serviceError("failed_precondition", "no numbers on outbound trunk");
    // The worker calls from one of the trunk's numbers, picked at random as the server does.
    number = trunkNumbers[Math.floor(Math.random() * trunkNumbers.length)]!;
  }
  const hostname = trunk?.address ?? req.trunk?.hostname ?? "";
  if (hostname.endsWith("twilio.com") && !number.startsWith("+")) number = `+${number}`;

  const callId = newEventId("SCL_");
  const trunkId = req.sipTrunkId !== "" ? req.sipTrunkId : (trunk?.sipTrunkId ?? "");
  const attributes: Record<string, string> = {
    ...req.participantAttributes,
    [sipAttribute.callId]: callId,
    [sipAttribute.trunkId]: trunkId,
  };
  if (!req.hidePhoneNumber) {
    attributes[sipAttribute.phoneNumber] = req.sipCallTo;
    attributes[sipAttribute.hostname] = hostname;
    attributes[sipAttribute.trunkNumber] = number;
  }
  // The simulated worker answers at once: the call is connected.
  attributes[sipAttribute.callStatus] = "active";
  const identity = req.participantIdentity !== "" ? req.participantIdentity : `sip_${req.sipCallTo}`;

  const joined = joinAsService(
    call.world,
    {
      room: req.roomName,
      identity,
      name: req.participantName,
      attributes,
      grants: { ...sipTokenGrants, metadata: req.participantMetadata },
      // Removed by the server (RemoveParticipant, the room closed, a second call as the identity), the call is over.
      removed: () => state.calls.delete(callId),
    },
    call.cause,
  );
  if (joined.kind === "refused") {
    throw new StateError("resource_exhausted", joined.why.startsWith("mock: ") ? joined.why : `mock: ${joined.why}`);
  }
  const participantSid = call.world.state(roomsService).rooms.get(req.roomName)!.participants.get(identity)!.info.sid;
  state.calls.set(callId, { callId, trunkId, room: req.roomName, identity, participantSid, participant: joined.participant });
  return create(SIPParticipantInfoSchema, {
    participantId: participantSid,
    participantIdentity: identity,
    roomName: req.roomName,
    sipCallId: callId,
  });
}

function transferParticipant(state: SipState, req: TransferSIPParticipantRequest, call: StateCall): Message {
  if (req.roomName === "") throw serviceError("invalid_argument", "Missing room name");
  if (req.participantIdentity === "") throw serviceError("invalid_argument", "Missing participant identity");
  const checked = transferProblem(req);
  if ("problem" in checked) throw new StateError("invalid_argument", checked.problem);
  const rooms = call.world.state(roomsService);
  const record = rooms.rooms.get(req.roomName);
  const participant = record?.participants.get(req.participantIdentity);
  if (record === undefined || participant === undefined) throw serviceError("not_found", "participant does not exist");
  const callId = participant.info.attributes[sipAttribute.callId];
  if (callId === undefined) throw serviceError("invalid_argument", "no SIP session associated with participant");
  const placed = state.calls.get(callId);
  // A call id this world did not place (an attribute a client set) reaches no worker.
  if (placed === undefined || placed.participantSid !== participant.info.sid) throw noWorker();
  // Once the far end takes the call, the worker hangs up its side: the participant leaves.
  state.calls.delete(callId);
  placed.participant.leave();
  // The protocol's answer of a completed transfer (livekit-server v1.13.5, older, answers Empty).
  return create(TransferSIPParticipantResponseSchema, {
    transferId: newEventId("STR_"),
    status: SIPTransferStatus.STS_TRANSFER_SUCCESSFUL,
  });
}

type Handler = StateHandler<SipState>;

export const sipCallHandlers: Readonly<Record<string, Handler>> = {
  "livekit.SIP/CreateSIPParticipant": (state, req, call) => createParticipant(state, req as CreateSIPParticipantRequest, call),
  "livekit.SIP/TransferSIPParticipant": (state, req, call) => transferParticipant(state, req as TransferSIPParticipantRequest, call),
};
