// One world: the state a group of tests shares under one key (rooms and participants today; each
// service's state lives in its own module, ServiceState below). Worlds never see each other: a
// call reads and changes exactly one.
import type { JsonValue, Message } from "@bufbuild/protobuf";
import type { EventInit } from "../webhooks/event-shapes.js";
import { redact, type Destination, type JournalSink, type WebhookNotifier } from "../webhooks/webhook-notifier.js";
import type { WorldLimits } from "./world-limits.js";

/** What caused a state change, for the log and journal of the webhook events it sends. */
export interface EventCause {
  /** `region-<i>` of the listener, or `state` for what a world does on its own (a timeout). */
  readonly region: string;
  readonly journal?: JournalSink;
}

/** One call a service's state answers. */
export interface StateCall {
  readonly world: World;
  readonly cause: EventCause;
}

/**
 * A service's state module: the shape every service (rooms, egress, ingress, SIP, agent dispatch)
 * follows. `create` makes the empty state of a new world; `handlers` answer the service's Twirp
 * methods from it (returning the response, or throwing StateError with the real server's answer);
 * `inspect` is its part of GET /_test/state/<key>; `dispose` ends what outlives a call (timers are
 * the world's, sockets the module's) when the world is reset or evicted.
 */
export interface ServiceState<S> {
  /** Its key in the inspection output, e.g. `rooms`. */
  readonly name: string;
  create(world: World): S;
  readonly handlers: Readonly<Record<string, StateHandler<S>>>;
  inspect(state: S): JsonValue;
  dispose(state: S, why: string): void;
}

export type StateHandler<S> = (state: S, request: Message, call: StateCall) => Message;

export interface World {
  readonly key: string;
  readonly limits: WorldLimits;
  /** Epoch milliseconds (the store's clock, which tests may replace). */
  now(): number;
  /** The state of `service` in this world, made on first use. */
  state<S>(service: ServiceState<S>): S;
  /** Sends events to the world's webhook destination, if it has one, in order. */
  emit(events: readonly EventInit[], cause: EventCause): void;
  /** Where this world's events go from now on (a call or token that names `webhooks`). */
  setWebhooks(destination: Destination | undefined): void;
  /** The destination a call or token named, if any (not --webhook-url's). */
  ownWebhooks(): Destination | undefined;
  /** Runs `fn` after `ms` unless the world is reset or evicted first; returns the cancel. */
  after(ms: number, fn: () => void): () => void;
}

export interface WorldInternals extends World {
  /** Every service's inspection, by name (services not used yet show their empty state). */
  inspect(services: readonly ServiceState<unknown>[]): Record<string, JsonValue>;
  webhooksUrl(): string | undefined;
  dispose(why: string): void;
}

export interface WorldOptions {
  readonly key: string;
  readonly limits: WorldLimits;
  readonly now: () => number;
  readonly notifier: WebhookNotifier;
  /** --webhook-url's destination, used while the world names none. */
  readonly defaultWebhooks: Destination | undefined;
}

export function createWorld(options: WorldOptions): WorldInternals {
  const states = new Map<ServiceState<unknown>, unknown>();
  const timers = new Set<NodeJS.Timeout>();
  let webhooks: Destination | undefined;
  let disposed = false;

  const world: WorldInternals = {
    key: options.key,
    limits: options.limits,
    now: options.now,
    state<S>(service: ServiceState<S>): S {
      let state = states.get(service as ServiceState<unknown>) as S | undefined;
      if (state === undefined) {
        state = service.create(world);
        states.set(service as ServiceState<unknown>, state);
      }
      return state;
    },
    emit(events, cause) {
      const destination = webhooks ?? options.defaultWebhooks;
      if (destination === undefined || events.length === 0 || disposed) return;
      void options.notifier.notify(destination, events, cause);
    },
    setWebhooks(destination) {
      webhooks = destination;
    },
    ownWebhooks: () => webhooks,
    after(ms, fn) {
      if (disposed) return () => {};
      const timer = setTimeout(
        () => {
          timers.delete(timer);
          if (!disposed) fn();
        },
        Math.max(0, ms),
      );
      // A world waiting for a room's timeout must not keep the process alive.
      timer.unref();
      timers.add(timer);
      return () => {
        clearTimeout(timer);
        timers.delete(timer);
      };
    },
    inspect(services) {
      return Object.fromEntries(services.map((service) => [service.name, service.inspect(world.state(service))]));
    },
    webhooksUrl() {
      const destination = webhooks ?? options.defaultWebhooks;
      return destination === undefined ? undefined : redact(destination.url);
    },
    dispose(why) {
      if (disposed) return;
      // Disposed first: what the services end on the way out (sockets) sends no events.
      disposed = true;
      for (const [service, state] of states) service.dispose(state, why);
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      states.clear();
    },
  };
  return world;
}
