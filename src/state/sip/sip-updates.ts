// The `update` actions of UpdateSIPInboundTrunk, UpdateSIPOutboundTrunk and UpdateSIPDispatchRule
// applied to a copy of the stored record as the real server applies them (livekit protocol's
// ApplyResult / Apply): fields set, lists changed, the media config rewritten and upgraded.
import type { ListUpdate } from "../../../generated/livekit_models_pb.js";
import {
  SIPMediaEncryption,
  type SIPDispatchRuleInfo,
  type SIPDispatchRuleUpdate,
  type SIPInboundTrunkInfo,
  type SIPInboundTrunkUpdate,
  type SIPMediaConfig,
  type SIPOutboundTrunkInfo,
  type SIPOutboundTrunkUpdate,
} from "../../../generated/livekit_sip_pb.js";
import { copyInbound, copyOutbound, copyRule, upgradeMedia } from "./sip-records.js";

/** applyListUpdate: clear, set, or remove then add (each value once). */
function applyList(list: string[], update: ListUpdate | undefined): string[] {
  if (update === undefined) return list;
  if (update.clear) return [];
  if (update.set.length > 0) return [...update.set];
  const out = list.filter((value) => !update.remove.includes(value));
  for (const value of update.add) if (!out.includes(value)) out.push(value);
  return out;
}

interface MediaHolder {
  media?: SIPMediaConfig | undefined;
  mediaEncryption: SIPMediaEncryption;
}

/** updateMediaConfig: the new config or encryption, upgraded, and the legacy field written back from it. */
function updateMedia(record: MediaHolder, media: SIPMediaConfig | undefined, encryption: SIPMediaEncryption | undefined): void {
  if (media !== undefined) record.media = media;
  if (encryption !== undefined) record.mediaEncryption = encryption;
  upgradeMedia(record);
  record.mediaEncryption = record.media?.encryption ?? SIPMediaEncryption.SIP_MEDIA_ENCRYPT_DISABLE;
  upgradeMedia(record);
}

export function updatedInbound(stored: SIPInboundTrunkInfo, update: SIPInboundTrunkUpdate): SIPInboundTrunkInfo {
  const info = copyInbound(stored);
  info.numbers = applyList(info.numbers, update.numbers);
  info.allowedAddresses = applyList(info.allowedAddresses, update.allowedAddresses);
  info.allowedNumbers = applyList(info.allowedNumbers, update.allowedNumbers);
  if (update.authUsername !== undefined) info.authUsername = update.authUsername;
  if (update.authPassword !== undefined) info.authPassword = update.authPassword;
  if (update.authRealm !== undefined) info.authRealm = update.authRealm;
  if (update.name !== undefined) info.name = update.name;
  if (update.metadata !== undefined) info.metadata = update.metadata;
  updateMedia(info, update.media, update.mediaEncryption);
  return info;
}

export function updatedOutbound(stored: SIPOutboundTrunkInfo, update: SIPOutboundTrunkUpdate): SIPOutboundTrunkInfo {
  const info = copyOutbound(stored);
  if (update.address !== undefined) info.address = update.address;
  if (update.transport !== undefined) info.transport = update.transport;
  if (update.destinationCountry !== undefined) info.destinationCountry = update.destinationCountry;
  info.numbers = applyList(info.numbers, update.numbers);
  if (update.authUsername !== undefined) info.authUsername = update.authUsername;
  if (update.authPassword !== undefined) info.authPassword = update.authPassword;
  if (update.name !== undefined) info.name = update.name;
  if (update.metadata !== undefined) info.metadata = update.metadata;
  if (update.fromHost !== undefined) info.fromHost = update.fromHost;
  updateMedia(info, update.media, update.mediaEncryption);
  return info;
}

export function updatedRule(stored: SIPDispatchRuleInfo, update: SIPDispatchRuleUpdate): SIPDispatchRuleInfo {
  const info = copyRule(stored);
  info.trunkIds = applyList(info.trunkIds, update.trunkIds);
  if (update.rule !== undefined) info.rule = update.rule;
  if (update.name !== undefined) info.name = update.name;
  if (update.metadata !== undefined) info.metadata = update.metadata;
  // applyMapDiff: an empty value removes the key.
  for (const [key, value] of Object.entries(update.attributes)) {
    if (value === "") delete info.attributes[key];
    else info.attributes[key] = value;
  }
  updateMedia(info, update.media, update.mediaEncryption);
  return info;
}
