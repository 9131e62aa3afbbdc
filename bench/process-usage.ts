// Finer readings of a server process than servers.ts's: CPU time to the nanosecond (the cost
// checks measure well under a second of it, where /proc/<pid>/stat's 10 ms ticks would be a
// tenth of the figure), and the peak resident memory since a chosen moment.
import { readdir, readFile, writeFile } from "node:fs/promises";
import { BenchError } from "./bench-error.js";

/** CPU nanoseconds every live thread of `pid` has run (the first field of each thread's schedstat). */
export async function cpuNanoseconds(pid: number): Promise<number> {
  let total = 0;
  for (const task of await readdir(`/proc/${pid}/task`)) {
    // A thread may end between the listing and the read; what it ran is then lost either way.
    const stat = await readFile(`/proc/${pid}/task/${task}/schedstat`, "utf8").catch(() => "0");
    total += Number(stat.split(" ")[0]);
  }
  return total;
}

/** Makes the process's peak RSS (VmHWM) its current RSS, so that the next peak read is the peak from now on. */
export async function resetPeakRss(pid: number): Promise<void> {
  try {
    await writeFile(`/proc/${pid}/clear_refs`, "5");
  } catch (error) {
    throw new BenchError(`cannot reset the peak RSS of process ${pid}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function peakRssBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  const match = /^VmHWM:\s+(\d+) kB/m.exec(status);
  if (match === null) throw new BenchError(`no VmHWM for process ${pid}`);
  return Number(match[1]) * 1024;
}
