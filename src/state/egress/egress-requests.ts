// What each way of starting an egress asks of the worker: its room, its source type, its outputs
// and its file names, checked as an egress worker checks a request before it answers (a missing
// room name, page URL, identity, track or output is refused with the worker's words). The request
// is kept in EgressInfo as the worker keeps it: a copy with upload secrets and stream keys redacted.
import { clone, type Message } from "@bufbuild/protobuf";
import {
  EgressSourceType,
  ParticipantEgressRequestSchema,
  RoomCompositeEgressRequestSchema,
  StartEgressRequestSchema,
  TrackCompositeEgressRequestSchema,
  TrackEgressRequestSchema,
  WebEgressRequestSchema,
  type EgressInfo,
  type EncodedFileOutput,
  type ImageOutput,
  type ParticipantEgressRequest,
  type RoomCompositeEgressRequest,
  type SegmentedFileOutput,
  type StartEgressRequest,
  type StreamOutput,
  type TrackCompositeEgressRequest,
  type TrackEgressRequest,
  type WebEgressRequest,
} from "../../../generated/livekit_egress_pb.js";
import { serviceError, type StateError } from "../state-error.js";
import { redactStreamKey, type FileRequest, type NameContext, type RequestedOutputs, type StreamTarget } from "./egress-outputs.js";

export const startMethods = [
  "StartEgress",
  "StartRoomCompositeEgress",
  "StartWebEgress",
  "StartParticipantEgress",
  "StartTrackCompositeEgress",
  "StartTrackEgress",
] as const;

export type StartMethod = (typeof startMethods)[number];

/** A start request as the worker understands it. */
export interface StartSpec {
  /** The request as EgressInfo keeps it, redacted. */
  readonly request: EgressInfo["request"];
  readonly roomName: string;
  readonly sourceType: EgressSourceType;
  /** Every kind but a web page joins its room as a participant. */
  readonly joinsRoom: boolean;
  readonly outputs: RequestedOutputs;
  readonly names: Omit<NameContext, "roomId" | "atMs">;
}

/** egress errors.ErrInvalidInput: how a worker refuses a request that lacks what it needs. */
const invalidInput = (field: string): StateError => serviceError("invalid_argument", `request has missing or invalid field: ${field}`);

/** The room the real server looks up before it asks a worker (none for a web page). */
export function roomNameOf(method: StartMethod, request: Message): string {
  return method === "StartWebEgress" ? "" : (request as Message & { roomName: string }).roomName;
}

/** The worker's reading of a start request; throws StateError for one it refuses. */
export function startSpec(method: StartMethod, request: Message): StartSpec {
  switch (method) {
    case "StartRoomCompositeEgress": {
      const req = redacted(RoomCompositeEgressRequestSchema, request as RoomCompositeEgressRequest);
      requireField(req.roomName, "room_name");
      return {
        request: { case: "roomComposite", value: req },
        roomName: req.roomName,
        sourceType: EgressSourceType.WEB,
        joinsRoom: true,
        outputs: encodedOutputs(request as RoomCompositeEgressRequest),
        names: names(req.roomName, "{room_name}-{time}", { audioOnly: req.audioOnly }),
      };
    }
    case "StartWebEgress": {
      const req = redacted(WebEgressRequestSchema, request as WebEgressRequest);
      requireField(req.url, "url");
      return {
        request: { case: "web", value: req },
        roomName: "",
        sourceType: EgressSourceType.WEB,
        joinsRoom: false,
        outputs: encodedOutputs(request as WebEgressRequest),
        names: names("", "web-{time}", { audioOnly: req.audioOnly }),
      };
    }
    case "StartParticipantEgress": {
      const req = redacted(ParticipantEgressRequestSchema, request as ParticipantEgressRequest);
      requireField(req.roomName, "room_name");
      requireField(req.identity, "identity");
      return {
        request: { case: "participant", value: req },
        roomName: req.roomName,
        sourceType: EgressSourceType.SDK,
        joinsRoom: true,
        outputs: encodedOutputs(request as ParticipantEgressRequest),
        names: names(req.roomName, "{room_name}-{publisher_identity}-{time}", { identity: req.identity }),
      };
    }
    case "StartTrackCompositeEgress": {
      const req = redacted(TrackCompositeEgressRequestSchema, request as TrackCompositeEgressRequest);
      requireField(req.roomName, "room_name");
      requireField(req.audioTrackId + req.videoTrackId, "track_id");
      return {
        request: { case: "trackComposite", value: req },
        roomName: req.roomName,
        sourceType: EgressSourceType.SDK,
        joinsRoom: true,
        outputs: encodedOutputs(request as TrackCompositeEgressRequest),
        names: names(req.roomName, "{room_name}-{time}", { audioOnly: req.videoTrackId === "" }),
      };
    }
    case "StartTrackEgress": {
      const original = request as TrackEgressRequest;
      const req = redacted(TrackEgressRequestSchema, original);
      requireField(req.roomName, "room_name");
      requireField(req.trackId, "track_id");
      const output = original.output;
      if (output.case === undefined || (output.case === "websocketUrl" && output.value === "")) throw invalidInput("output");
      return {
        request: { case: "track", value: req },
        roomName: req.roomName,
        sourceType: EgressSourceType.SDK,
        joinsRoom: true,
        outputs: {
          files: output.case === "file" ? [{ filepath: output.value.filepath }] : [],
          streams: output.case === "websocketUrl" ? [{ url: output.value, id: "" }] : undefined,
          segments: [],
          images: [],
        },
        names: names(req.roomName, "{room_name}-{track_id}-{time}", { trackId: req.trackId }),
      };
    }
    case "StartEgress":
      return startEgressSpec(request as StartEgressRequest);
  }
}

/** StartEgress: a template, web or media source and a list of outputs. */
function startEgressSpec(original: StartEgressRequest): StartSpec {
  const req = redacted(StartEgressRequestSchema, original);
  const source = req.source;
  if (source.case === undefined) throw invalidInput("source");
  if (source.case === "web") requireField(source.value.url, "url");
  else requireField(req.roomName, "room_name");
  const files: FileRequest[] = [];
  const streams: StreamTarget[] = [];
  let hasStream = false;
  const segments: SegmentedFileOutput[] = [];
  const images: ImageOutput[] = [];
  for (const output of original.outputs) {
    const config = output.config;
    if (config.case === "file") files.push(config.value);
    if (config.case === "stream") {
      hasStream = true;
      streams.push(...streamTargets(config.value));
    }
    if (config.case === "segments") segments.push(config.value);
    if (config.case === "images") images.push(config.value);
  }
  if (files.length + segments.length + images.length === 0 && !hasStream) throw invalidInput("output");
  const web = source.case === "web";
  const audioOnly = source.case === "template" || source.case === "web" ? source.value.audioOnly : false;
  return {
    request: { case: "egress", value: req },
    roomName: web ? "" : req.roomName,
    sourceType: source.case === "media" ? EgressSourceType.SDK : EgressSourceType.WEB,
    joinsRoom: !web,
    outputs: { files, streams: hasStream ? streams : undefined, segments, images },
    names: names(web ? "" : req.roomName, web ? "web-{time}" : "{room_name}-{time}", { audioOnly }),
  };
}

interface EncodedRequest {
  readonly fileOutputs: readonly EncodedFileOutput[];
  readonly streamOutputs: readonly StreamOutput[];
  readonly segmentOutputs: readonly SegmentedFileOutput[];
  readonly imageOutputs: readonly ImageOutput[];
  readonly output?: RoomCompositeEgressRequest["output"];
}

/** The outputs of the encoded kinds: the lists, or the deprecated single output; one of each at most. */
function encodedOutputs(req: EncodedRequest): RequestedOutputs {
  const legacy = req.output ?? { case: undefined };
  const files = req.fileOutputs.length > 0 ? req.fileOutputs : legacy.case === "file" ? [legacy.value] : [];
  const streams = req.streamOutputs.length > 0 ? req.streamOutputs : legacy.case === "stream" ? [legacy.value] : [];
  const segments = req.segmentOutputs.length > 0 ? req.segmentOutputs : legacy.case === "segments" ? [legacy.value] : [];
  if (files.length > 1) throw invalidInput("multiple file outputs");
  if (streams.length > 1) throw invalidInput("multiple stream outputs");
  if (segments.length > 1) throw invalidInput("multiple segmented file outputs");
  if (files.length + streams.length + segments.length + req.imageOutputs.length === 0) throw invalidInput("output");
  return {
    files,
    streams: streams.length === 0 ? undefined : streamTargets(streams[0]!),
    segments,
    images: req.imageOutputs,
  };
}

function streamTargets(stream: StreamOutput): StreamTarget[] {
  return [...stream.urls.map((url) => ({ url, id: "" })), ...stream.destinations.map((d) => ({ url: d.url, id: d.id }))];
}

function names(roomName: string, defaultName: string, extra: { identity?: string; trackId?: string; audioOnly?: boolean }) {
  return { roomName, defaultName, identity: extra.identity ?? "", trackId: extra.trackId ?? "", audioOnly: extra.audioOnly ?? false };
}

function requireField(value: string, field: string): void {
  if (value === "") throw invalidInput(field);
}

type Redactable = Parameters<typeof clone>[0];

/** A copy of the request with what the worker keeps secret redacted (protocol egress/redact.go). */
function redacted<T extends Message>(schema: Redactable, request: T): T {
  const copy = clone(schema, request) as T;
  redactIn(copy);
  return copy;
}

/** utils.Redact: a set secret becomes its placeholder, an unset one stays empty. */
const placeholder = (value: string, name: string): string => (value === "" ? "" : name);

function redactIn(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) redactIn(item);
    return;
  }
  if (value === null || typeof value !== "object") return;
  const node = value as Record<string, unknown> & { $typeName?: string };
  switch (node.$typeName) {
    case "livekit.S3Upload":
      node["accessKey"] = placeholder(node["accessKey"] as string, "{access_key}");
      node["secret"] = placeholder(node["secret"] as string, "{secret}");
      node["sessionToken"] = placeholder(node["sessionToken"] as string, "{session_token}");
      node["assumeRoleExternalId"] = placeholder(node["assumeRoleExternalId"] as string, "{external_id}");
      return;
    case "livekit.GCPUpload":
      node["credentials"] = placeholder(node["credentials"] as string, "{credentials}");
      return;
    case "livekit.AzureBlobUpload":
      node["accountName"] = placeholder(node["accountName"] as string, "{account_name}");
      node["accountKey"] = placeholder(node["accountKey"] as string, "{account_key}");
      return;
    case "livekit.AliOSSUpload":
      node["accessKey"] = placeholder(node["accessKey"] as string, "{access_key}");
      node["secret"] = placeholder(node["secret"] as string, "{secret}");
      return;
    case "livekit.StreamOutput":
      node["urls"] = (node["urls"] as string[]).map(redactStreamKey);
      break;
  }
  for (const child of Object.values(node)) redactIn(child);
}
