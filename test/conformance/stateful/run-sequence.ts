// Plays a stateful case against one server and records one normalized observation per step. The
// server is reached as an SDK reaches it: a token signed per call with the grants the SDK signs,
// JSON bodies, signal connections with a join token and the query a client sends.
import { toJson, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { DisconnectReason } from "../../../generated/livekit_models_pb.js";
import { JoinResponseSchema, type SignalResponse } from "../../../generated/livekit_rtc_pb.js";
import { ParticipantInfoSchema, RoomSchema, type ParticipantInfo } from "../../../generated/livekit_models_pb.js";
import { connect, type SignalClient } from "../../signal/signal-client.js";
import { signToken } from "../../support/tokens.js";
import { createIdNames, normalizeAnswer, normalizeMessage, stubOf, type IdNames } from "./normalize.js";
import type { StatefulCase, Step } from "./stateful-case.js";

export interface Target {
  readonly name: string;
  readonly url: string;
  /**
   * Sends `X-Lk-Mock: {"delayMs":0}` with the calls of a method that has a natural latency. Ours
   * waits the original test server's 11 s before answering a transfer (docs/spec/control.md#delay),
   * which the real server does not: the matrix compares answers, not when they come, and six
   * transfers would keep it waiting for 66 s.
   */
  readonly skipNaturalLatency?: boolean;
}

export interface StepObservation {
  /** What the step did, e.g. `call livekit.RoomService/ListRooms {"names":["a"]}`. */
  readonly step: string;
  readonly observed: JsonValue;
}

/** How long a step waits for what it expects before it records that it never came. */
const waitMs = 10_000;

interface Connection {
  readonly client: SignalClient;
  readonly received: SignalResponse[];
  readonly ended: Promise<{ code: number }>;
}

export async function runSequence(c: StatefulCase, target: Target): Promise<StepObservation[]> {
  const ids = createIdNames();
  const connections = new Map<string, Connection>();
  const observations: StepObservation[] = [];
  try {
    for (const step of c.steps) observations.push({ step: describeStep(step), observed: await play(step, target, ids, connections) });
  } finally {
    for (const connection of connections.values()) connection.client.ws.terminate();
  }
  return observations;
}

function describeStep(step: Step): string {
  switch (step.kind) {
    case "call": {
      const body = JSON.stringify(step.body);
      return `call ${step.key} ${body.length > 120 ? `${body.slice(0, 120)}…` : body}`;
    }
    case "join":
      return `join ${step.as} as ${step.identity} in ${step.room}`;
    case "update":
      return `${step.as} hears an update about ${step.identity}`;
    default:
      return `${step.kind} ${step.as}`;
  }
}

async function play(step: Step, target: Target, ids: IdNames, connections: Map<string, Connection>): Promise<JsonValue> {
  switch (step.kind) {
    case "call": {
      const deadline = Date.now() + waitMs;
      for (;;) {
        const observed = await twirpCall(target, step.key, withIds(step.body, ids), step.grant, step.sip, ids);
        if (step.until === undefined || step.until(observed) || Date.now() > deadline) return observed;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    case "join": {
      const token = await signToken({
        identity: step.identity,
        ...(step.name === undefined ? {} : { name: step.name }),
        ...(step.attributes === undefined ? {} : { attributes: step.attributes }),
        video: { roomJoin: true, room: step.room, ...step.grant },
        ...(step.metadata === undefined ? {} : { extraClaims: { metadata: step.metadata } }),
      });
      const client = await connect(target.url, "/rtc", {
        token,
        query: { protocol: "16", sdk: "js", version: "2.0.0", auto_subscribe: "1" },
      });
      const received: SignalResponse[] = [];
      const ended = (async () => {
        for (;;) {
          const next = await client.next(3_600_000).catch(() => undefined);
          if (next === undefined) break;
          received.push(next.message);
        }
        return client.closed;
      })();
      connections.set(step.as, { client, received, ended });
      const join = await waitFor(received, (m) => m.message.case === "join");
      if (join === undefined) return "no join";
      if (join.message.case !== "join") return "no join";
      const value = toJson(JoinResponseSchema, join.message.value) as JsonObject;
      const normalized = normalizeMessage(JoinResponseSchema, value, ids) as JsonObject;
      return {
        room: normalized["room"] ?? null,
        participant: normalized["participant"] ?? null,
        otherParticipants: normalized["otherParticipants"] ?? [],
      };
    }
    case "leave":
      connectionOf(connections, step.as).client.send({ case: "leave", value: { reason: DisconnectReason.CLIENT_INITIATED } });
      return null;
    case "close":
      connectionOf(connections, step.as).client.ws.close(1000);
      return null;
    case "ended": {
      const connection = connectionOf(connections, step.as);
      const closed = await Promise.race([
        connection.ended,
        new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), waitMs)),
      ]);
      if (closed === undefined) return "still open";
      const leave = connection.received.findLast((m) => m.message.case === "leave");
      const reason = leave?.message.case === "leave" ? DisconnectReason[leave.message.value.reason] : null;
      return { leave: reason ?? null, code: closed.code };
    }
    case "update": {
      const found = await waitFor(connectionOf(connections, step.as).received, (m) => {
        if (m.message.case !== "update") return false;
        return m.message.value.participants.some((p) => p.identity === step.identity && step.match(participantJson(p)));
      });
      if (found?.message.case !== "update") return "no such update";
      const participant = found.message.value.participants.find((p) => p.identity === step.identity && step.match(participantJson(p)))!;
      return normalizeMessage(ParticipantInfoSchema, participantJson(participant), ids);
    }
    case "roomUpdate": {
      const found = await waitFor(connectionOf(connections, step.as).received, (m) => {
        return (
          m.message.case === "roomUpdate" &&
          m.message.value.room !== undefined &&
          step.match(toJson(RoomSchema, m.message.value.room) as JsonObject)
        );
      });
      if (found?.message.case !== "roomUpdate") return "no such room update";
      return normalizeMessage(RoomSchema, toJson(RoomSchema, found.message.value.room!), ids);
    }
    case "mute": {
      const found = await waitFor(connectionOf(connections, step.as).received, (m) => m.message.case === "mute");
      if (found?.message.case !== "mute") return "no mute request";
      return { sid: found.message.value.sid, muted: found.message.value.muted };
    }
  }
}

/** The body with each `<ST_#1>` replaced by the id this server gave the record named so. */
function withIds(body: JsonObject, ids: IdNames): JsonObject {
  const replace = (value: JsonValue): JsonValue => {
    if (typeof value === "string") {
      const named = /^<([A-Z]{2,4}_#\d+)>$/.exec(value)?.[1];
      return named === undefined ? value : (ids.id(named) ?? value);
    }
    if (Array.isArray(value)) return value.map(replace);
    if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return replace(body) as JsonObject;
}

function participantJson(participant: ParticipantInfo): JsonObject {
  return toJson(ParticipantInfoSchema, participant) as JsonObject;
}

function connectionOf(connections: Map<string, Connection>, name: string): Connection {
  const connection = connections.get(name);
  if (connection === undefined) throw new Error(`no connection ${name} was opened before this step`);
  return connection;
}

async function waitFor(received: SignalResponse[], match: (m: SignalResponse) => boolean): Promise<SignalResponse | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const found = received.find(match);
    if (found !== undefined || Date.now() > deadline) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function twirpCall(
  target: Target,
  key: string,
  body: JsonObject,
  grant: Readonly<Record<string, unknown>>,
  sip: Readonly<Record<string, unknown>> | undefined,
  ids: IdNames,
): Promise<JsonValue> {
  const token = await signToken({ identity: "api", video: { ...grant }, ...(sip === undefined ? {} : { sip: { ...sip } }) });
  const atOnce = target.skipNaturalLatency === true && (await stubOf(key)).naturalLatency !== undefined;
  const res = await fetch(`${target.url}/twirp/${key}`, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Authorization: `Bearer ${token}`,
      ...(atOnce ? { "X-Lk-Mock": JSON.stringify({ delayMs: 0 }) } : {}),
    },
    body: JSON.stringify(body),
  });
  return normalizeAnswer(key, res.status, await res.text(), ids);
}
