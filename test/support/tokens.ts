// Access tokens for tests, signed with jose exactly as the SDKs shape them (HS256, exp, nbf).
import { SignJWT } from "jose";

export const testSecret = "secret";
export const testApiKey = "devkey";

export interface TokenOptions {
  readonly identity?: string;
  readonly name?: string;
  readonly video?: Record<string, unknown>;
  readonly sip?: Record<string, unknown>;
  readonly attributes?: Record<string, string>;
  readonly secret?: string;
  /** Seconds from now; negative for an expired token. */
  readonly expiresIn?: number;
  readonly notBeforeIn?: number;
  readonly extraClaims?: Record<string, unknown>;
}

export async function signToken(options: TokenOptions = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims: Record<string, unknown> = { ...options.extraClaims };
  if (options.video !== undefined) claims["video"] = options.video;
  if (options.sip !== undefined) claims["sip"] = options.sip;
  if (options.attributes !== undefined) claims["attributes"] = options.attributes;
  if (options.name !== undefined) claims["name"] = options.name;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer(testApiKey)
    .setNotBefore(now + (options.notBeforeIn ?? 0))
    .setExpirationTime(now + (options.expiresIn ?? 600));
  if (options.identity !== undefined) jwt.setSubject(options.identity);
  return jwt.sign(new TextEncoder().encode(options.secret ?? testSecret));
}
