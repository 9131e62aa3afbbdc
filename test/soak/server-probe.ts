// Loaded into the soaked server's process with --import: once a second it reports what the soak
// watches (resident memory, event-loop delay, open handles) to the parent over IPC, without the
// server itself knowing. The probe's own interval is one of the handles it counts, every time.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { isMainThread } from "node:worker_threads";

export interface ProbeSample {
  readonly rssMiB: number;
  readonly heapMiB: number;
  /** 99th percentile and maximum event-loop delay over the last second. */
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  /** Active libuv handles and requests (sockets, servers, timers). */
  readonly handles: number;
  readonly sockets: number;
}

// Worker threads inherit the --import that loads this probe; only the main thread reports (the
// process's memory and handles include the workers').
if (isMainThread) startProbe();

function startProbe(): void {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  setInterval(() => {
    const resources = process.getActiveResourcesInfo();
    const sample: ProbeSample = {
      rssMiB: process.memoryUsage.rss() / 2 ** 20,
      heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
      loopP99Ms: delay.percentile(99) / 1e6,
      loopMaxMs: delay.max / 1e6,
      handles: resources.length,
      sockets: resources.filter((r) => r === "TCPSocketWrap").length,
    };
    delay.reset();
    process.send?.(sample);
  }, 1000).unref();
}
