// What a world keeps of SIP: trunks and dispatch rules by id, and the calls CreateSIPParticipant
// placed; how the real server lists them (its redis store answers sorted by id, and its service
// reads every page after `page.after_id`, so `page.limit` never shortens an answer).
import { clone, create } from "@bufbuild/protobuf";
import type { Pagination } from "../../../generated/livekit_models_pb.js";
import {
  SIPDispatchRuleInfoSchema,
  SIPInboundTrunkInfoSchema,
  SIPMediaConfigSchema,
  SIPMediaEncryption,
  SIPOutboundTrunkInfoSchema,
  SIPTrunkInfo_TrunkKind,
  SIPTrunkInfoSchema,
  type SIPDispatchRuleInfo,
  type SIPInboundTrunkInfo,
  type SIPMediaConfig,
  type SIPOutboundTrunkInfo,
  type SIPTrunkInfo,
} from "../../../generated/livekit_sip_pb.js";
import { worldFull } from "../state-error.js";
import type { ServiceParticipant } from "../rooms/service-participant.js";
import type { World } from "../world.js";

/** A call CreateSIPParticipant placed, kept while its participant is in the room. */
export interface SipCall {
  readonly callId: string;
  readonly trunkId: string;
  readonly room: string;
  readonly identity: string;
  readonly participantSid: string;
  /** The participant, as its (simulated) worker holds it. */
  readonly participant: ServiceParticipant;
}

export interface SipState {
  readonly world: World;
  readonly inbound: Map<string, SIPInboundTrunkInfo>;
  readonly outbound: Map<string, SIPOutboundTrunkInfo>;
  readonly rules: Map<string, SIPDispatchRuleInfo>;
  /** By SIP call id; a call leaves the map when its participant leaves the room. */
  readonly calls: Map<string, SipCall>;
}

export function createSipState(world: World): SipState {
  return { world, inbound: new Map(), outbound: new Map(), rules: new Map(), calls: new Map() };
}

/** Refuses a new trunk or rule past the world's limit (docs/limits.md). */
export function checkCapacity(state: SipState): void {
  const held = state.inbound.size + state.outbound.size + state.rules.size;
  if (held >= state.world.limits.sipRecordsPerWorld) throw worldFull(state.world.key, held, "SIP trunks and dispatch rules");
}

export const byTrunkId = (trunk: { readonly sipTrunkId: string }): string => trunk.sipTrunkId;
export const byRuleId = (rule: SIPDispatchRuleInfo): string => rule.sipDispatchRuleId;

/** Records sorted by id, after `page.after_id` when a page is given, kept by `filter`. */
export function listed<T>(
  records: Iterable<T>,
  idOf: (record: T) => string,
  page?: Pagination,
  filter: (record: T) => boolean = () => true,
): T[] {
  const after = page?.afterId ?? "";
  return [...records]
    .filter((record) => (after === "" || idOf(record) > after) && filter(record))
    .sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
}

/** SIPInboundTrunkInfo.AsTrunkInfo, for the deprecated ListSIPTrunk. */
export function inboundAsTrunkInfo(trunk: SIPInboundTrunkInfo): SIPTrunkInfo {
  return create(SIPTrunkInfoSchema, {
    sipTrunkId: trunk.sipTrunkId,
    kind: SIPTrunkInfo_TrunkKind.TRUNK_INBOUND,
    name: trunk.name,
    metadata: trunk.metadata,
    outboundNumber: trunk.numbers[0] ?? "",
    inboundAddresses: [...trunk.allowedAddresses],
    inboundNumbers: [...trunk.allowedNumbers],
    inboundUsername: trunk.authUsername,
    inboundPassword: trunk.authPassword,
  });
}

/** SIPOutboundTrunkInfo.AsTrunkInfo. */
export function outboundAsTrunkInfo(trunk: SIPOutboundTrunkInfo): SIPTrunkInfo {
  return create(SIPTrunkInfoSchema, {
    sipTrunkId: trunk.sipTrunkId,
    kind: SIPTrunkInfo_TrunkKind.TRUNK_OUTBOUND,
    name: trunk.name,
    metadata: trunk.metadata,
    outboundAddress: trunk.address,
    transport: trunk.transport,
    outboundNumber: trunk.numbers[0] ?? "",
    outboundUsername: trunk.authUsername,
    outboundPassword: trunk.authPassword,
  });
}

/**
 * SIPMediaConfig.UpgradeWith, the `Upgrade` the server applies to a record it rewrites: a media
 * config always (an empty one if there was none), carrying the legacy encryption unless it has
 * one of its own (DISABLE, the zero value, means unset).
 */
export function upgradeMedia(record: { media?: SIPMediaConfig | undefined; mediaEncryption: SIPMediaEncryption }): void {
  const media = record.media ?? create(SIPMediaConfigSchema);
  if (media.encryption === undefined && record.mediaEncryption !== SIPMediaEncryption.SIP_MEDIA_ENCRYPT_DISABLE) {
    media.encryption = record.mediaEncryption;
  }
  record.media = media;
}

export const copyInbound = (trunk: SIPInboundTrunkInfo): SIPInboundTrunkInfo => clone(SIPInboundTrunkInfoSchema, trunk);
export const copyOutbound = (trunk: SIPOutboundTrunkInfo): SIPOutboundTrunkInfo => clone(SIPOutboundTrunkInfoSchema, trunk);
export const copyRule = (rule: SIPDispatchRuleInfo): SIPDispatchRuleInfo => clone(SIPDispatchRuleInfoSchema, rule);
