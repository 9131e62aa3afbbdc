// Token claims fuzzed against the ORIGINAL test server: random payloads in the space where Go's
// encoding/json is peculiar (keys in other cases and folded letters, repeated keys, null, numbers
// written every way, values of the wrong type at every level) go to both servers' /rtc/validate,
// whose answer carries the verifier's reason word for word, and to an API call that needs a grant.
// Both answers must match (the 403's msg aside, which names the grant here on purpose).
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { rawTokenText } from "../support/raw-jwt.js";
import { startOracle, type RunningOracle } from "./parity/start-oracle.js";

const now = Math.floor(Date.now() / 1000);

/** A key as a client might write it: canonical, re-cased, with Go's folding letters, or another. */
function keyVariant(key: string): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.constant(key), weight: 6 },
    fc.constantFrom(
      key.toUpperCase(),
      key.toLowerCase(),
      key.charAt(0).toUpperCase() + key.slice(1),
      key.replace(/s/g, "\u017f"),
      key.replace(/[kK]/g, "\u212a"),
      key.replace(/i/g, "\u0131"),
      `${key}x`,
    ),
  );
}

const numericDate: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: -3600, max: 7200 }).map((d) => String(now + d)),
  fc.integer({ min: -3600, max: 7200 }).map((d) => `${now + d}.${Math.abs(d) % 1000}`),
  fc.integer({ min: -3600, max: 7200 }).map((d) => `"${now + d}"`),
  fc.constantFrom(
    "1e20",
    "-1e20",
    "1e18",
    "1e400",
    "1e-400",
    "9.2233720368547e18",
    `"${now}e0"`,
    '""',
    '" 1"',
    "true",
    "null",
    "{}",
    "[1]",
    '"x"',
    "0",
    "-0.5",
  ),
);

const jsonScalar: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 6 }).map((s) => JSON.stringify(s)),
  fc.constantFrom("true", "false", "null", "1", "1.5", "[]", "{}", '["a"]', "[1]", '{"a":"b"}'),
);

function object(keys: Record<string, fc.Arbitrary<string>>, maxMembers: number): fc.Arbitrary<string> {
  const member = fc.oneof(
    ...Object.entries(keys).map(([k, v]) => fc.tuple(keyVariant(k), v)),
    fc.tuple(fc.string({ maxLength: 5 }), jsonScalar),
  );
  return fc
    .array(member, { maxLength: maxMembers })
    .map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`);
}

const bool = fc.oneof({ arbitrary: fc.constantFrom("true", "false"), weight: 4 }, jsonScalar);
const text = fc.oneof({ arbitrary: fc.constantFrom('"room-a"', '""', '"x"'), weight: 4 }, jsonScalar);
const strings = fc.oneof({ arbitrary: fc.constantFrom('["a"]', "[]", '["a","b"]'), weight: 3 }, jsonScalar, fc.constant('[null,"a"]'));
const grant = (keys: Record<string, fc.Arbitrary<string>>): fc.Arbitrary<string> =>
  fc.oneof({ arbitrary: object(keys, 4), weight: 5 }, jsonScalar);

const claims = object(
  {
    exp: numericDate,
    nbf: numericDate,
    iat: numericDate,
    iss: text,
    sub: text,
    jti: text,
    aud: fc.oneof(text, strings),
    name: text,
    kind: text,
    kindDetails: strings,
    metadata: text,
    video: grant({
      roomCreate: bool,
      roomList: bool,
      roomAdmin: bool,
      room: text,
      canPublish: bool,
      canPublishSources: strings,
      destinationRoom: text,
    }),
    sip: grant({ admin: bool, call: bool }),
    agent: grant({ admin: bool, dispatchAdmin: bool }),
    agentEndpoint: grant({ call: bool, agentName: text }),
    agentThread: grant({ scope: text, threadIds: strings }),
    attributes: fc.oneof(object({ a: text }, 3), jsonScalar),
    roomConfig: fc.constantFrom("null", "{}", '{"name":"x"}', '{"emptyTimeout":"5"}'),
  },
  8,
).map((body) => {
  // Most tokens start valid, so that later members decide the outcome.
  const valid = `"exp":${now + 3600},"video":{"roomList":true}`;
  return body === "{}" ? `{${valid}}` : `{${valid},${body.slice(1)}`;
});

interface Seen {
  readonly status: number;
  readonly body: string;
}

async function get(url: string, init: RequestInit = {}): Promise<Seen> {
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text() };
}

describe("token claims fuzzed against the original", { timeout: 600_000 }, () => {
  let oracle: RunningOracle | undefined;
  let ours: RunningServer | undefined;
  before(async () => {
    [oracle, ours] = await Promise.all([startOracle(), startServer({ ports: [0], bind: "127.0.0.1", logLevel: "silent" })]);
  });
  after(async () => {
    await Promise.all([oracle?.close(), ours?.close()]);
  });

  it("validate answers and grant outcomes match for random claims", async () => {
    const runs = Number(process.env["LK_CLAIMS_FUZZ_RUNS"] ?? "400");
    await fc.assert(
      fc.asyncProperty(claims, async (payload) => {
        const token = rawTokenText(payload);
        const validate = `/rtc/validate?access_token=${encodeURIComponent(token)}`;
        const [theirs, mine] = await Promise.all([get(`${oracle!.url(0)}${validate}`), get(`${ours!.url(0)}${validate}`)]);
        assert.deepEqual(mine, theirs, `validate for ${payload}`);
        const call = (base: string): Promise<Seen> =>
          get(`${base}/twirp/livekit.RoomService/ListRooms`, {
            method: "POST",
            headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
            body: "{}",
          });
        const [theirCall, myCall] = await Promise.all([call(oracle!.url(0)), call(ours!.url(0))]);
        assert.equal(myCall.status, theirCall.status, `ListRooms for ${payload}: ours ${myCall.body}, original ${theirCall.body}`);
      }),
      { numRuns: runs },
    );
  });
});
