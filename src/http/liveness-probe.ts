// After a FIN, a client that closed its socket and one that only half-closed look the same until
// something is written: a closed one answers any byte with a reset. When an answer is not out soon
// after the FIN, an interim `100 Continue` (which every HTTP/1.1 client must accept) tells them
// apart, so a call abandoned during a delay is seen as gone at once (docs/spec/http.md#half-close).

/** How long an answer may take after a FIN before the client is asked whether it still reads. */
const probeAfterMs = 20;
/** Between the two halves of the probe: a closed client's reset to the first arrives in this time. */
const probeGapMs = 10;
const continueLine = "HTTP/1.1 100 Continue\r\n";

export interface LivenessProbe {
  /** Starts the probe's clock (once). */
  arm(): void;
  /** Ends a half-written probe before anything else is written, and stops the clock. */
  settle(): void;
}

export function createLivenessProbe(write: (text: string) => void, stillWaiting: () => boolean): LivenessProbe {
  let state: "idle" | "armed" | "half" | "done" = "idle";
  let timer: NodeJS.Timeout | undefined;
  const settle = (): void => {
    clearTimeout(timer);
    if (state === "half") write("\r\n");
    state = "done";
  };
  return {
    arm() {
      if (state !== "idle") return;
      state = "armed";
      // Written in two halves: the write that meets the reset fails, and that failure is what is seen.
      timer = setTimeout(() => {
        if (state !== "armed" || !stillWaiting()) return;
        state = "half";
        write(continueLine);
        timer = setTimeout(settle, probeGapMs);
      }, probeAfterMs);
    },
    settle,
  };
}
