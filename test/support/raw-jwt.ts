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
  return rawTokenText(JSON.stringify(claims), { ...options, header: options.header ?? { alg: "HS256", typ: "JWT" } });
}

/**
 * A token whose claims segment is exactly `payload` (text or bytes), for what JSON.stringify
 * cannot write: repeated keys, number literals as written, invalid UTF-8, trailing bytes. A
 * string `header` is used verbatim as the header segment's JSON.
 */
export function rawTokenText(
  payload: string | Uint8Array,
  options: Omit<RawTokenOptions, "header"> & { header?: Record<string, unknown> | string } = {},
): string {
  const header = options.header ?? { alg: "HS256", typ: "JWT" };
  const encode = (bytes: Buffer): string => {
    const text = bytes.toString("base64url");
    return options.padded === true ? text + "=".repeat((4 - (text.length % 4)) % 4) : text;
  };
  const headerText = typeof header === "string" ? header : JSON.stringify(header);
  const signingInput = `${encode(Buffer.from(headerText))}.${encode(Buffer.from(payload))}`;
  const alg = typeof header === "string" ? /"alg"\s*:\s*"([^"]*)"/.exec(header)?.[1] : header["alg"];
  const hash = hashOf[String(alg)] ?? "sha256";
  const signature = createHmac(hash, options.secret ?? testSecret)
    .update(signingInput)
    .digest();
  return `${signingInput}.${encode(signature)}`;
}

/** Unix seconds `offset` seconds from now. */
export function nowPlus(offset: number): number {
  return Math.floor(Date.now() / 1000) + offset;
}
