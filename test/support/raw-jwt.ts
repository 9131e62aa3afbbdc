// Hand-built JWTs for the auth tests: any header, any claims (wrong types included), any HMAC
// algorithm, so the verifier's edge cases can be reached without a JWT library's own checks.
import { createHmac } from "node:crypto";
import { testSecret } from "./tokens.js";

export interface RawTokenOptions {
  readonly header?: Record<string, unknown>;
  readonly secret?: string;
  /** Keeps the `=` padding of standard base64 on every segment. */
  readonly padded?: boolean;
}

const hashOf: Record<string, string> = { HS256: "sha256", HS384: "sha384", HS512: "sha512" };

export function rawToken(claims: Record<string, unknown>, options: RawTokenOptions = {}): string {
  const header = options.header ?? { alg: "HS256", typ: "JWT" };
  const encode = (bytes: Buffer): string => {
    const text = bytes.toString("base64url");
    return options.padded === true ? text + "=".repeat((4 - (text.length % 4)) % 4) : text;
  };
  const signingInput = `${encode(Buffer.from(JSON.stringify(header)))}.${encode(Buffer.from(JSON.stringify(claims)))}`;
  const hash = hashOf[String(header["alg"])] ?? "sha256";
  const signature = createHmac(hash, options.secret ?? testSecret)
    .update(signingInput)
    .digest();
  return `${signingInput}.${encode(signature)}`;
}

/** Unix seconds `offset` seconds from now. */
export function nowPlus(offset: number): number {
  return Math.floor(Date.now() / 1000) + offset;
}
