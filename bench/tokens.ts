// HS256 access tokens signed with node:crypto directly: the new-token scenario needs hundreds of
// thousands per run, and wrk's Lua cannot sign, so they are made here and handed over in a file.
import { createHmac } from "node:crypto";
import { open } from "node:fs/promises";

export const benchSecret = "secret";
const apiKey = "devkey";
const encodedHeader = Buffer.from(JSON.stringify({ alg: "HS256", typ: "JWT" })).toString("base64url");

/** Valid for three hours, which outlasts any run; `jti` makes each token distinct. */
export function signToken(claims: Record<string, unknown>, jti: string): string {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: apiKey, nbf: now, exp: now + 3 * 3600, jti, ...claims };
  const signingInput = `${encodedHeader}.${Buffer.from(JSON.stringify(payload)).toString("base64url")}`;
  const signature = createHmac("sha256", benchSecret).update(signingInput).digest("base64url");
  return `${signingInput}.${signature}`;
}

export const roomCreateClaims = { video: { roomCreate: true } };

/** Writes `count` distinct roomCreate tokens, one per line; `tag` keeps files from repeating each other. */
export async function writeTokenFile(path: string, count: number, tag: string): Promise<void> {
  const file = await open(path, "w");
  try {
    const batch = 10_000;
    for (let start = 0; start < count; start += batch) {
      const lines: string[] = [];
      for (let i = start; i < Math.min(count, start + batch); i++) lines.push(signToken(roomCreateClaims, `${tag}-${i}`));
      await file.write(lines.join("\n") + "\n");
    }
  } finally {
    await file.close();
  }
}
