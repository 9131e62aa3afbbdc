// How much the stateful mode keeps (docs/spec/stateful.md#limits): a test server shared by many suites must not grow without
// bound. Past the world limit the least recently used world is evicted (and a later read of it
// says so); past a per-world limit the call that would grow it is refused with resource_exhausted.
export interface WorldLimits {
  /** Worlds kept at once. */
  readonly worlds: number;
  /** Rooms one world holds. */
  readonly roomsPerWorld: number;
  /** Participants one room holds. */
  readonly participantsPerRoom: number;
  /** Data messages kept per participant for inspection (older ones are counted, not kept). */
  readonly dataMessagesPerParticipant: number;
  /** Egresses one world holds, ended ones included. */
  readonly egressPerWorld: number;
  /** Ingresses one world holds. */
  readonly ingressPerWorld: number;
  /** SIP trunks and dispatch rules one world holds, together. */
  readonly sipRecordsPerWorld: number;
  /** Agent dispatches one room holds. */
  readonly dispatchesPerRoom: number;
}

export const defaultWorldLimits: WorldLimits = {
  worlds: 256,
  roomsPerWorld: 1000,
  participantsPerRoom: 1000,
  dataMessagesPerParticipant: 100,
  egressPerWorld: 1000,
  ingressPerWorld: 1000,
  sipRecordsPerWorld: 1000,
  dispatchesPerRoom: 100,
};
