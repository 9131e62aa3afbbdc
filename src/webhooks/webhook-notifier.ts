// The server's notifier: stamps each event as livekit-server's telemetry does (an EV_ id, the Unix
// time in seconds), signs it, queues it behind earlier events of the same resource and target, and
// delivers it with the notifier's retries. Every attempt is a line in the request log and, when
// the call named a journal key, an entry in the journal.
import { isMessage } from "@bufbuild/protobuf";
import { WebhookEventSchema, type WebhookEvent } from "../../generated/livekit_webhook_pb.js";
import type { Journal } from "../journal/journal.js";
import type { Logger } from "../shared/log.js";
import { newEventId } from "./event-id.js";
import { DisconnectReason, RoomEndReason } from "../../generated/livekit_models_pb.js";
import { instant, minimalRoom, participantGone, participantJoined, toWebhookEvent, type EventInit } from "./event-shapes.js";
import { notifierPolicy, postWebhook, type AttemptOutcome, type DeliveryPolicy } from "./post-webhook.js";
import { createResourceQueues } from "./resource-queues.js";
import { signWebhook, type SigningKey } from "./sign-webhook.js";
import { checkWebhookHost, parseWebhookUrl } from "./webhook-target.js";
import { WebhooksConfigError, type WebhooksConfig } from "./webhooks-config.js";

/** The sids the signal join sends (signal/messages.ts), so events and join agree. */
const signalRoomSid = "RM_MOCK";
const signalParticipantSid = "PA_MOCK";

export interface WebhookNotifierOptions {
  /** Signs events whose config names no secret: the server's --api-secret. */
  readonly apiSecret: string;
  /** --webhook-allow-hosts, normalized. */
  readonly allowHosts: readonly string[];
  readonly log: Logger;
  readonly policy?: DeliveryPolicy;
  readonly now?: () => Date;
}

export interface Destination {
  readonly url: URL;
  readonly key: SigningKey;
}

export interface JournalSink {
  readonly journal: Journal;
  readonly key: string;
}

/** Who emitted, for the log and the journal. */
export interface Emitter {
  /** `region-<i>` of the listener, or what else sent it. */
  readonly region: string;
  readonly journal?: JournalSink;
}

export interface EventDelivery {
  readonly id: string;
  readonly event: string;
  /** The receiver's last status, when it answered. */
  readonly status?: number;
  /** The last answer was final (not retried): Go's notifier counts that as sent, 4xx included. */
  readonly sent: boolean;
  readonly attempts: readonly AttemptOutcome[];
  /** Why the event was never sent, when it was dropped from its queue. */
  readonly dropped?: string;
}

export interface WebhookNotifier {
  /**
   * Where a `webhooks` config sends: WebhookTargetError for a URL the server may not post to,
   * WebhooksConfigError for an empty key or secret.
   */
  destination(config: WebhooksConfig): Destination;
  /**
   * Queues `events` in order; each gets an id and creation time unless it has them. Resolves once
   * every one is delivered, given up or dropped; never rejects.
   */
  notify(destination: Destination, events: readonly (EventInit | WebhookEvent)[], emitter: Emitter): Promise<EventDelivery[]>;
  /**
   * The events of one signal connection. Connections that report to the same URL share rooms by
   * name, as one LiveKit project does: the first to join a room starts it, the last to go ends it.
   */
  participantSession(destination: Destination, who: SessionParticipant, emitter: Emitter): ParticipantSession;
  /** Stops retries and aborts attempts in flight (server shutdown). */
  close(): void;
}

export interface SessionParticipant {
  readonly room: string;
  readonly identity: string;
  readonly name: string;
}

export interface ParticipantSession {
  /** The join was sent: participant_joined, after room_started when the room was empty. */
  joined(): void;
  /**
   * The connection ended after its join: participant_left when a leave or close frame ended it
   * (`by` either side), participant_connection_aborted when it dropped; room_finished after the
   * last participant of the room. Only the first call counts.
   */
  ended(how: "closed" | "dropped", by: "client" | "server"): void;
}

export function createWebhookNotifier(options: WebhookNotifierOptions): WebhookNotifier {
  const policy = options.policy ?? notifierPolicy;
  const now = options.now ?? (() => new Date());
  const queues = createResourceQueues(policy.maxQueueDepth);
  const shutdown = new AbortController();

  /** A journal entry in the shape of the others (kind, region, status null without an answer). */
  function record(emitter: Emitter, startedAt: number, entry: Record<string, string | number | boolean>): void {
    emitter.journal?.journal.record(emitter.journal.key, startedAt, { kind: "webhook", region: emitter.region, status: null, ...entry });
  }

  function deliver(destination: Destination, event: WebhookEvent, emitter: Emitter): Promise<EventDelivery> {
    const url = redact(destination.url);
    const base = { id: event.id, event: event.event };
    const log = (status: number | "dropped" | "no-answer", latencyMs: number, why: string): void => {
      if (options.log.requestsEnabled) {
        options.log.request({
          region: emitter.region,
          target: `webhook ${event.event}`,
          status,
          latencyMs,
          why: `${event.id} to ${url}: ${why}`,
        });
      }
    };
    return new Promise((resolve) => {
      const queued = queues.enqueue(`${destination.url.href}\n${eventKey(event)}`, async (queuedMs) => {
        if (queuedMs > policy.maxQueueAgeMs) {
          const dropped = `waited ${Math.round(queuedMs)} ms behind earlier events of the same resource (limit ${policy.maxQueueAgeMs} ms)`;
          log("dropped", 0, `dropped: ${dropped}`);
          record(emitter, performance.now(), { ...base, url, dropped });
          resolve({ ...base, sent: false, attempts: [], dropped });
          return;
        }
        let signed;
        try {
          signed = await signWebhook(event, destination.key, now());
        } catch (err) {
          // Nothing a caller sends should get here; if it does, the event is reported, not lost.
          const dropped = `not signed: ${(err as Error).message}`;
          log("dropped", 0, dropped);
          resolve({ ...base, sent: false, attempts: [], dropped });
          return;
        }
        const result = await postWebhook(
          destination.url,
          signed,
          policy,
          (attempt) => {
            const retry = attempt.retryInMs === undefined ? "" : `, retry in ${attempt.retryInMs} ms`;
            const error = attempt.error === undefined ? "" : `: ${attempt.error}`;
            log(attempt.status ?? "no-answer", attempt.latencyMs, `attempt ${attempt.attempt}/${attempt.attempts}${error}${retry}`);
            record(emitter, performance.now() - attempt.latencyMs, { ...base, url, ...attempt });
          },
          shutdown.signal,
        );
        resolve({
          ...base,
          ...(result.status === undefined ? {} : { status: result.status }),
          sent: result.sent,
          attempts: result.attempts,
        });
      });
      if (!queued) {
        const dropped = `more than ${policy.maxQueueDepth} events of the same resource were waiting`;
        log("dropped", 0, `dropped: ${dropped}`);
        record(emitter, performance.now(), { ...base, url, dropped });
        resolve({ ...base, sent: false, attempts: [], dropped });
      }
    });
  }

  /** Joined, not yet ended signal connections per destination URL and room name. */
  const openInRoom = new Map<string, number>();

  const notifier: WebhookNotifier = {
    destination(config) {
      const url = parseWebhookUrl(config.url);
      checkWebhookHost(url, options.allowHosts);
      // The notifier refuses to queue without both (errNoKey); so do we, before the call is answered.
      if (config.apiKey === "") throw new WebhooksConfigError("webhooks.apiKey must not be empty: receivers look the secret up by it");
      if (config.apiSecret === "")
        throw new WebhooksConfigError("webhooks.apiSecret must not be empty (leave it out to sign with --api-secret)");
      return { url, key: { apiKey: config.apiKey, apiSecret: config.apiSecret ?? options.apiSecret } };
    },
    notify(destination, events, emitter) {
      const at = now();
      const stamped = events.map((init) => {
        const event = isMessage(init, WebhookEventSchema) ? init : toWebhookEvent(init as EventInit);
        if (event.id === "") event.id = newEventId();
        if (event.createdAt === 0n) event.createdAt = BigInt(Math.floor(at.getTime() / 1000));
        return event;
      });
      return Promise.all(stamped.map((event) => deliver(destination, event, emitter)));
    },
    participantSession(destination, who, emitter) {
      const roomKey = `${destination.url.href}\n${who.room}`;
      const room = minimalRoom(signalRoomSid, who.room);
      const participant = { sid: signalParticipantSid, identity: who.identity, name: who.name };
      let state: "new" | "joined" | "ended" = "new";
      const emit = (events: EventInit[]): void => void notifier.notify(destination, events, emitter);
      return {
        joined() {
          if (state !== "new") return;
          state = "joined";
          const open = openInRoom.get(roomKey) ?? 0;
          openInRoom.set(roomKey, open + 1);
          const at = instant(now());
          const started: EventInit[] =
            open > 0 ? [] : [{ event: "room_started", room: { ...room, creationTime: at.seconds, creationTimeMs: at.ms } }];
          emit([...started, participantJoined(room, participant, at)]);
        },
        ended(how, by) {
          if (state !== "joined") return;
          state = "ended";
          const open = openInRoom.get(roomKey)! - 1;
          if (open === 0) openInRoom.delete(roomKey);
          else openInRoom.set(roomKey, open);
          const gone =
            how === "dropped"
              ? participantGone("participant_connection_aborted", room, participant, DisconnectReason.SIGNAL_CLOSE)
              : participantGone(
                  "participant_left",
                  room,
                  participant,
                  by === "client" ? DisconnectReason.CLIENT_INITIATED : DisconnectReason.SERVER_SHUTDOWN,
                );
          const finished: EventInit[] =
            open > 0 ? [] : [{ event: "room_finished", room, roomEndReason: RoomEndReason.ROOM_END_IDLE_TIMEOUT }];
          emit([gone, ...finished]);
        },
      };
    },
    close() {
      shutdown.abort();
    },
  };
  return notifier;
}

/** protocol webhook's EventKey: the resource whose events must stay in order. */
function eventKey(event: WebhookEvent): string {
  if (event.egressInfo !== undefined) return `egress ${event.egressInfo.egressId}`;
  if (event.ingressInfo !== undefined) return `ingress ${event.ingressInfo.ingressId}`;
  if (event.room !== undefined) return `room ${event.room.name}`;
  if (event.participant !== undefined) return `participant ${event.participant.identity}`;
  if (event.track !== undefined) return `track ${event.track.sid}`;
  return "default";
}

/** Logs and journals never show a receiver's credentials or query (the notifier redacts them too). */
export function redact(url: URL): string {
  return `${url.protocol}//${url.username === "" ? "" : "{...}@"}${url.host}${url.pathname}${url.search === "" ? "" : "?{...}"}`;
}
