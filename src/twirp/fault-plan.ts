// Which failure, if any, a request meets on the region it reached. The flat fields describe every
// region; a region's plan in `regions` wins field by field for that region. A region is targeted
// when it is in `failRegions` or its plan names a fail field; when neither names any region, but
// `failUntil` or `failFirst` is given, every region is. A targeted region fails while the clock is
// before `failUntil`, and for the first `failFirst` requests under the journal key.
import type { Control, FailMode, RegionPlan } from "../control/parse-control.js";

export interface RegionFailure {
  readonly mode: FailMode;
  /** The failStatus asked for; undefined leaves each mode its default. */
  readonly status: number | undefined;
  /** "": derived from the status. */
  readonly twirpCode: string;
  readonly meta: Readonly<Record<string, string>>;
  /** For the request log: what made this request fail. */
  readonly why: string;
}

/** The delay this region applies before answering; undefined leaves the method's natural latency. */
export function regionDelayMs(control: Control, regionIndex: number): number | undefined {
  return control.regions.get(regionIndex)?.delayMs ?? control.delayMs;
}

/**
 * The failure for this request on this region, or undefined when it succeeds. `countFailFirst`
 * is called only for a request that would fail but for `failFirst`: it counts the request and
 * says whether it is among the first n.
 */
export function regionFailure(
  control: Control,
  regionIndex: number,
  now: number,
  countFailFirst: (key: string, n: number) => boolean,
): RegionFailure | undefined {
  const plan = control.regions.size === 0 ? undefined : control.regions.get(regionIndex);
  let why: string;
  if (control.failRegions.includes(regionIndex)) why = `failRegions includes ${regionIndex}`;
  else if (plan !== undefined && hasFailField(plan)) why = `regions["${regionIndex}"] fails`;
  else if ((control.failUntil !== undefined || control.failFirst !== undefined) && !namesARegion(control)) why = "every region is targeted";
  else return undefined;

  if (control.failUntil !== undefined) {
    if (now >= control.failUntil) return undefined;
    why += `, until ${new Date(control.failUntil).toISOString()}`;
  }
  if (control.failFirst !== undefined) {
    if (!countFailFirst(control.journal!, control.failFirst)) return undefined;
    why += `, among the first ${control.failFirst} under journal ${control.journal}`;
  }
  return {
    mode: plan?.failMode ?? control.failMode,
    status: plan?.failStatus ?? control.failStatus,
    twirpCode: plan?.failTwirpCode ?? control.failTwirpCode,
    meta: plan?.failMeta ?? control.failMeta,
    why,
  };
}

function hasFailField(plan: RegionPlan): boolean {
  return plan.failMode !== undefined || plan.failStatus !== undefined || plan.failTwirpCode !== undefined || plan.failMeta !== undefined;
}

function namesARegion(control: Control): boolean {
  if (control.failRegions.length > 0) return true;
  for (const plan of control.regions.values()) if (hasFailField(plan)) return true;
  return false;
}
