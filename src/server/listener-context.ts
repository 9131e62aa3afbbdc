// What one region's listener knows: its own region, and what every listener of the server shares
// (built once at start-up, never mutated per request). It is a superset of what each handler
// folder asks for, so handlers depend on their own context types, never on the server.
import type { SignalContext } from "../signal/signal-context.js";
import type { Region } from "../shared/region.js";
import type { TwirpContext } from "../twirp/twirp-context.js";
import type { ServerConfig } from "./config.js";

export interface Readiness {
  /** True once every listener is bound: /_test/health answers `ok` only then. */
  ready: boolean;
}

export interface ListenerContext extends TwirpContext, SignalContext {
  readonly config: ServerConfig;
  /** Every region of the server; filled in once every listener is bound (ports may be chosen by the OS). */
  readonly regions: readonly Region[];
  readonly readiness: Readiness;
}
