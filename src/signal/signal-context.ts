// What the signal endpoints need from the listener that received the request.
import type { TokenVerifier } from "../auth/verify-token.js";
import type { Logger } from "../shared/log.js";
import type { Region } from "../shared/region.js";

export interface SignalContext {
  readonly region: Region;
  readonly verifier: TokenVerifier;
  readonly log: Logger;
}
