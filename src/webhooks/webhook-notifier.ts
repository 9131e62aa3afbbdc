// The server's notifier: stamps each event as livekit-server's telemetry does (an EV_ id, the Unix
// time in seconds), signs it, queues it behind earlier events of the same resource and target, and
// delivers it with the notifier's retries. Every attempt is a line in the request log and, when
// the call named a journal key, an entry in the journal.
import type { Message } from "@bufbuild/protobuf";
import type { WebhookEvent } from "../../generated/livekit_webhook_pb.js";
import type { Journal } from "../journal/journal.js";
import type { Logger } from "../shared/log.js";
import { newEventId } from "./event-id.js";
import type { SessionParticipant } from "./event-kit.js";
import type { EventInit } from "./event-shapes.js";
import { notifierPolicy, postWebhook, type AttemptOutcome, type DeliveryPolicy } from "./post-webhook.js";
import { createResourceQueues } from "./resource-queues.js";
import type { SigningKey } from "./sign-webhook.js";
import { checkWebhookHost, parseWebhookUrl } from "./webhook-target.js";
import { WebhooksConfigError, type WebhooksConfig } from "./webhooks-config.js";

export type { SessionParticipant };

type Kit = typeof import("./event-kit.js");
let kit: Promise<Kit> | undefined;

/** Building, encoding and signing events needs the protocol's descriptors: loaded on the first event. */
function loadKit(): Promise<Kit> {
  return (kit ??= import("./event-kit.js"));
}

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
  /** The events a successful call of `key` emits (rpc-events.ts), queued as `notify` does; none for other RPCs. */
  notifyCall(destination: Destination, key: string, request: Message, response: Message, emitter: Emitter): Promise<EventDelivery[]>;
  /**
   * The events of one signal connection. Connections that report to the same URL share rooms by
   * name, as one LiveKit project does: the first to join a room starts it, the last to go ends it.
   */
  participantSession(destination: Destination, who: SessionParticipant, emitter: Emitter): ParticipantSession;
  /** Stops retries and aborts attempts in flight (server shutdown). */
  close(): void;
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
          signed = await (await loadKit()).signWebhook(event, destination.key, now());
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

  /** Stamps each event (unless it has an id and time) and queues it at once, in order. */
  function queue(destination: Destination, events: readonly WebhookEvent[], emitter: Emitter): Promise<EventDelivery[]> {
    const createdAt = BigInt(Math.floor(now().getTime() / 1000));
    for (const event of events) {
      if (event.id === "") event.id = newEventId();
      if (event.createdAt === 0n) event.createdAt = createdAt;
    }
    return Promise.all(events.map((event) => deliver(destination, event, emitter)));
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
    async notify(destination, events, emitter) {
      const { toWebhookEvent } = await loadKit();
      return queue(
        destination,
        events.map((init) => (isWebhookEvent(init) ? init : toWebhookEvent(init))),
        emitter,
      );
    },
    async notifyCall(destination, key, request, response, emitter) {
      const { eventsForCall, instant, toWebhookEvent } = await loadKit();
      return queue(destination, eventsForCall(key, request, response, instant(now())).map(toWebhookEvent), emitter);
    },
    participantSession(destination, who, emitter) {
      const roomKey = `${destination.url.href}\n${who.room}`;
      let state: "new" | "joined" | "ended" = "new";
      // Who starts and who finishes a room is decided at once, in call order; the events are built
      // once the kit is loaded, still in that order (one promise, settled first-come first-served).
      const emit = (build: (k: Kit) => WebhookEvent[]): void => {
        void loadKit().then((k) => queue(destination, build(k), emitter));
      };
      return {
        joined() {
          if (state !== "new") return;
          state = "joined";
          const open = openInRoom.get(roomKey) ?? 0;
          openInRoom.set(roomKey, open + 1);
          const at = now();
          emit((k) => k.sessionJoined(who, open === 0, k.instant(at)));
        },
        ended(how, by) {
          if (state !== "joined") return;
          state = "ended";
          const open = openInRoom.get(roomKey)! - 1;
          if (open === 0) openInRoom.delete(roomKey);
          else openInRoom.set(roomKey, open);
          emit((k) => k.sessionEnded(who, how, by, open === 0));
        },
      };
    },
    close() {
      shutdown.abort();
    },
  };
  return notifier;
}

function isWebhookEvent(event: EventInit | WebhookEvent): event is WebhookEvent {
  return (event as { $typeName?: string }).$typeName === "livekit.WebhookEvent";
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
