// How far behind its timers this process's event loop ran over a stretch of time. A test that
// checks a server timer (the server runs in the test's process) allows a little slack plus this:
// on a busy machine the loop falls behind and every timer with it, which is the machine, not the
// server. A 10 ms probe timer measures it from the moment this module loads.

const probeMs = 10;
const keepMs = 120_000;
const samples: { at: number; lateMs: number }[] = [];
let expected = performance.now() + probeMs;
const probe = setInterval(() => {
  const now = performance.now();
  samples.push({ at: now, lateMs: Math.max(0, now - expected) });
  expected = now + probeMs;
  while (samples.length > 0 && samples[0]!.at < now - keepMs) samples.shift();
}, probeMs);
probe.unref();

/** The loop's total lateness since `since` (a performance.now() value): the sum of its probe's delays. */
export function latenessSince(since: number): number {
  let total = 0;
  for (const sample of samples) if (sample.at >= since) total += sample.lateMs;
  // The probe due now may itself be late: count the time it has been overdue.
  return total + Math.max(0, performance.now() - expected);
}
