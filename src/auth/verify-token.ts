// Verifies LiveKit access tokens as LiveKit's Go verifier (golang-jwt v5) does (REFERENCE §5.2):
// HS256 only, any API key, `exp` required, 60 s leeway on exp and nbf. Failure reasons use
// golang-jwt's wording, since the signal validate endpoint shows them to clients. A token seen
// before is not re-verified from scratch: its claims are cached and only the clock is checked.
import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import type { JsonObject } from "@bufbuild/protobuf";
import { ClaimError, readClaims, type TokenClaims } from "./token-claims.js";

export const clockLeewaySeconds = 60;

export type TokenResult = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly reason: string };

export interface TokenVerifier {
  verify(token: string): TokenResult;
}

const cacheLimit = 4096;
const base64url = /^[A-Za-z0-9_-]*$/;
const knownAlgorithms = /^(HS|RS|ES|PS)(256|384|512)$|^EdDSA$|^none$/;

export function createTokenVerifier(secret: string, now: () => number = () => Date.now() / 1000): TokenVerifier {
  // Empty secrets are refused before any signature is checked; a KeyObject cannot be empty.
  const key = secret === "" ? undefined : createSecretKey(Buffer.from(secret, "utf8"));
  const verified = new Map<string, TokenClaims & { exp: number }>();

  function checkClock(claims: TokenClaims & { exp: number }): TokenResult {
    const t = now();
    if (!(t < claims.exp + clockLeewaySeconds)) return { ok: false, reason: "token has invalid claims: token is expired" };
    if (claims.nbf !== undefined && !(t >= claims.nbf - clockLeewaySeconds)) {
      return { ok: false, reason: "token has invalid claims: token is not valid yet" };
    }
    return { ok: true, claims };
  }

  return {
    verify(token) {
      const cached = verified.get(token);
      if (cached !== undefined) return checkClock(cached);
      const parsed = parse(token);
      if (typeof parsed === "string") return { ok: false, reason: parsed };
      let claims: TokenClaims;
      try {
        claims = readClaims(parsed.payload);
      } catch (err) {
        if (err instanceof ClaimError) return { ok: false, reason: `token is malformed: could not JSON decode claim: ${err.message}` };
        throw err;
      }
      if (secret === "") return { ok: false, reason: "token is unverifiable: no API secret configured" };
      if (parsed.alg !== "HS256") return { ok: false, reason: `token signature is invalid: signing method ${parsed.alg} is invalid` };
      if (!hs256SignatureValid(token, key!)) return { ok: false, reason: "token signature is invalid: signature is invalid" };
      if (claims.exp === undefined) {
        return { ok: false, reason: "token has invalid claims: token is missing required claim: exp claim is required" };
      }
      const complete = { ...claims, exp: claims.exp };
      if (verified.size >= cacheLimit) verified.delete(verified.keys().next().value!);
      verified.set(token, complete);
      return checkClock(complete);
    },
  };
}

/**
 * HMAC-SHA256 over `header.payload`, compared in constant time. node:crypto rather than jose's
 * WebCrypto path: SDKs sign a fresh token per call, and the synchronous HMAC costs ~5 µs where
 * the asynchronous verification cost ~80 µs (bench/README.md).
 */
function hs256SignatureValid(token: string, key: KeyObject): boolean {
  const dot = token.lastIndexOf(".");
  const signature = token.slice(dot + 1);
  // Go decodes the signature with RawURLEncoding too: padding or the standard alphabet fail it.
  if (!base64url.test(signature)) return false;
  const given = Buffer.from(signature, "base64url");
  const expected = createHmac("sha256", key).update(token.slice(0, dot)).digest();
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** golang-jwt's parse stage: three unpadded base64url segments, JSON header and claims, a known alg. */
function parse(token: string): { alg: string; payload: JsonObject } | string {
  const parts = token.split(".");
  if (parts.length !== 3) return "token is malformed: token contains an invalid number of segments";
  const [header, payload] = parts as [string, string, string];
  const headerJson = decodeSegment(header, "header");
  if (typeof headerJson === "string") return headerJson;
  const payloadJson = decodeSegment(payload, "claim");
  if (typeof payloadJson === "string") return payloadJson;
  if (payloadJson.value === null || typeof payloadJson.value !== "object" || Array.isArray(payloadJson.value)) {
    return "token is malformed: could not JSON decode claim: claims are not a JSON object";
  }
  const alg = (headerJson.value as { alg?: unknown } | null)?.alg;
  if (typeof alg !== "string" || !knownAlgorithms.test(alg)) return "token is unverifiable: signing method (alg) is unavailable";
  return { alg, payload: payloadJson.value as JsonObject };
}

function decodeSegment(segment: string, what: "header" | "claim"): { value: unknown } | string {
  // Go decodes with RawURLEncoding: padding and the standard alphabet are both errors.
  if (!base64url.test(segment)) return `token is malformed: could not base64 decode ${what}`;
  try {
    return { value: JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as unknown };
  } catch (err) {
    return `token is malformed: could not JSON decode ${what}: ${(err as Error).message}`;
  }
}
