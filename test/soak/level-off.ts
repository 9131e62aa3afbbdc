// When a soak's measurements count as levelled off: the median of the last third of the samples
// is at most the middle third's median plus a tolerance (a fraction of it and an absolute slack,
// since small values are noisy). A leak or a backlog keeps growing from one third to the next; a
// warm-up that settles does not fail it, since the first third is only reported.

export interface Tolerance {
  /** Growth allowed as a fraction of the middle third's median, e.g. 0.1 for 10 %. */
  readonly relative: number;
  /** Growth allowed on top of that, in the metric's unit. */
  readonly absolute: number;
}

export interface LevelOff {
  readonly firstMedian: number;
  readonly middleMedian: number;
  readonly lastMedian: number;
  /** The highest last-third median that passes. */
  readonly limit: number;
  readonly ok: boolean;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function levelOff(samples: readonly number[], tolerance: Tolerance): LevelOff {
  if (samples.length < 3) throw new Error(`at least 3 samples are needed, got ${samples.length}`);
  const third = Math.floor(samples.length / 3);
  const firstMedian = median(samples.slice(0, third));
  const middleMedian = median(samples.slice(third, samples.length - third));
  const lastMedian = median(samples.slice(samples.length - third));
  const limit = middleMedian * (1 + tolerance.relative) + tolerance.absolute;
  return { firstMedian, middleMedian, lastMedian, limit, ok: lastMedian <= limit };
}
