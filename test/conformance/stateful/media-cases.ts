// Egress and Ingress sequences of the stateful parity matrix. The real server cannot start an
// egress or pull a URL ingress without a worker (it answers 503 after waiting for one), so the
// egress case covers what it answers without one: lists of nothing, a missing egress, a start for
// a missing room. Ingress is the real server's own (RTMP and WHIP need no worker until media
// comes): created, listed by room and id, updated, deleted, and every refusal. Each case uses
// names of its own; every ingress a case creates it deletes.
import type { JsonObject } from "@bufbuild/protobuf";
import {
  call,
  egressService as eg,
  ingressAdmin,
  ingressService as ing,
  roomCreate,
  roomRecord,
  roomService as rs,
  type StatefulCase,
  type Step,
} from "./stateful-case.js";

/** ListIngress, repeated until the ingresses listed are named exactly `expected`. */
function ingressesAre(body: JsonObject, expected: readonly string[]): Step {
  return call(ing("ListIngress"), body, ingressAdmin, (observed) => {
    const items = ((observed as { body?: { items?: JsonObject[] } }).body?.items ?? []).map((i) => i["name"] ?? "");
    return JSON.stringify([...items].sort()) === JSON.stringify([...expected].sort());
  });
}

export function egressCases(): StatefulCase[] {
  const missing = "EG_missing0000";
  const file = { fileOutputs: [{ filepath: "out.mp4" }] };
  return [
    {
      id: "egress: lists of nothing, and what a missing egress or room answers",
      group: "Egress",
      steps: [
        call(eg("ListEgress"), {}, roomRecord),
        call(eg("ListEgress"), { roomName: "egress-none" }, roomRecord),
        call(eg("ListEgress"), { active: true }, roomRecord),
        call(eg("ListEgress"), { egressId: missing }, roomRecord),
        call(eg("ListEgress"), { egressId: missing, roomName: "egress-none", active: true }, roomRecord),
        call(eg("UpdateLayout"), { egressId: missing, layout: "grid" }, roomRecord),
        call(eg("StopEgress"), { egressId: missing }, roomRecord),
        call(eg("UpdateStream"), { egressId: missing, addOutputUrls: ["rtmp://live.example.com/app/key"] }, roomRecord),
        call(eg("StartRoomCompositeEgress"), { roomName: "egress-missing", layout: "grid", ...file }, roomRecord),
        call(eg("StartParticipantEgress"), { roomName: "egress-missing", identity: "alice", ...file }, roomRecord),
        call(eg("StartTrackCompositeEgress"), { roomName: "egress-missing", audioTrackId: "TR_a", ...file }, roomRecord),
        call(eg("StartTrackEgress"), { roomName: "egress-missing", trackId: "TR_a", websocketUrl: "wss://sink.example.com" }, roomRecord),
        call(eg("StartEgress"), { roomName: "egress-missing", template: { layout: "grid" }, outputs: [{ file: {} }] }, roomRecord),
        // A room that is gone is as missing as one that never was.
        call(rs("CreateRoom"), { name: "egress-gone" }, roomCreate),
        call(rs("DeleteRoom"), { room: "egress-gone" }, roomCreate),
        call(eg("StartRoomCompositeEgress"), { roomName: "egress-gone", ...file }, roomRecord),
        call(eg("ListEgress"), {}, roomRecord),
      ],
    },
  ];
}

/** CreateIngress of `inputType` into the checks' room, as `checker`, with `extra` on top. */
function create(inputType: string | number, extra: JsonObject): Step {
  return call(ing("CreateIngress"), { inputType, roomName: "ingress-checks", participantIdentity: "checker", ...extra }, ingressAdmin);
}

/** Video encoding options with these layers (quality, width, height). */
function layers(...list: [string, number, number][]): JsonObject {
  return { video: { options: { layers: list.map(([quality, width, height]) => ({ quality, width, height })) } } };
}

export function ingressCases(): StatefulCase[] {
  const group = "Ingress";
  const who = { roomName: "ingress-checks", participantIdentity: "checker" };
  return [
    {
      id: "ingress: create, list, update, delete, list",
      group,
      steps: [
        call(
          ing("CreateIngress"),
          {
            inputType: "RTMP_INPUT",
            name: "ing-cam",
            roomName: "ingress-stage",
            participantIdentity: "cam",
            participantName: "Cam",
            participantMetadata: "meta",
            url: "rtmp://ignored.example.com/app",
          },
          ingressAdmin,
        ),
        call(
          ing("CreateIngress"),
          { inputType: "WHIP_INPUT", name: "ing-web", roomName: "ingress-stage", participantIdentity: "web" },
          ingressAdmin,
        ),
        call(
          ing("CreateIngress"),
          {
            inputType: "RTMP_INPUT",
            name: "ing-loose",
            participantIdentity: "loose",
            audio: { name: "mic", source: "MICROPHONE", preset: "OPUS_MONO_64KBS" },
            video: {
              name: "cam",
              source: "CAMERA",
              options: { videoCodec: "H264_BASELINE", frameRate: 30, layers: [{ quality: "HIGH", width: 1280, height: 720 }] },
            },
          },
          ingressAdmin,
        ),
        ingressesAre({}, ["ing-cam", "ing-web", "ing-loose"]),
        ingressesAre({ roomName: "ingress-stage" }, ["ing-cam", "ing-web"]),
        ingressesAre({ roomName: "ingress-nowhere" }, []),
        call(ing("ListIngress"), { ingressId: "<IN_#1>" }, ingressAdmin),
        // An id names that ingress alone, whatever the room says.
        call(ing("ListIngress"), { ingressId: "<IN_#2>", roomName: "ingress-nowhere" }, ingressAdmin),
        call(
          ing("UpdateIngress"),
          {
            ingressId: "<IN_#1>",
            name: "ing-cam-2",
            roomName: "ingress-backstage",
            participantName: "Cam 2",
            enabled: false,
          },
          ingressAdmin,
        ),
        ingressesAre({ roomName: "ingress-stage" }, ["ing-web"]),
        ingressesAre({ roomName: "ingress-backstage" }, ["ing-cam-2"]),
        call(
          ing("UpdateIngress"),
          { ingressId: "<IN_#2>", enableTranscoding: true, video: { preset: "H264_540P_25FPS_2_LAYERS" } },
          ingressAdmin,
        ),
        call(ing("UpdateIngress"), { ingressId: "<IN_#2>", bypassTranscoding: true }, ingressAdmin),
        call(ing("UpdateIngress"), { ingressId: "<IN_#3>" }, ingressAdmin),
        call(ing("DeleteIngress"), { ingressId: "<IN_#2>" }, ingressAdmin),
        call(ing("DeleteIngress"), { ingressId: "<IN_#2>" }, ingressAdmin),
        call(ing("UpdateIngress"), { ingressId: "<IN_#2>", name: "again" }, ingressAdmin),
        call(ing("ListIngress"), { ingressId: "<IN_#2>" }, ingressAdmin),
        ingressesAre({ roomName: "ingress-stage" }, []),
        call(ing("DeleteIngress"), { ingressId: "<IN_#1>" }, ingressAdmin),
        call(ing("DeleteIngress"), { ingressId: "<IN_#3>" }, ingressAdmin),
        ingressesAre({}, []),
      ],
    },
    {
      id: "ingress: every refusal of a create or an update",
      group,
      steps: [
        create(7, {}),
        call(ing("CreateIngress"), { inputType: "RTMP_INPUT", roomName: "ingress-checks" }, ingressAdmin),
        create("WHIP_INPUT", { enableTranscoding: false, video: { preset: "H264_720P_30FPS_1_LAYER" } }),
        create("RTMP_INPUT", { enableTranscoding: false }),
        create("RTMP_INPUT", { video: { source: "MICROPHONE" } }),
        create("RTMP_INPUT", { audio: { source: "CAMERA" } }),
        create("RTMP_INPUT", { audio: { options: { audioCodec: "OPUS", channels: 3 } } }),
        create("RTMP_INPUT", { video: { options: { videoCodec: "H264_MAIN" } } }),
        create("RTMP_INPUT", { video: { options: { frameRate: -1 } } }),
        create("RTMP_INPUT", layers(["LOW", 640, 361])),
        create("RTMP_INPUT", layers(["LOW", 640, 360], ["LOW", 1280, 720])),
        create("RTMP_INPUT", layers(["LOW", 1280, 720], ["HIGH", 640, 1080])),
        create("URL_INPUT", {}),
        create("URL_INPUT", { url: "ftp://media.example.com/a" }),
        create("URL_INPUT", { url: "media.example.com/a" }),
        create("URL_INPUT", { url: "://media.example.com/a" }),
        create("URL_INPUT", { url: "a b:c/d" }),
        create("URL_INPUT", { url: "http://media.example.com/\u0001" }),
        create("URL_INPUT", { roomName: "", url: "http://media.example.com/a" }),
        create("URL_INPUT", { participantIdentity: "", url: "http://media.example.com/a" }),
        create("URL_INPUT", { url: "https://media.example.com/a", enabled: false }),
        ingressesAre({ roomName: "ingress-checks" }, []),
        call(ing("CreateIngress"), { inputType: "RTMP_INPUT", name: "ing-checked", ...who }, ingressAdmin),
        call(ing("UpdateIngress"), { ingressId: "<IN_#1>", name: "x", enableTranscoding: false }, ingressAdmin),
        call(ing("UpdateIngress"), { ingressId: "<IN_#1>", name: "x", video: { source: "MICROPHONE" } }, ingressAdmin),
        call(
          ing("UpdateIngress"),
          {
            ingressId: "<IN_#1>",
            name: "x",
            video: { options: { layers: [{ quality: "HIGH", width: 1281, height: 720 }] } },
          },
          ingressAdmin,
        ),
        call(
          ing("UpdateIngress"),
          {
            ingressId: "<IN_#1>",
            name: "x",
            video: { options: { layers: [{ quality: "HIGH", width: 0, height: 720 }] } },
          },
          ingressAdmin,
        ),
        call(ing("ListIngress"), { ingressId: "<IN_#1>" }, ingressAdmin),
        call(ing("DeleteIngress"), { ingressId: "<IN_#1>" }, ingressAdmin),
        call(ing("DeleteIngress"), { ingressId: "IN_missing0000" }, ingressAdmin),
      ],
    },
  ];
}
