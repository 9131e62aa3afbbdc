// What a world keeps of its egresses: each EgressInfo as the real server stores it (what its
// egress worker reported last), with what the simulated worker needs to carry on: the raw stream
// URLs behind the redacted ones it reports, its participant in the room, and the pending step of
// its life.
import { clone } from "@bufbuild/protobuf";
import { EgressInfoSchema, EgressStatus, type EgressInfo, type StreamInfo } from "../../../generated/livekit_egress_pb.js";
import type { ServiceParticipant } from "../rooms/service-participant.js";
import type { World } from "../world.js";

export interface EgressRecord {
  readonly info: EgressInfo;
  /** The stream each raw URL (as requested, unredacted) is reported as. */
  readonly streams: Map<string, StreamInfo>;
  /** It has a stream output (UpdateStream may add and remove URLs). */
  readonly streaming: boolean;
  /** It records a room, which it joins as a participant (every kind but a web page). */
  readonly joinsRoom: boolean;
  /** The egress's own participant, while it is in its room. */
  participant: ServiceParticipant | undefined;
  /** Cancels the pending step (activation or completion). */
  cancelStep: (() => void) | undefined;
}

export interface EgressState {
  readonly world: World;
  /** By egress id, in start order. */
  readonly egresses: Map<string, EgressRecord>;
}

/** A worker still runs the egress: it answers stop and stream updates. */
export function isRunning(info: EgressInfo): boolean {
  return (
    info.status === EgressStatus.EGRESS_STARTING || info.status === EgressStatus.EGRESS_ACTIVE || info.status === EgressStatus.EGRESS_ENDING
  );
}

/** The egress as an answer shows it (a copy: later changes are not the answer's). */
export function egressView(record: EgressRecord): EgressInfo {
  return clone(EgressInfoSchema, record.info);
}

/** Epoch nanoseconds of the world's clock, as egress times are written. */
export function nowNs(world: World): bigint {
  return BigInt(world.now()) * 1_000_000n;
}
