// Verifies LiveKit access tokens as LiveKit's Go verifier does (REFERENCE §5.2): HS256 only, any
// API key, `exp` required, 60 s leeway on exp and nbf. A token seen before is not re-verified from
// scratch: its signature and claims are cached, and only the clock is checked again.
import { errors, jwtVerify } from "jose";
import type { JsonObject } from "@bufbuild/protobuf";
import { ClaimError, readClaims, type TokenClaims } from "./token-claims.js";

export const clockLeewaySeconds = 60;

export type TokenResult = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly reason: string };

export interface TokenVerifier {
  verify(token: string): Promise<TokenResult>;
}

const cacheLimit = 4096;
const segment = /^[A-Za-z0-9_-]+$/;
const knownAlgorithms = /^(HS|RS|ES|PS)(256|384|512)$|^EdDSA$|^none$/;

export function createTokenVerifier(secret: string, now: () => number = () => Date.now() / 1000): TokenVerifier {
  const key = new TextEncoder().encode(secret);
  const verified = new Map<string, TokenClaims>();

  function checkClock(claims: TokenClaims): TokenResult {
    const t = now();
    if (!(t < claims.exp + clockLeewaySeconds)) return { ok: false, reason: "token has expired" };
    if (claims.nbf !== undefined && !(t >= claims.nbf - clockLeewaySeconds)) return { ok: false, reason: "token is not valid yet (nbf)" };
    return { ok: true, claims };
  }

  return {
    async verify(token) {
      const cached = verified.get(token);
      if (cached !== undefined) return checkClock(cached);
      const problem = parseProblem(token, secret);
      if (problem !== undefined) return { ok: false, reason: problem };
      let payload: JsonObject;
      try {
        // Times are checked below with our own clock, the same way for fresh and cached tokens.
        const result = await jwtVerify(token, key, { algorithms: ["HS256"], clockTolerance: Number.MAX_SAFE_INTEGER });
        payload = result.payload as JsonObject;
      } catch (err) {
        return { ok: false, reason: joseReason(err) };
      }
      let claims: TokenClaims;
      try {
        claims = readClaims(payload);
      } catch (err) {
        if (err instanceof ClaimError) return { ok: false, reason: err.message };
        throw err;
      }
      if (verified.size >= cacheLimit) verified.delete(verified.keys().next().value!);
      verified.set(token, claims);
      return checkClock(claims);
    },
  };
}

// The parse stage of golang-jwt, which jose is more lenient about (padding, unknown algorithms).
function parseProblem(token: string, secret: string): string | undefined {
  if (token === "") return "no token";
  const parts = token.split(".");
  if (parts.length !== 3) return "token must have three dot-separated segments";
  if (!parts.every((p, i) => segment.test(p) || (i === 2 && p === ""))) return "token segments must be unpadded base64url";
  let header: unknown;
  try {
    header = JSON.parse(Buffer.from(parts[0]!, "base64url").toString("utf8"));
  } catch {
    return "token header is not JSON";
  }
  const alg = (header as { alg?: unknown } | null)?.alg;
  if (typeof alg !== "string" || !knownAlgorithms.test(alg)) return "token alg is not a known signing method";
  if (alg !== "HS256") return `token alg ${alg} is not HS256`;
  if (secret === "") return "no API secret configured";
  return undefined;
}

function joseReason(err: unknown): string {
  if (err instanceof errors.JWSSignatureVerificationFailed) return "token signature does not match the API secret";
  if (err instanceof errors.JWTClaimValidationFailed) return `token claim ${err.claim} is invalid`;
  if (err instanceof Error) return `token is invalid: ${err.message}`;
  return "token is invalid";
}
