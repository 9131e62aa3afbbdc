// An ingress's settings checked as the real server checks them before it stores one
// (docs/spec/stateful.md#ingress-create; protocol ingress/validation.go, in its order, with its
// words), and the transcoding defaults it fills in (livekit-server service/ingress.go
// updateEnableTranscoding). Every refusal is a psrpc error, so twirp prefixes it with
// `twirp error unknown: `.
import {
  IngressAudioEncodingPreset,
  IngressInput,
  IngressVideoEncodingPreset,
  type IngressAudioOptions,
  type IngressInfo,
  type IngressVideoOptions,
} from "../../../generated/livekit_ingress_pb.js";
import { AudioCodec, TrackSource, VideoCodec, VideoQuality, type VideoLayer } from "../../../generated/livekit_models_pb.js";
import { serviceError, type StateError } from "../state-error.js";

const invalid = (message: string): StateError => serviceError("invalid_argument", message);
export const invalidIngress = (what: string): StateError => invalid(`invalid ingress: ${what}`);
const invalidVideo = (what: string): StateError => invalid(`invalid video parameters: ${what}`);
const invalidAudio = (what: string): StateError => invalid(`invalid audio parameters: ${what}`);
const invalidBypass = (what: string): StateError => invalid(`invalid transcoding bypass configuration: ${what}`);
export const invalidIngressType = (): StateError => invalid("invalid ingress type");

/** ingress.Validate: a URL ingress also needs its room. */
export function validateIngress(info: IngressInfo): void {
  if (info.roomName === "") throw invalidIngress("no room name");
  validateForSerialization(info);
}

/** ingress.ValidateForSerialization. */
export function validateForSerialization(info: IngressInfo): void {
  switch (info.inputType) {
    case IngressInput.RTMP_INPUT:
    case IngressInput.WHIP_INPUT:
      if (info.streamKey === "") throw invalidIngress("no stream key");
      break;
    case IngressInput.URL_INPUT:
      if (info.url === "") throw invalidIngress("no source URL");
      if (info.enabled === false) throw invalidIngress("disabled non reusable ingress");
      break;
    default:
      throw invalidIngress("unsupported input type");
  }
  if (info.participantIdentity === "") throw invalidIngress("no participant identity");
  validateBypassTranscoding(info);
  validateEnableTranscoding(info);
  validateVideo(info.video);
  validateAudio(info.audio);
}

function hasEncodingOptions(options: IngressVideoOptions | IngressAudioOptions | undefined): boolean {
  return options !== undefined && options.encodingOptions.case !== undefined;
}

function validateBypassTranscoding(info: IngressInfo): void {
  if (!info.bypassTranscoding) return;
  if (info.inputType !== IngressInput.WHIP_INPUT) throw invalidBypass("bypassing transcoding impossible with selected input type");
  if (hasEncodingOptions(info.video)) throw invalidBypass("video encoding options must be empty if transcoding bypass is selected");
  if (hasEncodingOptions(info.audio)) throw invalidBypass("audio encoding options must be empty if transcoding bypass is selected");
}

function validateEnableTranscoding(info: IngressInfo): void {
  let enabled: boolean;
  if (info.inputType === IngressInput.WHIP_INPUT) {
    enabled = info.enableTranscoding ?? false;
  } else {
    if (info.enableTranscoding === false) throw invalidBypass("bypassing transcoding impossible with selected input type");
    enabled = true;
  }
  if (enabled) return;
  if (hasEncodingOptions(info.video)) throw invalidBypass("video encoding options must be empty if transcoding is disabled");
  if (hasEncodingOptions(info.audio)) throw invalidBypass("audio encoding options must be empty if transcoding is disabled");
}

function validateVideo(options: IngressVideoOptions | undefined): void {
  if (options === undefined) return;
  if (![TrackSource.UNKNOWN, TrackSource.CAMERA, TrackSource.SCREEN_SHARE].includes(options.source))
    throw invalidVideo("invalid track source");
  const encoding = options.encodingOptions;
  if (encoding.case === "preset" && IngressVideoEncodingPreset[encoding.value] === undefined) throw invalidVideo("invalid preset");
  if (encoding.case !== "options") return;
  const { frameRate, videoCodec, layers } = encoding.value;
  if (frameRate < 0) throw invalidVideo("invalid framerate");
  if (![VideoCodec.DEFAULT_VC, VideoCodec.H264_BASELINE, VideoCodec.VP8].includes(videoCodec))
    throw invalidVideo("video codec unsupported");
  const byQuality = new Map<VideoQuality, VideoLayer>();
  for (const layer of layers) {
    if (layer.height === 0 || layer.width === 0) throw invalidVideo("invalid output media dimensions");
    if (layer.width % 2 === 1) throw invalidIngress("layer width must be even");
    if (layer.height % 2 === 1) throw invalidIngress("layer height must be even");
    if (byQuality.has(layer.quality)) throw invalidVideo("more than one layer with the same quality level");
    byQuality.set(layer.quality, layer);
  }
  let width = 0;
  let height = 0;
  for (const quality of [VideoQuality.LOW, VideoQuality.MEDIUM, VideoQuality.HIGH]) {
    const layer = byQuality.get(quality);
    if (layer === undefined) continue;
    if (layer.height < height) throw invalidVideo("video layers do not have increasing height with increasing quality");
    if (layer.width < width) throw invalidVideo("video layers do not have increasing width with increasing quality");
    width = layer.width;
    height = layer.height;
  }
}

function validateAudio(options: IngressAudioOptions | undefined): void {
  if (options === undefined) return;
  if (![TrackSource.UNKNOWN, TrackSource.MICROPHONE, TrackSource.SCREEN_SHARE_AUDIO].includes(options.source)) {
    throw invalidAudio("invalid track source");
  }
  const encoding = options.encodingOptions;
  if (encoding.case === "preset" && IngressAudioEncodingPreset[encoding.value] === undefined) throw invalidAudio("invalid preset");
  if (encoding.case !== "options") return;
  if (![AudioCodec.DEFAULT_AC, AudioCodec.OPUS].includes(encoding.value.audioCodec)) throw invalidAudio("audio codec unsupported");
  if (encoding.value.channels > 2) throw invalidAudio("invalid audio channel count");
}

/** updateEnableTranscoding: the default for the input type, and bypass_transcoding kept in step. */
export function fillTranscoding(info: IngressInfo): void {
  if (info.enableTranscoding !== undefined) {
    info.bypassTranscoding = !info.enableTranscoding;
    return;
  }
  const whip = info.inputType === IngressInput.WHIP_INPUT;
  info.enableTranscoding = !whip;
  if (whip) info.bypassTranscoding = true;
}
