// The outputs of a started egress and the results it reports for them
// (docs/spec/stateful.md#egress-results), as an egress worker fills EgressInfo: one FileInfo per
// file, one StreamInfo per stream URL (its stream key redacted), one SegmentsInfo per segmented
// output, one ImagesInfo per image output; the deprecated `result` when there is one kind of
// output only. Nothing is recorded: at the end, times and durations are the simulated ones, sizes
// and counts 0, and a file's location is its path.
import { create } from "@bufbuild/protobuf";
import {
  EncodedFileType,
  FileInfoSchema,
  ImagesInfoSchema,
  SegmentsInfoSchema,
  StreamInfo_Status,
  StreamInfoListSchema,
  StreamInfoSchema,
  type EgressInfo,
  type FileInfo,
  type SegmentsInfo,
  type StreamInfo,
} from "../../../generated/livekit_egress_pb.js";

/** A file output of any start kind (encoded, direct or v2). */
export interface FileRequest {
  readonly filepath: string;
  readonly fileType?: EncodedFileType;
}

export interface SegmentsRequest {
  readonly filenamePrefix: string;
  readonly playlistName: string;
  readonly livePlaylistName: string;
}

export interface ImagesRequest {
  readonly filenamePrefix: string;
}

/** A stream URL and the destination id it came with ("" for a plain URL). */
export interface StreamTarget {
  readonly url: string;
  readonly id: string;
}

export interface RequestedOutputs {
  readonly files: readonly FileRequest[];
  /** Present when the request has a stream output, even one without URLs yet. */
  readonly streams: readonly StreamTarget[] | undefined;
  readonly segments: readonly SegmentsRequest[];
  readonly images: readonly ImagesRequest[];
}

/** What file names are made of: `{room_name}` and the other template words an egress fills. */
export interface NameContext {
  readonly roomName: string;
  readonly roomId: string;
  readonly identity: string;
  readonly trackId: string;
  /** The name when the request gives none, e.g. `{room_name}-{time}`. */
  readonly defaultName: string;
  readonly audioOnly: boolean;
  readonly atMs: number;
}

/** The results an egress reports when it starts, and its streams by raw URL. */
export function startResults(
  outputs: RequestedOutputs,
  names: NameContext,
): {
  results: Pick<EgressInfo, "fileResults" | "streamResults" | "segmentResults" | "imageResults" | "result">;
  streams: Map<string, StreamInfo>;
} {
  const fileResults = outputs.files.map((file) => create(FileInfoSchema, { filename: fileName(file, names) }));
  const streams = new Map<string, StreamInfo>();
  for (const target of outputs.streams ?? []) streams.set(target.url, newStream(target));
  const streamResults = [...streams.values()];
  const segmentResults = outputs.segments.map((segments) => {
    const prefix = fill(segments.filenamePrefix === "" ? names.defaultName : segments.filenamePrefix, names);
    return create(SegmentsInfoSchema, {
      playlistName: withExtension(segments.playlistName === "" ? prefix : fill(segments.playlistName, names), ".m3u8"),
      livePlaylistName: segments.livePlaylistName === "" ? "" : withExtension(fill(segments.livePlaylistName, names), ".m3u8"),
    });
  });
  const imageResults = outputs.images.map((images) =>
    create(ImagesInfoSchema, { filenamePrefix: fill(images.filenamePrefix === "" ? names.defaultName : images.filenamePrefix, names) }),
  );
  const kinds = [fileResults, outputs.streams ?? [], segmentResults, imageResults].filter((list) => list.length > 0).length;
  let result: EgressInfo["result"] = { case: undefined };
  if (kinds === 1 && fileResults.length > 0) result = { case: "file", value: fileResults[0]! };
  if (kinds === 1 && outputs.streams !== undefined && streams.size > 0) {
    // The same list, so that streams added or stopped later show in both.
    result = { case: "stream", value: create(StreamInfoListSchema, { info: streamResults }) };
  }
  if (kinds === 1 && segmentResults.length > 0) result = { case: "segments", value: segmentResults[0]! };
  return { results: { fileResults, streamResults, segmentResults, imageResults, result }, streams };
}

export function newStream(target: StreamTarget): StreamInfo {
  return create(StreamInfoSchema, { url: redactStreamKey(target.url), id: target.id, status: StreamInfo_Status.ACTIVE });
}

/** The egress is recording from `atNs`: every result starts then. */
export function startRecording(info: EgressInfo, atNs: bigint): void {
  for (const result of [...info.fileResults, ...info.streamResults, ...info.segmentResults, ...info.imageResults]) result.startedAt = atNs;
}

/** The egress has finished at `atNs`: every result ends, each stream still active finishes. */
export function finishRecording(info: EgressInfo, atNs: bigint): void {
  for (const stream of info.streamResults) if (stream.status === StreamInfo_Status.ACTIVE) finishStream(stream, atNs);
  for (const file of info.fileResults) {
    finish(file, atNs);
    file.location = file.filename;
  }
  for (const segments of info.segmentResults) {
    finish(segments, atNs);
    segments.playlistLocation = segments.playlistName;
    segments.livePlaylistLocation = segments.livePlaylistName;
  }
  for (const images of info.imageResults) images.endedAt = images.startedAt === 0n ? 0n : atNs;
}

export function finishStream(stream: StreamInfo, atNs: bigint): void {
  stream.status = StreamInfo_Status.FINISHED;
  finish(stream, atNs);
}

function finish(result: FileInfo | SegmentsInfo | StreamInfo, atNs: bigint): void {
  // A result that never started (an egress stopped while starting) has no times.
  if (result.startedAt === 0n) return;
  result.endedAt = atNs;
  result.duration = atNs - result.startedAt;
}

function fileName(file: FileRequest, names: NameContext): string {
  const path = file.filepath === "" || file.filepath.endsWith("/") ? `${file.filepath}${names.defaultName}` : file.filepath;
  return withExtension(fill(path, names), extensionOf(file.fileType, names.audioOnly));
}

function extensionOf(fileType: EncodedFileType | undefined, audioOnly: boolean): string {
  switch (fileType) {
    case undefined:
      // A track is written in its own codec's container, which the mock cannot know.
      return "";
    case EncodedFileType.OGG:
      return ".ogg";
    case EncodedFileType.MP3:
      return ".mp3";
    case EncodedFileType.MCAP:
      return ".mcap";
    case EncodedFileType.MP4:
      return ".mp4";
    default:
      return audioOnly ? ".ogg" : ".mp4";
  }
}

function withExtension(path: string, extension: string): string {
  const last = path.slice(path.lastIndexOf("/") + 1);
  return extension === "" || last.includes(".") ? path : `${path}${extension}`;
}

/** The template words an egress replaces in file names. */
function fill(template: string, names: NameContext): string {
  const words: Readonly<Record<string, string>> = {
    "{room_name}": names.roomName,
    "{room_id}": names.roomId,
    "{time}": goTime(names.atMs),
    "{publisher_identity}": names.identity,
    "{track_id}": names.trackId,
  };
  return template.replace(/\{[a-z_]+\}/g, (word) => words[word] ?? word);
}

/** Go's "2006-01-02T150405", in UTC. */
function goTime(atMs: number): string {
  const iso = new Date(atMs).toISOString();
  return `${iso.slice(0, 10)}T${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
}

const rtmpUrl = /^(rtmps?:\/\/)(.*\/)(.*\/)(\S*)( live=1)?$/;

/** protocol utils.RedactStreamKey: an RTMP URL's stream key shown as `{abc...xyz}`. */
export function redactStreamKey(url: string): string {
  const match = rtmpUrl.exec(url);
  if (match === null) return url;
  const key = match[4]!;
  let prefix = "";
  let suffix = "";
  for (let i = 3; i > 0; i--) {
    if (key.length >= i * 3) {
      prefix = key.slice(0, i);
      suffix = key.slice(key.length - i);
      break;
    }
  }
  return `${match[1]}${match[2]}${match[3]}{${prefix}...${suffix}}${match[5] ?? ""}`;
}
