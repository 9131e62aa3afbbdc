// Natural latencies (docs/spec/control.md#delay): how long a real server takes to answer the SIP dial
// methods, which SDK suites rely on when they test timeouts. `delayMs` in the control header
// replaces them. The generator checks each key names a real RPC and each `whenTrue` a bool field.
import type { NaturalLatency } from "../src/twirp/method-stub.js";

export type LatencyTable = Readonly<Record<string, NaturalLatency>>;

export const latencyTable: LatencyTable = {
  // Dialling waits for the callee to answer only when asked to.
  "livekit.SIP/CreateSIPParticipant": { ms: 11_000, whenTrue: "wait_until_answered" },
  "livekit.SIP/TransferSIPParticipant": { ms: 11_000 },
};
