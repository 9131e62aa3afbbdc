// What the Twirp pipeline needs from the listener that received the request.
import type { TokenVerifier } from "../auth/verify-token.js";
import type { Logger } from "../shared/log.js";
import type { Region } from "../shared/region.js";
import type { MethodRoutes } from "./method-routes.js";

export interface TwirpContext {
  readonly region: Region;
  readonly routes: MethodRoutes;
  readonly verifier: TokenVerifier;
  readonly log: Logger;
}
