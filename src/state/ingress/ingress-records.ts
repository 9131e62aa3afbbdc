// What a world keeps of its ingresses: each IngressInfo as the real server stores it (its state
// included), and, for a URL ingress whose pull the world simulates, the participant it publishes
// as and the pending step of its pull.
import { clone } from "@bufbuild/protobuf";
import { IngressInfoSchema, type IngressInfo } from "../../../generated/livekit_ingress_pb.js";
import type { ServiceParticipant } from "../rooms/service-participant.js";
import type { World } from "../world.js";

export interface IngressRecord {
  info: IngressInfo;
  /** A URL ingress's participant, while it publishes. */
  participant: ServiceParticipant | undefined;
  /** Cancels the pending step of a URL ingress's pull. */
  cancelStep: (() => void) | undefined;
}

export interface IngressState {
  readonly world: World;
  /** By ingress id, in creation order. */
  readonly ingresses: Map<string, IngressRecord>;
}

/** The ingress as an answer shows it (a copy: later changes are not the answer's). */
export function ingressView(record: IngressRecord): IngressInfo {
  return clone(IngressInfoSchema, record.info);
}
