// Simulated regions (one per listener) and the /settings/regions answer (REFERENCE §4.4).
import { create, toJsonString } from "@bufbuild/protobuf";
import { RegionSettingsSchema } from "../generated/livekit_rtc_pb.js";

export interface Region {
  readonly index: number;
  /** `region-<index>` */
  readonly name: string;
  readonly port: number;
  /** `<advertiseHost>:<port>` */
  readonly url: string;
}

export function createRegion(index: number, port: number, advertiseHost: string): Region {
  return { index, name: `region-${index}`, port, url: `${advertiseHost}:${port}` };
}

/** The regions a client may use: all of them, or only the pinned ones, in their original order. */
export function regionSettingsJson(regions: readonly Region[], pinnedRegions: readonly string[]): string {
  const listed = pinnedRegions.length === 0 ? regions : regions.filter((r) => pinnedRegions.includes(r.name));
  const settings = create(RegionSettingsSchema, {
    regions: listed.map((r) => ({ region: r.name, url: r.url, distance: BigInt(r.index) })),
  });
  return toJsonString(RegionSettingsSchema, settings);
}
