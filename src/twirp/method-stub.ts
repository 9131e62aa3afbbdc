// The contract between generated/mock (one stub per LiveKit RPC) and the runtime that serves them.
// Stubs are data: everything that decodes, populates, authorizes or fails lives in src/.
import type { DescMethod } from "@bufbuild/protobuf";
import type { MethodGrant } from "../auth/method-grant.js";

export type { GrantName, MethodGrant, RoomScope } from "../auth/method-grant.js";

/**
 * The latency a real server shows for a method, applied unless the control header sets `delayMs`.
 * `whenTrue` names a bool request field (proto name) that must be true; absent means always.
 */
export interface NaturalLatency {
  readonly ms: number;
  readonly whenTrue?: string;
}

export interface MethodStub {
  /** `<package>.<Service>/<Method>`, the path below the Twirp prefix. */
  readonly key: string;
  readonly method: DescMethod;
  readonly grant: MethodGrant;
  readonly naturalLatency?: NaturalLatency;
}

/** A streaming RPC of a public service: it has no Twirp binding, so it is not served. */
export interface SkippedRpc {
  readonly key: string;
  readonly reason: string;
}

/**
 * The stubs of one generated module, loaded on first use: the route keys are known at start-up,
 * the descriptors only once one of them is called.
 */
export interface StubModule {
  readonly keys: readonly string[];
  load(): Promise<readonly MethodStub[]>;
}
