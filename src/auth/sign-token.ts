// Access tokens as LiveKit's SDKs sign them (HS256; iss the API key, sub and jti the identity, nbf
// now, exp after the TTL; grants under `video` and `sip`), for the `token` subcommand: a token for
// curl or a client SDK without writing code.
import { SignJWT } from "jose";
import { tokenClaims, type StructType } from "./token-claims.js";

export interface AccessTokenInput {
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly ttlSeconds: number;
  readonly identity?: string;
  readonly name?: string;
  /** `video` grant fields: the flags set, plus `room` and `destinationRoom` when given. */
  readonly video?: Readonly<Record<string, boolean | string>>;
  readonly sip?: Readonly<Record<string, boolean>>;
  readonly attributes?: Readonly<Record<string, string>>;
}

/** The grant flags a token can set, named as claims are (`video.roomAdmin`, `sip.call`), from the claim structs the verifier reads. */
export const grantFlags: readonly string[] = (["video", "sip"] as const).flatMap((grant) =>
  Object.entries((tokenClaims.fields[grant] as StructType).fields)
    .filter(([, type]) => type === "bool" || type === "boolPointer")
    .map(([flag]) => `${grant}.${flag}`),
);

export async function signAccessToken(input: AccessTokenInput, now: Date = new Date()): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const claims: Record<string, unknown> = {};
  if (input.name !== undefined) claims["name"] = input.name;
  if (input.video !== undefined && Object.keys(input.video).length > 0) claims["video"] = input.video;
  if (input.sip !== undefined && Object.keys(input.sip).length > 0) claims["sip"] = input.sip;
  if (input.attributes !== undefined && Object.keys(input.attributes).length > 0) claims["attributes"] = input.attributes;
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(input.apiKey)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + input.ttlSeconds);
  if (input.identity !== undefined) jwt.setSubject(input.identity).setJti(input.identity);
  return jwt.sign(new TextEncoder().encode(input.apiSecret));
}
