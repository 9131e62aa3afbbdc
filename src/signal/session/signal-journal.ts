// What the signal endpoints write into the request journal under the `journal` key of `lk.mock`:
// every validate fetch and refused upgrade, and for each WebSocket its connect, every frame the
// client sent (a SignalRequest as protojson), the join, and how it closed, each with the time since
// the upgrade. A test reads it from GET /_test/journal/<key> to assert what its SDK really sent.
import { toJson, type JsonObject } from "@bufbuild/protobuf";
import { SignalRequestSchema } from "../../../generated/livekit_rtc_pb.js";
import type { Journal } from "../../journal/journal.js";
import type { SessionLifecycle } from "./session-lifecycle.js";

/** Where a signal request arrived. */
export interface SignalPlace {
  readonly region: string;
  /** `/rtc`, `/rtc/v1/validate`, … */
  readonly path: string;
}

export interface SignalJournal {
  /** Records the connect now, and returns the lifecycle that records the rest of the connection. */
  connection(key: string, place: SignalPlace, details: { mode: string; reconnect: boolean; identity: string }): SessionLifecycle;
  /** An upgrade answered with a status instead of a WebSocket. */
  refused(key: string, place: SignalPlace, status: number, why: string): void;
  validate(key: string, place: SignalPlace, method: string, status: number, why: string): void;
}

// Connection numbers count per journal store, so entries of one connection can be told apart from
// a reconnect's in the same key.
const connectionCounts = new WeakMap<Journal, { next: number }>();

export function createSignalJournal(journal: Journal): SignalJournal {
  let count = connectionCounts.get(journal);
  if (count === undefined) connectionCounts.set(journal, (count = { next: 1 }));
  const counter = count;
  return {
    connection(key, place, details) {
      const connection = counter.next++;
      const upgradedAt = performance.now();
      const record = (entry: JsonObject, at = performance.now()): void => {
        journal.record(key, at, { kind: "signal", ...place, connection, sinceUpgradeMs: round(at - upgradedAt), ...entry });
      };
      record({ event: "connected", status: 101, mode: details.mode, reconnect: details.reconnect, identity: details.identity }, upgradedAt);
      return {
        joined: (first) => record({ event: "joined", sent: first }),
        read(frame) {
          if (frame.kind === "request") record({ event: "request", request: toJson(SignalRequestSchema, frame.request) });
          else record({ event: "ignored", frame: frame.kind, bytes: frame.bytes });
        },
        ended: (end) => record({ event: "closed", by: end.by, code: end.code, reason: end.reason }),
      };
    },
    refused(key, place, status, why) {
      journal.record(key, performance.now(), { kind: "signal", ...place, event: "refused", status, why });
    },
    validate(key, place, method, status, why) {
      journal.record(key, performance.now(), { kind: "signal", ...place, event: "validate", method, status, why });
    },
  };
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
