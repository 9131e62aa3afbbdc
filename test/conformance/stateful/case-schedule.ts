// Which cases of the stateful parity matrix may run at once. Each server keeps every case's state
// in one place (the real server's store, ours' one world), and cases name their own rooms and
// records, so a case can only see another's where it reads a collection whole: ListRooms without
// names, a service's list, a check against every stored record (a SIP number or PIN conflict).
// Two cases conflict when one reads whole a collection the other changes; conflicting cases run
// one after another in the order they are listed, so each sees exactly what it saw when every case
// ran alone, and the rest run at once. Most of a case's time is the real server waiting (3 s for a
// worker that never answers, a room's timeout), so cases overlap well even on a busy machine.
//
// The table is coarse on purpose: every call of a service other than RoomService and
// AgentDispatchService counts as reading and changing the service's whole collection (its cases
// run one after another); only rooms, which every case names, are told apart finer.
import type { StatefulCase, Step } from "./stateful-case.js";

export type Collection = "rooms" | "egress" | "ingress" | "sip";

export interface Footprint {
  /** Collections the case adds to, changes or removes from. */
  readonly changes: ReadonlySet<Collection>;
  /** Collections the case reads whole: what it observes depends on every record in them. */
  readonly readsWhole: ReadonlySet<Collection>;
}

/** What a call of each service touches; a service missing here fails the schedule, on purpose. */
const services: Readonly<Record<string, { changes: readonly Collection[]; readsWhole: readonly Collection[] }>> = {
  // Rooms are named by each case; only ListRooms without names reads them whole (below).
  "livekit.RoomService": { changes: ["rooms"], readsWhole: [] },
  // A dispatch makes its room; dispatches are listed per room.
  "livekit.AgentDispatchService": { changes: ["rooms"], readsWhole: [] },
  // A start looks its room up by name.
  "livekit.Egress": { changes: ["egress", "rooms"], readsWhole: ["egress"] },
  // An ingress names its room, and its participant joins it once it publishes.
  "livekit.Ingress": { changes: ["ingress", "rooms"], readsWhole: ["ingress"] },
  // A trunk or a rule is checked against every stored one; a call or a transfer names its room.
  "livekit.SIP": { changes: ["sip", "rooms"], readsWhole: ["sip"] },
};

function stepFootprint(step: Step): Footprint {
  if (step.kind !== "call") return { changes: new Set(["rooms"]), readsWhole: new Set() };
  const service = step.key.slice(0, step.key.indexOf("/"));
  const touched = services[service];
  if (touched === undefined) {
    throw new Error(`case-schedule.ts does not know what a call of ${service} touches: add the service to its table`);
  }
  const names = step.body["names"];
  const listsEveryRoom = step.key === "livekit.RoomService/ListRooms" && !(Array.isArray(names) && names.length > 0);
  return {
    changes: new Set(touched.changes),
    readsWhole: new Set<Collection>([...touched.readsWhole, ...(listsEveryRoom ? (["rooms"] as const) : [])]),
  };
}

export function footprintOf(c: StatefulCase): Footprint {
  const changes = new Set<Collection>();
  const readsWhole = new Set<Collection>();
  for (const step of c.steps) {
    const footprint = stepFootprint(step);
    for (const collection of footprint.changes) changes.add(collection);
    for (const collection of footprint.readsWhole) readsWhole.add(collection);
  }
  return { changes, readsWhole };
}

export function conflict(a: Footprint, b: Footprint): boolean {
  const reads = (reader: Footprint, writer: Footprint): boolean => [...reader.readsWhole].some((c) => writer.changes.has(c));
  return reads(a, b) || reads(b, a);
}

/** For each case, the earlier cases it must wait for: those it conflicts with. */
export function waitsFor(cases: readonly StatefulCase[]): number[][] {
  const footprints = cases.map(footprintOf);
  return footprints.map((mine, i) => footprints.flatMap((theirs, j) => (j < i && conflict(mine, theirs) ? [j] : [])));
}

/**
 * Runs `run` for every case, each once every earlier case it conflicts with has ended and fewer
 * than `limit` run; resolves with the results in the cases' order once all have ended, or rejects
 * with the first failure once all have ended.
 */
export async function runScheduled<T>(cases: readonly StatefulCase[], run: (c: StatefulCase) => Promise<T>, limit: number): Promise<T[]> {
  const waits = waitsFor(cases);
  const queue: (() => void)[] = [];
  let running = 0;
  const slot = async (): Promise<void> => {
    if (running < limit) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => queue.push(resolve));
  };
  const release = (): void => {
    const next = queue.shift();
    if (next === undefined) running--;
    else next();
  };
  const ended: Promise<T>[] = [];
  cases.forEach((c, i) => {
    ended[i] = (async () => {
      await Promise.allSettled(waits[i]!.map((j) => ended[j]!));
      await slot();
      try {
        return await run(c);
      } finally {
        release();
      }
    })();
  });
  const settled = await Promise.allSettled(ended);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed !== undefined) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}
