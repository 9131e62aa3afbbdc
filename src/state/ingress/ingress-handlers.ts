// The Ingress service answered from a world (docs/spec/stateful.md#ingress), with the real
// server's checks in its order and its errors word for word (livekit-server
// pkg/service/ingress.go and its redis store): RTMP and WHIP ingresses get a stream key and the
// dev server's empty base URL and are stored inactive; a URL ingress is handed to the simulated
// worker (ingress-pull.ts); an unknown id is "ingress does not exist"; only a reusable ingress can
// be updated. Creating, updating and deleting send no webhook: the real server reports them to
// analytics only.
import { clone, create, type Message } from "@bufbuild/protobuf";
import {
  IngressInfoSchema,
  IngressInput,
  IngressState_Status,
  IngressStateSchema,
  ListIngressResponseSchema,
  type CreateIngressRequest,
  type DeleteIngressRequest,
  type IngressInfo,
  type ListIngressRequest,
  type UpdateIngressRequest,
} from "../../../generated/livekit_ingress_pb.js";
import { newEventId } from "../../webhooks/event-id.js";
import { serviceError, StateError, worldFull } from "../state-error.js";
import type { StateCall, StateHandler } from "../world.js";
import { startPull, stopPull } from "./ingress-pull.js";
import { ingressView, type IngressRecord, type IngressState } from "./ingress-records.js";
import { sourceUrl } from "./ingress-source-url.js";
import { fillTranscoding, invalidIngressType, validateForSerialization, validateIngress } from "./ingress-validation.js";

const ingressNotFound = (): StateError => serviceError("not_found", "ingress does not exist");
const notReusable = (): StateError => serviceError("invalid_argument", "ingress is not reusable and cannot be modified");

/** config.IngressConfig in --dev: no RTMP or WHIP base URL is configured, so an ingress's url is empty. */
const baseUrl: Readonly<Record<IngressInput, string>> = {
  [IngressInput.RTMP_INPUT]: "",
  [IngressInput.WHIP_INPUT]: "",
  [IngressInput.URL_INPUT]: "",
};

function find(state: IngressState, ingressId: string): IngressRecord {
  const record = state.ingresses.get(ingressId);
  if (record === undefined) throw ingressNotFound();
  return record;
}

function createIngress(state: IngressState, req: CreateIngressRequest): Message {
  if (baseUrl[req.inputType] === undefined) throw invalidIngressType();
  const url = req.inputType === IngressInput.URL_INPUT ? sourceUrl(req.url) : baseUrl[req.inputType];
  const info = create(IngressInfoSchema, {
    ingressId: newEventId("IN_"),
    name: req.name,
    // guid.New(""): twelve characters, no prefix.
    streamKey: req.inputType === IngressInput.URL_INPUT ? "" : newEventId(""),
    url,
    inputType: req.inputType,
    ...(req.audio === undefined ? {} : { audio: req.audio }),
    ...(req.video === undefined ? {} : { video: req.video }),
    ...(req.enableTranscoding === undefined ? {} : { enableTranscoding: req.enableTranscoding }),
    roomName: req.roomName,
    participantIdentity: req.participantIdentity,
    participantName: req.participantName,
    participantMetadata: req.participantMetadata,
    state: create(IngressStateSchema),
    ...(req.enabled === undefined ? {} : { enabled: req.enabled }),
  });
  if (req.inputType === IngressInput.URL_INPUT) {
    validateIngress(info);
  } else {
    info.reusable = true;
    validateForSerialization(info);
  }
  fillTranscoding(info);
  if (state.ingresses.size >= state.world.limits.ingressPerWorld) throw worldFull(state.world.key, state.ingresses.size, "ingresses");
  const record =
    req.inputType === IngressInput.URL_INPUT ? startPull(state, info) : { info, participant: undefined, cancelStep: undefined };
  state.ingresses.set(info.ingressId, record);
  return ingressView(record);
}

function updateIngress(state: IngressState, req: UpdateIngressRequest): Message {
  const record = find(state, req.ingressId);
  if (!record.info.reusable) throw notReusable();
  const status = record.info.state?.status ?? IngressState_Status.ENDPOINT_INACTIVE;
  // An ingress that completed is stored again unchanged.
  if (status === IngressState_Status.ENDPOINT_COMPLETE) return ingressView(record);
  // Applied to a copy: a refused update leaves the stored ingress as it was.
  const info = clone(IngressInfoSchema, record.info);
  if (status === IngressState_Status.ENDPOINT_ERROR) info.state!.status = IngressState_Status.ENDPOINT_INACTIVE;
  apply(req, info);
  validateForSerialization(info);
  fillTranscoding(info);
  record.info = info;
  return ingressView(record);
}

/** updateInfoUsingRequest: what the request sets replaces what is stored (bypass_transcoding is not read). */
function apply(req: UpdateIngressRequest, info: IngressInfo): void {
  if (req.name !== "") info.name = req.name;
  if (req.roomName !== "") info.roomName = req.roomName;
  if (req.participantIdentity !== "") info.participantIdentity = req.participantIdentity;
  if (req.participantName !== "") info.participantName = req.participantName;
  if (req.enableTranscoding !== undefined) info.enableTranscoding = req.enableTranscoding;
  if (req.participantMetadata !== "") info.participantMetadata = req.participantMetadata;
  if (req.audio !== undefined) info.audio = req.audio;
  if (req.video !== undefined) info.video = req.video;
  if (req.enabled !== undefined) info.enabled = req.enabled;
}

function listIngress(state: IngressState, req: ListIngressRequest): Message {
  // An ingress id answers that ingress alone, whatever the room says.
  if (req.ingressId !== "") return create(ListIngressResponseSchema, { items: [ingressView(find(state, req.ingressId))] });
  const items = [...state.ingresses.values()]
    .filter((record) => req.roomName === "" || record.info.roomName === req.roomName)
    .map(ingressView);
  return create(ListIngressResponseSchema, { items });
}

function deleteIngress(state: IngressState, req: DeleteIngressRequest, call: StateCall): Message {
  const record = find(state, req.ingressId);
  // A pull in progress is stopped first, which its worker reports as ended.
  stopPull(state, record, IngressState_Status.ENDPOINT_INACTIVE, call.cause);
  state.ingresses.delete(req.ingressId);
  const deleted = ingressView(record);
  deleted.state!.status = IngressState_Status.ENDPOINT_INACTIVE;
  return deleted;
}

type Handler = StateHandler<IngressState>;

/** Route key → handler: every Ingress method. */
export const ingressHandlers: Readonly<Record<string, Handler>> = {
  "livekit.Ingress/CreateIngress": (state, req) => createIngress(state, req as CreateIngressRequest),
  "livekit.Ingress/UpdateIngress": (state, req) => updateIngress(state, req as UpdateIngressRequest),
  "livekit.Ingress/ListIngress": (state, req) => listIngress(state, req as ListIngressRequest),
  "livekit.Ingress/DeleteIngress": (state, req, call) => deleteIngress(state, req as DeleteIngressRequest, call),
};
