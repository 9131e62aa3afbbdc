// The worlds of the stateful mode, by key (docs/spec/stateful.md#worlds): made on first use,
// bounded (least recently used evicted past the limit, and a later read says so), read and reset through /_test/state/<key>. The
// services' state modules are loaded with the first world, so a server that is never asked for
// state never loads them.
import type { JsonObject, JsonValue, Message } from "@bufbuild/protobuf";
import type { Logger } from "../shared/log.js";
import type { Destination, WebhookNotifier } from "../webhooks/webhook-notifier.js";
import { createWorld, type EventCause, type ServiceState, type StateHandler, type World, type WorldInternals } from "./world.js";
import { defaultWorldLimits, type WorldLimits } from "./world-limits.js";

type Services = typeof import("./services.js");
let services: Promise<Services> | undefined;

function loadServices(): Promise<Services> {
  return (services ??= import("./services.js"));
}

export interface StateStoreOptions {
  /** --stateful: the key of the world requests without their own use; undefined: none. */
  readonly serverWide: string | undefined;
  readonly notifier: WebhookNotifier;
  /** --webhook-url's destination. */
  readonly defaultWebhooks: Destination | undefined;
  readonly log: Logger;
  readonly limits?: WorldLimits;
  readonly now?: () => number;
}

export interface StateStore {
  /** The server-wide world's key, or undefined in the stateless default. */
  readonly serverWide: string | undefined;
  /**
   * Answers a Twirp call from the world `key` when a service's state answers `routeKey`; undefined
   * when none does (the call is answered as without state). Throws StateError with the real
   * server's answer for a call the state refuses. `webhooks`, the call's own destination, becomes
   * the world's when the call succeeds (its events go there already).
   */
  answer(key: string, routeKey: string, request: Message, cause: EventCause, webhooks?: Destination): Promise<Message | undefined>;
  /** The world `key`, made if needed; counts as a use. */
  world(key: string): Promise<World>;
  /** The world as JSON, without making it or counting as a use. */
  read(key: string): Promise<JsonObject>;
  /** Forgets the world (its sockets are closed); true when there was one. */
  reset(key: string): boolean;
  /** Ends every world (server shutdown). */
  close(): void;
}

export function createStateStore(options: StateStoreOptions): StateStore {
  const limits = options.limits ?? defaultWorldLimits;
  const now = options.now ?? Date.now;
  // Map order is least to most recently used: a use moves the world to the end.
  const worlds = new Map<string, WorldInternals>();
  const evicted = new Map<string, string>();
  let handlers: Map<string, { service: ServiceState<unknown>; handler: StateHandler<unknown> }> | undefined;

  function handlerTable(loaded: Services) {
    if (handlers === undefined) {
      handlers = new Map();
      for (const service of loaded.serviceStates) {
        for (const [routeKey, handler] of Object.entries(service.handlers)) {
          if (handlers.has(routeKey)) throw new Error(`state: ${routeKey} is answered by two services`);
          handlers.set(routeKey, { service, handler });
        }
      }
    }
    return handlers;
  }

  function use(key: string): WorldInternals {
    let world = worlds.get(key);
    if (world !== undefined) {
      worlds.delete(key);
      worlds.set(key, world);
      return world;
    }
    if (worlds.size >= limits.worlds) {
      const [oldestKey, oldest] = worlds.entries().next().value!;
      const why = `evicted: more than ${limits.worlds} worlds were in use, and it was the least recently used`;
      worlds.delete(oldestKey);
      oldest.dispose(why);
      if (evicted.size >= limits.worlds) evicted.delete(evicted.keys().next().value!);
      evicted.set(oldestKey, why);
      options.log.info(`test-server: state: world ${JSON.stringify(oldestKey)} ${why}`);
    }
    evicted.delete(key);
    world = createWorld({ key, limits, now, notifier: options.notifier, defaultWebhooks: options.defaultWebhooks });
    worlds.set(key, world);
    return world;
  }

  return {
    serverWide: options.serverWide,
    async answer(key, routeKey, request, cause, webhooks) {
      const found = handlerTable(await loadServices()).get(routeKey);
      if (found === undefined) return undefined;
      const world = use(key);
      if (webhooks === undefined) return found.handler(world.state(found.service), request, { world, cause });
      // A refused call changes nothing, its destination included; handlers check before they change.
      const previous = world.ownWebhooks();
      world.setWebhooks(webhooks);
      try {
        return found.handler(world.state(found.service), request, { world, cause });
      } catch (err) {
        world.setWebhooks(previous);
        throw err;
      }
    },
    async world(key) {
      await loadServices();
      return use(key);
    },
    async read(key) {
      const { serviceStates } = await loadServices();
      const world = worlds.get(key);
      const base: JsonObject = { key, limits: { ...limits } };
      if (world === undefined) {
        const empty = createWorld({ key, limits, now, notifier: options.notifier, defaultWebhooks: options.defaultWebhooks });
        const why = evicted.get(key);
        return { ...base, webhooks: null, ...empty.inspect(serviceStates), ...(why === undefined ? {} : { evicted: why }) } as JsonObject;
      }
      return { ...base, webhooks: world.webhooksUrl() ?? null, ...world.inspect(serviceStates) } as Record<string, JsonValue>;
    },
    reset(key) {
      evicted.delete(key);
      const world = worlds.get(key);
      if (world === undefined) return false;
      worlds.delete(key);
      world.dispose("the world was reset");
      return true;
    },
    close() {
      for (const world of worlds.values()) world.dispose("the server is shutting down");
      worlds.clear();
    },
  };
}
