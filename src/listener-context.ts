// What one region's listener knows: its own region, and the state every listener shares (built
// once at start-up, never mutated per request).
import type { TokenVerifier } from "./auth/verify-token.js";
import type { ServerConfig } from "./config.js";
import type { Region } from "./regions.js";
import type { Logger } from "./request-log.js";
import type { RouteTable } from "./route-table.js";

export interface SharedState {
  readonly config: ServerConfig;
  readonly routes: RouteTable;
  readonly verifier: TokenVerifier;
  readonly log: Logger;
  /** Filled in once every listener is bound (ports may be chosen by the OS). */
  readonly regions: Region[];
  /** True once every listener is bound: /_test/health answers `ok` only then. */
  ready: boolean;
}

export interface ListenerContext {
  readonly region: Region;
  readonly shared: SharedState;
}
