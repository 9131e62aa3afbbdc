// Parity of the stateful mode with the REAL LiveKit server (livekit-server --dev with redis): the
// same sequences of calls and signal connections (test/conformance/stateful/) run against both,
// ours under --stateful, and every step's normalized observation must be the same. The real
// server comes from the Go module proxy (test/conformance/livekit-server/build.sh, cached).
import assert from "node:assert/strict";
import { isDeepStrictEqual } from "node:util";
import { after, before, describe, it } from "node:test";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { startNodeReceiver, type Receiver } from "../webhooks/receivers.js";
import { runScheduled } from "./stateful/case-schedule.js";
import { agentDispatchCases, dispatchWebhookRooms } from "./stateful/agent-dispatch-cases.js";
import { egressCases, ingressCases } from "./stateful/media-cases.js";
import { roomCases, webhookCase, webhookRooms } from "./stateful/room-cases.js";
import { runSequence, type StepObservation } from "./stateful/run-sequence.js";
import { sipCases } from "./stateful/sip-cases.js";
import type { StatefulCase } from "./stateful/stateful-case.js";
import { startLivekitServer, type RunningLivekitServer } from "./stateful/start-livekit-server.js";

const cases: StatefulCase[] = [...roomCases(), webhookCase(), ...egressCases(), ...ingressCases(), ...sipCases(), ...agentDispatchCases()];
const hookRooms: readonly string[] = [...webhookRooms, ...dispatchWebhookRooms];
/** Cases running at once, at most. */
const caseLimit = 6;
const groups = new Map<string, StatefulCase[]>();
for (const c of cases) groups.set(c.group, [...(groups.get(c.group) ?? []), c]);

describe("stateful parity with the real LiveKit server", { timeout: 600_000 }, () => {
  let real: RunningLivekitServer | undefined;
  let ours: RunningServer | undefined;
  let realHooks: Receiver | undefined;
  let ourHooks: Receiver | undefined;
  const results = new Map<string, { ours: StepObservation[]; real: StepObservation[] }>();

  before(
    async () => {
      [realHooks, ourHooks] = await Promise.all([startNodeReceiver("devkey", "secret"), startNodeReceiver("devkey", "secret")]);
      [real, ours] = await Promise.all([
        startLivekitServer({ webhookUrl: realHooks.url }),
        startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent", stateful: "parity", webhookUrl: ourHooks.url }),
      ]);
      // Each case on both servers at once, and cases that cannot see each other's state at once
      // too (case-schedule.ts), a few at a time: most of a case's time is the real server waiting.
      const oursTarget = { name: "ours", url: ours.url(0), skipNaturalLatency: true };
      const realTarget = { name: "real", url: real.url };
      await runScheduled(
        cases,
        async (c) => {
          const [mine, theirs] = await Promise.all([runSequence(c, oursTarget), runSequence(c, realTarget)]);
          results.set(c.id, { ours: mine, real: theirs });
        },
        caseLimit,
      );
    },
    { timeout: 580_000 },
  );

  after(async () => {
    await Promise.all([real?.close(), ours?.close(), realHooks?.close(), ourHooks?.close()]);
  });

  it("webhooks: each room's events arrive in the real server's order, a participant's as a media-less one's would", async () => {
    const [mine, theirs] = await Promise.all([roomEvents(ourHooks!), roomEvents(realHooks!)]);
    // The real server announces a participant only once its media connects, which a signal-only
    // client never does: it sends no participant_joined, and participant_connection_aborted
    // where a connected participant's participant_left would be. Ours plays the media as
    // connected at once (docs/spec/stateful.md#webhooks).
    const asMedialess = mine
      .filter((e) => e.event !== "participant_joined")
      .map((e) => (e.event === "participant_left" ? { ...e, event: "participant_connection_aborted" } : e));
    assert.deepEqual(asMedialess, theirs);
    assert.deepEqual(
      mine.filter((e) => e.event === "participant_joined").map((e) => e.participant),
      ["alice", "bob"],
      "ours announces each join",
    );
  });

  it("webhooks: ingresses created, updated and deleted and egresses refused send no event, as on the real server", () => {
    // The real server reports an ingress's creation, update and deletion to analytics only; its
    // webhooks come from a worker (an ingress publishing, an egress's reports), which no case has.
    const media = (receiver: Receiver): string[] =>
      receiver.deliveries.flatMap((d) => {
        const event = d.event?.["event"];
        return typeof event === "string" && /^(egress|ingress)_/.test(event) ? [event] : [];
      });
    assert.deepEqual(media(ourHooks!), media(realHooks!));
    assert.deepEqual(media(ourHooks!), []);
  });

  for (const [group, members] of groups) {
    for (const c of members) {
      it(`${group}: ${c.id}: ours observes what the real server does, step by step`, () => {
        const result = results.get(c.id);
        assert.ok(result !== undefined, "the case did not run");
        const differences = result.ours.flatMap((mine, i) => {
          const theirs = result.real[i]!;
          if (isDeepStrictEqual(mine.observed, theirs.observed)) return [];
          return [`  step ${i + 1}: ${mine.step}\n    ours: ${show(mine.observed)}\n    real: ${show(theirs.observed)}`];
        });
        assert.equal(differences.length, 0, `${differences.length} of ${c.steps.length} steps differ:\n${differences.join("\n")}`);
      });
    }
  }
});

interface EventSummary {
  readonly room: string;
  readonly event: string;
  readonly participant?: string;
  readonly reason?: string;
  readonly metadata?: string;
}

/** The events of the webhook rooms, once both rooms have finished, room by room in arrival order. */
async function roomEvents(receiver: Receiver): Promise<EventSummary[]> {
  const deadline = Date.now() + 30_000;
  const finished = (): number =>
    receiver.deliveries.filter((d) => d.event?.["event"] === "room_finished" && hookRooms.includes(d.event?.["room"]?.["name"])).length;
  while (finished() < hookRooms.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  const events = receiver.deliveries.map((d) => {
    assert.ok(d.verified, `a delivery failed the SDK's verification: ${d.error}`);
    return d.event!;
  });
  return hookRooms.flatMap((room) =>
    events
      .filter((e) => e["room"]?.["name"] === room)
      .map((e) => ({
        room,
        event: e["event"] as string,
        ...(e["participant"] === undefined ? {} : { participant: e["participant"]["identity"] as string }),
        ...(e["participant"]?.["disconnectReason"] === undefined ? {} : { reason: e["participant"]["disconnectReason"] as string }),
        ...(e["room"]?.["metadata"] === undefined ? {} : { metadata: e["room"]["metadata"] as string }),
      })),
  );
}

function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 1500 ? `${text.slice(0, 1500)}…` : text;
}
