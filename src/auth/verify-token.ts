// Verifies LiveKit access tokens as LiveKit's Go verifier (ParseAPIToken, then Verify, on
// golang-jwt v5) does, step for step (docs/spec/auth.md#verification): HS256 only, any API key,
// `exp` required, 60 s leeway on exp and nbf, claims decoded with Go's encoding/json semantics.
// Failure reasons are golang-jwt's words, since the signal validate endpoint shows them to clients.
// A token seen before is not re-verified from scratch: its claims are cached and only the clock is
// checked.
import { createHmac, timingSafeEqual } from "node:crypto";
import { readCanonicalClaims } from "./canonical-claims.js";
import { GoJsonError, readGoJson, type GoJson } from "./go-json.js";
import {
  ClaimError,
  loadRoomConfigSchema,
  readClaims,
  readRegisteredClaims,
  RoomConfigSchemaPending,
  type TokenClaims,
} from "./token-claims.js";

export const clockLeewaySeconds = 60;

export type TokenResult = { readonly ok: true; readonly claims: TokenClaims } | { readonly ok: false; readonly reason: string };

export interface TokenVerifier {
  /**
   * A promise only for the first tokens carrying a roomConfig claim, whose schema is loaded on
   * first use (token-claims.ts); every other token is verified synchronously.
   */
  verify(token: string): TokenResult | Promise<TokenResult>;
}

const cacheLimit = 4096;
// golang-jwt's registered signing methods; any other alg fails before the signature is looked at.
const knownAlgorithms = /^(HS|RS|ES|PS)(256|384|512)$|^EdDSA$|^none$/;

export function createTokenVerifier(secret: string, now: () => number = () => Date.now() / 1000): TokenVerifier {
  const key = Buffer.from(secret);
  const verified = new Map<string, TokenClaims>();

  function checkClock(claims: TokenClaims): TokenResult {
    const problems = clockProblems(claims, now());
    return problems.length === 0 ? { ok: true, claims } : { ok: false, reason: `token has invalid claims: ${problems.join(", ")}` };
  }

  return {
    verify(token) {
      const cached = verified.get(token);
      if (cached !== undefined) return checkClock(cached);
      let result: TokenClaims | string;
      try {
        result = verifyUncached(token, key);
      } catch (err) {
        if (err instanceof RoomConfigSchemaPending) return loadRoomConfigSchema().then(() => this.verify(token));
        throw err;
      }
      if (typeof result === "string") return { ok: false, reason: result };
      if (verified.size >= cacheLimit) verified.delete(verified.keys().next().value!);
      verified.set(token, result);
      return checkClock(result);
    },
  };
}

/** The claims of a token whose signature and claims are good (the clock aside), or why not. */
function verifyUncached(token: string, key: Buffer): TokenClaims | string {
  // ParseAPIToken: parse without the key, decoding only the registered claims.
  const parsed = parse(token);
  if (typeof parsed === "string") return parsed;
  // Verify: an empty secret fails first (the configuration refuses one, an embedder might not),
  // then the token is parsed again, now decoding every claim.
  if (key.length === 0) return "missing API key or secret key";
  let claims: TokenClaims;
  try {
    claims = "claims" in parsed ? parsed.claims : readClaims(parsed.payload, parsed.payloadBytes);
  } catch (err) {
    if (err instanceof ClaimError) return `token is malformed: could not JSON decode claim: ${err.message}`;
    throw err;
  }
  if (parsed.alg !== "HS256") return `token signature is invalid: signing method ${parsed.alg} is invalid`;
  // node:crypto's synchronous HMAC: SDKs sign a fresh token per call, and this costs ~5 µs where
  // an asynchronous WebCrypto verification cost ~80 µs (bench/README.md).
  const expected = createHmac("sha256", key).update(parsed.signingInput).digest();
  if (expected.length !== parsed.signature.length || !timingSafeEqual(expected, parsed.signature)) {
    return "token signature is invalid: signature is invalid";
  }
  return claims;
}

/** A parsed token: its claims already read (a canonical payload), or the payload to read them from. */
type Parsed = {
  readonly alg: string;
  readonly signingInput: string;
  readonly signature: Buffer;
} & ({ readonly claims: TokenClaims } | { readonly payload: GoJson; readonly payloadBytes: Uint8Array });

/** golang-jwt's ParseUnverified with LiveKit's RegisteredClaims, in its order. */
function parse(token: string): Parsed | string {
  const parts = token.split(".");
  if (parts.length !== 3) return "token is malformed: token contains an invalid number of segments";
  const [headerText, payloadText, signatureText] = parts as [string, string, string];

  const header = readHeader(headerText);
  if ("error" in header) return header.error;

  const payloadBytes = decodeSegment(payloadText);
  if (typeof payloadBytes === "number")
    return `token is malformed: could not base64 decode claim: illegal base64 data at input byte ${payloadBytes}`;
  // What SDKs sign reads the same under any JSON reader, and JSON.parse reads it several times
  // faster; anything Go might read differently takes Go's way (canonical-claims.ts).
  const canonical = readCanonicalClaims(payloadBytes);
  let payload: GoJson | undefined;
  if (canonical === undefined) {
    try {
      payload = readGoJson(payloadBytes);
      readRegisteredClaims(payload, payloadBytes);
    } catch (err) {
      if (err instanceof GoJsonError || err instanceof ClaimError) return `token is malformed: could not JSON decode claim: ${err.message}`;
      throw err;
    }
  }

  const { alg } = header;
  if (alg === undefined) return "token is unverifiable: signing method (alg) is unspecified";
  if (!knownAlgorithms.test(alg)) return "token is unverifiable: signing method (alg) is unavailable";

  const signature = decodeSegment(signatureText);
  if (typeof signature === "number")
    return `token is malformed: could not base64 decode signature: illegal base64 data at input byte ${signature}`;
  const signingInput = `${headerText}.${payloadText}`;
  return canonical !== undefined
    ? { alg, claims: canonical, signingInput, signature }
    : { alg, payload: payload!, payloadBytes, signingInput, signature };
}

type HeaderOutcome = { readonly error: string } | { readonly alg: string | undefined };

// SDKs send the same header on every token; its outcome depends on its text alone.
const headerOutcomes = new Map<string, HeaderOutcome>();
const headerOutcomeLimit = 64;

function readHeader(headerText: string): HeaderOutcome {
  let outcome = headerOutcomes.get(headerText);
  if (outcome === undefined) {
    outcome = readHeaderUncached(headerText);
    if (headerOutcomes.size < headerOutcomeLimit) headerOutcomes.set(headerText, outcome);
  }
  return outcome;
}

/** The header decoded into map[string]any, and its `alg` when that is a string. */
function readHeaderUncached(headerText: string): HeaderOutcome {
  const headerBytes = decodeSegment(headerText);
  if (typeof headerBytes === "number")
    return { error: `token is malformed: could not base64 decode header: illegal base64 data at input byte ${headerBytes}` };
  let header: GoJson;
  try {
    header = readGoJson(headerBytes);
  } catch (err) {
    if (err instanceof GoJsonError) return { error: `token is malformed: could not JSON decode header: ${err.message}` };
    throw err;
  }
  // Into map[string]any: an object (the last of repeated keys wins) or null.
  if (header.kind !== "object" && header.kind !== "null") {
    return {
      error: `token is malformed: could not JSON decode header: json: cannot unmarshal ${header.kind} into Go value of type map[string]interface {}`,
    };
  }
  const algMember = header.kind === "object" ? header.members.findLast((m) => m.key === "alg") : undefined;
  return { alg: algMember !== undefined && algMember.value.kind === "string" ? algMember.value.value : undefined };
}

const base64urlValues = new Int8Array(128).fill(-1);
for (const [i, c] of [..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"].entries())
  base64urlValues[c.charCodeAt(0)] = i;

/**
 * base64.RawURLEncoding.DecodeString: the URL alphabet, no padding, CR and LF skipped, a lone
 * final character refused, leftover bits ignored. Returns the offset of the first bad byte
 * (Go's CorruptInputError) instead of throwing.
 */
function decodeSegment(segment: string): Buffer | number {
  const input = Buffer.from(segment);
  const out = Buffer.allocUnsafe(Math.ceil((input.length * 3) / 4));
  let written = 0;
  let bits = 0;
  let count = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (c === 0x0a || c === 0x0d) continue;
    const value = c < 128 ? base64urlValues[c]! : -1;
    if (value < 0) return i;
    bits = (bits << 6) | value;
    count++;
    if (count === 4) {
      out[written++] = (bits >> 16) & 0xff;
      out[written++] = (bits >> 8) & 0xff;
      out[written++] = bits & 0xff;
      bits = 0;
      count = 0;
    }
  }
  if (count === 1) return input.length - 1;
  if (count === 2) out[written++] = (bits >> 4) & 0xff;
  if (count === 3) {
    out[written++] = (bits >> 10) & 0xff;
    out[written++] = (bits >> 2) & 0xff;
  }
  return out.subarray(0, written);
}

// time.Time counts seconds from year 1; Unix seconds are shifted by this, in int64 arithmetic.
const unixToInternal = 62_135_596_800n;
const int64Max = 2n ** 63n - 1n;

/** golang-jwt's Validator with LiveKit's options: exp required, 60 s leeway; its words. */
function clockProblems(claims: TokenClaims, nowSeconds: number): string[] {
  const problems: string[] = [];
  const now = BigInt(Math.floor(nowSeconds)) + unixToInternal;
  const leeway = BigInt(clockLeewaySeconds);
  if (claims.exp === undefined) problems.push("token is missing required claim: exp claim is required");
  // now.Before(exp + leeway), on Go's clock: the shift can wrap, the addition saturates.
  else if (!(now < addSeconds(internal(claims.exp), leeway))) problems.push("token is expired");
  if (claims.nbf !== undefined && now < addSeconds(internal(claims.nbf), -leeway)) problems.push("token is not valid yet");
  return problems;
}

function internal(unixSeconds: bigint): bigint {
  return BigInt.asIntN(64, unixSeconds + unixToInternal);
}

/** time.Time.Add for whole seconds: it saturates instead of wrapping. */
function addSeconds(t: bigint, d: bigint): bigint {
  const sum = t + d;
  if (sum > int64Max) return int64Max;
  if (sum < -int64Max) return -int64Max;
  return sum;
}
