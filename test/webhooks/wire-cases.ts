// The end-to-end webhook cases every SDK's receiver must pass: an API call of each RPC of the event
// table, a signal connection's join and leave, POST /_test/webhooks and the trigger command. The
// Node SDK's receiver runs them in the unit tier (api-calls, signal-events, test-route and
// trigger-cli tests); the Go and Python SDKs' in sdk-receivers.test.ts (conformance tier).
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { JsonObject } from "@bufbuild/protobuf";
import type { MockControl } from "../../src/control/control-fields.js";
import { rpcEvents } from "../../src/webhooks/rpc-events.js";
import { twirp } from "../support/twirp.js";
import { connect, type SignalClient } from "../signal/signal-client.js";
import { mockToken, participant } from "../signal/mock-token.js";
import { verifiedEvents, type Receiver } from "./receivers.js";

/** A request per RPC of the table, naming the resources its events must carry. */
export const requests: Readonly<Record<string, JsonObject>> = {
  "livekit.RoomService/CreateRoom": { name: "room-a", metadata: "meta" },
  "livekit.RoomService/DeleteRoom": { room: "room-b" },
  "livekit.RoomService/RemoveParticipant": { room: "room-c", identity: "carol" },
  "livekit.RoomService/MoveParticipant": { room: "room-d", identity: "dave", destinationRoom: "room-e" },
  "livekit.RoomService/ForwardParticipant": { room: "room-f", identity: "fay", destinationRoom: "room-g" },
  "livekit.Egress/StartEgress": { roomName: "room-h" },
  "livekit.Egress/StartRoomCompositeEgress": { roomName: "room-i", layout: "grid" },
  "livekit.Egress/StartWebEgress": { url: "https://example.com" },
  "livekit.Egress/StartParticipantEgress": { roomName: "room-j", identity: "jo" },
  "livekit.Egress/StartTrackCompositeEgress": { roomName: "room-k" },
  "livekit.Egress/StartTrackEgress": { roomName: "room-l", trackId: "TR_1" },
  "livekit.Egress/UpdateStream": { egressId: "EG_update" },
  "livekit.Egress/StopEgress": { egressId: "EG_stop" },
  "livekit.Ingress/CreateIngress": { roomName: "room-m", name: "cam" },
  "livekit.Ingress/DeleteIngress": { ingressId: "IN_delete" },
  "livekit.AgentDispatchService/CreateDispatch": { agentName: "helper", room: "room-n" },
  "livekit.AgentDispatchService/DeleteDispatch": { dispatchId: "AD_1", room: "room-o" },
  "livekit.SIP/CreateSIPParticipant": { sipTrunkId: "ST_1", sipCallTo: "+1555", roomName: "room-p", participantIdentity: "caller" },
  "livekit.SIP/TransferSIPParticipant": { participantIdentity: "caller", roomName: "room-q", transferTo: "tel:+1556" },
};

/** What each call's events must say about the resource the call named. */
function assertAbout(key: string, events: Record<string, any>[]): void {
  const find = (name: string): Record<string, any> => events.find((e) => e["event"] === name)!;
  switch (key) {
    case "livekit.RoomService/CreateRoom":
      assert.deepEqual([find("room_started")["room"]["name"], find("room_started")["room"]["metadata"]], ["room-a", "meta"]);
      break;
    case "livekit.RoomService/DeleteRoom":
      assert.equal(find("room_finished")["room"]["name"], "room-b");
      break;
    case "livekit.RoomService/RemoveParticipant":
      assert.deepEqual(
        [find("participant_left")["room"]["name"], find("participant_left")["participant"]["identity"]],
        ["room-c", "carol"],
      );
      break;
    case "livekit.RoomService/MoveParticipant":
      assert.deepEqual([find("participant_left")["room"]["name"], find("participant_joined")["room"]["name"]], ["room-d", "room-e"]);
      break;
    case "livekit.Egress/StartRoomCompositeEgress":
      assert.deepEqual(
        [find("egress_started")["egressInfo"]["roomName"], find("egress_started")["egressInfo"]["egressId"]],
        ["room-i", "MOCK_EGRESS_ID"],
      );
      break;
    case "livekit.Egress/StopEgress":
      assert.deepEqual(
        events.map((e) => [e["event"], e["egressInfo"]["egressId"], e["egressInfo"]["status"]]),
        [
          ["egress_updated", "EG_stop", "EGRESS_ENDING"],
          ["egress_ended", "EG_stop", "EGRESS_COMPLETE"],
        ],
      );
      break;
    case "livekit.Ingress/CreateIngress":
      assert.deepEqual(
        [find("ingress_started")["ingressInfo"]["roomName"], find("ingress_started")["ingressInfo"]["state"]["status"]],
        ["room-m", "ENDPOINT_PUBLISHING"],
      );
      break;
    case "livekit.AgentDispatchService/CreateDispatch":
      assert.deepEqual(
        events.map((e) => [e["event"], e["job"]["agentName"], e["job"]["room"]["name"]]),
        [
          ["agent_job_pending", "helper", "room-n"],
          ["agent_job_started", "helper", "room-n"],
        ],
      );
      break;
    case "livekit.SIP/CreateSIPParticipant":
      assert.deepEqual(
        [find("participant_joined")["participant"]["identity"], find("participant_joined")["participant"]["kind"]],
        ["caller", "SIP"],
      );
      break;
  }
}

export function webhooksTo(receiver: Receiver, extra: MockControl = {}): MockControl {
  return { webhooks: { url: receiver.url, apiKey: "devkey" }, delayMs: 0, ...extra };
}

/** Every RPC of the table, called once with `webhooks`: its events arrive, verified, about its resource. */
export async function rpcTableCase(serverUrl: string, r: Receiver): Promise<void> {
  assert.deepEqual(Object.keys(requests).sort(), Object.keys(rpcEvents).sort(), "a request for every RPC of the table");
  for (const [key, entry] of Object.entries(rpcEvents)) {
    const seen = r.deliveries.length;
    // Auth is tested elsewhere; room-scoped calls would need a token per room.
    const reply = await twirp(serverUrl, key, requests[key], { control: webhooksTo(r, { skipAuth: true }) });
    assert.equal(reply.status, 200, `${key}: ${reply.text}`);
    const deliveries = (await r.waitFor(seen + entry.events.length)).slice(seen);
    const events = verifiedEvents(r, deliveries);
    // Events of different resources (Move's two rooms) may overtake each other.
    assert.deepEqual(events.map((e) => e["event"]).sort(), [...entry.events].sort(), key);
    for (const event of events) assert.match(event["id"], /^EV_\w{12}$/);
    assertAbout(key, events);
  }
}

/** A signal connection whose token's `lk.mock` sends its participant webhooks to `r`. */
export async function joinWithWebhooks(
  serverUrl: string,
  r: Receiver,
  mock: Record<string, unknown> = {},
  identity: string = participant.identity,
  query: Record<string, string> = {},
): Promise<SignalClient> {
  const token = await mockToken({ signal: "happy", ...mock, webhooks: { url: r.url, apiKey: "devkey" } }, { identity });
  return connect(serverUrl, "/rtc", { token, query });
}

export type Summary = [event: string, identity: string | undefined, reason: string | undefined];
export const summary = (events: Record<string, any>[]): Summary[] =>
  events.map((e) => [e["event"], e["participant"]?.["identity"], e["participant"]?.["disconnectReason"] ?? e["roomEndReason"]]);

/** A join starts the room and joins the participant; the client's leave leaves and finishes it. */
export async function signalJoinLeaveCase(serverUrl: string, r: Receiver): Promise<void> {
  const client = await joinWithWebhooks(serverUrl, r);
  assert.equal((await client.next()).message.message.case, "join");
  const [started, joined] = verifiedEvents(r, await r.waitFor(2));
  assert.equal(started!["room"]["name"], participant.room);
  assert.equal(started!["room"]["sid"], "RM_MOCK");
  assert.deepEqual(
    [joined!["participant"]["identity"], joined!["participant"]["name"], joined!["participant"]["sid"]],
    [participant.identity, participant.name, "PA_MOCK"],
  );
  client.send({ case: "leave", value: {} });
  await client.closed;
  const events = verifiedEvents(r, await r.waitFor(4));
  assert.deepEqual(summary(events), [
    ["room_started", undefined, undefined],
    ["participant_joined", "alice", undefined],
    ["participant_left", "alice", "CLIENT_INITIATED"],
    ["room_finished", undefined, "ROOM_END_IDLE_TIMEOUT"],
  ]);
}

/** POST /_test/webhooks on `serverUrl`. */
export async function postTestWebhook(
  serverUrl: string,
  body: unknown,
  init: RequestInit = {},
): Promise<{ status: number; json: any; headers: Headers }> {
  const res = await fetch(`${serverUrl}/_test/webhooks`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    ...init,
  });
  return { status: res.status, json: await res.json(), headers: res.headers };
}

/** POST /_test/webhooks sends the event with the given fields and answers its delivery. */
export async function testRouteCase(serverUrl: string, r: Receiver): Promise<void> {
  const reply = await postTestWebhook(serverUrl, {
    url: r.url,
    event: "track_published",
    room: { name: "my-room" },
    track: { sid: "TR_x", name: "camera" },
  });
  assert.equal(reply.status, 200);
  assert.match(reply.json.id, /^EV_\w{12}$/);
  assert.deepEqual([reply.json.event, reply.json.status, reply.json.sent, reply.json.attempts.length], ["track_published", 200, true, 1]);
  const [event] = verifiedEvents(r, await r.waitFor(1));
  assert.deepEqual(
    [event!["id"], event!["event"], event!["room"]["name"], event!["room"]["sid"], event!["track"]["sid"], event!["track"]["name"]],
    [reply.json.id, "track_published", "my-room", "RM_MOCK", "TR_x", "camera"],
  );
}

const bin = fileURLToPath(new URL("../../dist/bin/cli.mjs", import.meta.url));

export interface Exit {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `livekit-test-server trigger` from the built bin, in an environment free of the caller's LiveKit settings, plus `env`. */
export function trigger(args: readonly string[], env: Record<string, string> = {}): Promise<Exit> {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith("LIVEKIT_") && !k.startsWith("LK_TEST_SERVER_")),
  );
  const child = spawn(process.execPath, [bin, "trigger", ...args], { env: { ...clean, ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
}

export const builtBin = bin;

/** The trigger command's events are accepted by the receiver, in the order sent. */
export async function triggerCase(r: Receiver): Promise<void> {
  for (const name of ["room_started", "participant_left", "egress_ended"]) {
    const exit = await trigger([name, "--forward-to", r.url]);
    assert.equal(exit.code, 0, exit.stdout + exit.stderr);
  }
  const events = verifiedEvents(r, await r.waitFor(3));
  assert.deepEqual(
    events.map((e) => e["event"]),
    ["room_started", "participant_left", "egress_ended"],
  );
}
