// Property: any combination of the fault fields, sent on one to three calls to random regions,
// gets exactly what the rules of docs/control-header.md and docs/faults.md say (test/support/fault-oracle.ts): the fault it names, the
// documented refusal, or the correct answer, with the echo and journal entries to match; and the
// server keeps serving (a plain call after each case succeeds). Raw sockets, so that every fault
// is seen as it is on the wire.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { failModes } from "../../src/control/control-fields.js";
import {
  expect as oracle,
  legacyDelayMs,
  menu,
  methods,
  requestBodies,
  type Call,
  type Control,
  type Expectation,
  type Mode,
  type Plan,
  type TwirpErrorBody,
} from "../support/fault-oracle.js";
import { rawExchange, type RawExchange } from "../support/raw-http.js";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";

/** How long a call the oracle says hangs is watched before the client gives up. */
const hangWatchMs = 200;

/**
 * An object whose keys are each present with their own chance, in percent. (fc.record puts an
 * optional key in most objects, so nearly every case would set every field, and the refusals,
 * the exhausted failFirst counts and the past failUntil times would hide the faults.)
 */
function fields<T extends object>(spec: { readonly [K in keyof T]-?: readonly [fc.Arbitrary<T[K]>, number] }): fc.Arbitrary<T> {
  const entries = Object.entries(spec) as [string, readonly [fc.Arbitrary<unknown>, number]][];
  const maybe = entries.map(([key, [arbitrary, percent]]) =>
    fc.oneof(
      { weight: percent, arbitrary: arbitrary.map((value): [string, unknown][] => [[key, value]]) },
      { weight: 100 - percent, arbitrary: fc.constant<[string, unknown][]>([]) },
    ),
  );
  return fc.tuple(...maybe).map((present) => Object.fromEntries(present.flat()) as T);
}

function weighted<A, B>(weightA: number, a: A, weightB: number, b: B): fc.Arbitrary<A | B> {
  return fc.oneof({ weight: weightA, arbitrary: fc.constant(a) }, { weight: weightB, arbitrary: fc.constant(b) });
}

const mode = fc.constantFrom<Mode>(...menu);
const status = fc.constantFrom(200, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504);
const twirpCode = fc.constantFrom("already_exists", "internal", "a_code_of_our_own");
const meta = fc
  .dictionary(fc.constantFrom("reason", "retry_after", "x"), fc.string({ unit: "grapheme-ascii", maxLength: 8 }), { maxKeys: 2 })
  .map((m) => ({ ...m }));
const delayMs = fc.constantFrom(0, 5, 20);
const plan = fields<Plan>({
  failMode: [mode, 50],
  failStatus: [status, 30],
  failTwirpCode: [twirpCode, 20],
  failMeta: [meta, 20],
  delayMs: [delayMs, 30],
});

/** A control as generated: `failUntil` relative to the call, `journal` a flag (keys are made per run). */
type GeneratedControl = Omit<Control, "failUntil" | "journal"> & { failUntil?: "past" | "future"; journal?: boolean };

const control = fields<GeneratedControl>({
  // Region 4 and plan "7" name regions the server does not have.
  failRegions: [fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 3 }), 60],
  failMode: [mode, 70],
  failStatus: [status, 30],
  failTwirpCode: [twirpCode, 20],
  failMeta: [meta, 20],
  regions: [fc.dictionary(fc.constantFrom("0", "1", "2", "3", "7"), plan, { maxKeys: 3 }).map((r) => ({ ...r })), 40],
  failUntil: [fc.constantFrom<"past" | "future">("past", "future"), 20],
  failFirst: [fc.integer({ min: 0, max: 3 }), 25],
  // Mostly with a journal, so that failFirst is mostly valid.
  journal: [weighted(9, true, 1, false), 100],
  listSize: [fc.oneof({ weight: 9, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 101) }), 30],
  delayMs: [delayMs, 30],
  pinnedRegions: [fc.uniqueArray(fc.constantFrom("region-0", "region-1", "region-2", "region-3"), { minLength: 1, maxLength: 2 }), 20],
  skipAuth: [weighted(3, true, 1, false), 100],
  sipStatus: [
    fields<{ code: number; status: string }>({
      code: [fc.constantFrom(486, 480), 100],
      status: [fc.constantFrom("Busy Here", "Temporarily Unavailable"), 50],
    }),
    25,
  ],
  echo: [fc.boolean(), 100],
  slowBytesPerSec: [fc.constantFrom(500, 5000, 1_000_000), 70],
});

const calls: fc.Arbitrary<Call[]> = fc.array(
  fc.record({
    region: fc.integer({ min: 0, max: 3 }),
    method: fc.constantFrom(...methods),
    token: fc.oneof(
      { weight: 4, arbitrary: fc.constant<Call["token"]>("admin") },
      { weight: 1, arbitrary: fc.constantFrom<Call["token"]>("none", "list-only") },
    ),
  }),
  { minLength: 1, maxLength: 3 },
);

describe("fault properties", () => {
  const t = useServer();
  let runs = 0;

  test("the fault menu of docs/faults.md is the server's", () => {
    assert.deepEqual([...menu].sort(), [...failModes].sort());
  });

  test("every combination gets the specified fault or the correct answer, and the server keeps serving", { timeout: 120_000 }, async () => {
    const tokens: Record<Call["token"], string | undefined> = {
      admin: await signToken({
        identity: "admin",
        video: { roomCreate: true, roomList: true, roomAdmin: true },
        sip: { admin: true, call: true },
      }),
      none: undefined,
      "list-only": await signToken({ identity: "lister", video: { roomList: true } }),
    };
    await fc.assert(
      fc.asyncProperty(control, calls, async (generated, sequence) => {
        const key = generated.journal === true ? `prop-${++runs}-${Date.now()}` : undefined;
        const now = Date.now();
        const { failUntil, journal: _journal, ...rest } = generated;
        const sent: Control = {
          ...rest,
          ...(failUntil === undefined ? {} : { failUntil: failUntil === "past" ? now - 1000 : now + 60_000 }),
          ...(key === undefined ? {} : { journal: key }),
        };
        const state = { failFirstCounted: 0 };
        const journaled: string[] = [];
        for (const call of sequence) {
          const expected = oracle(sent, call, state, Date.now());
          const answer = await rawExchange(
            t.server.regions[call.region]!.port,
            request(sent, call, tokens[call.token]),
            expected.wire.kind === "hang" ? hangWatchMs : 5000,
          );
          checkAnswer(answer, expected, call);
          if (expected.journal !== null) journaled.push(journalLine(`region-${call.region}`, call.method, expected.journal));
        }
        if (key !== undefined && journaled.length > 0) assert.deepEqual(await journalLines(key, journaled.length), journaled);
        // Still serving: a plain call right after the case succeeds.
        const last = sequence[sequence.length - 1]!;
        const after = await rawExchange(
          t.server.regions[last.region]!.port,
          request({ skipAuth: true }, { ...last, method: "livekit.RoomService/ListRooms" }, undefined),
        );
        assert.match(after.text, /^HTTP\/1\.1 200 OK\r\n/);
      }),
      { numRuns: 250, includeErrorInReport: true },
    );
  });

  async function journalLines(key: string, count: number): Promise<string[]> {
    // A fault's entry is finished once the server sees the connection gone, a moment after the client.
    const { entries } = (await (await fetch(`${t.url(0)}/_test/journal/${key}?wait=5000&min=${count}`)).json()) as {
      entries: { region: string; route: string; outcome: string; status: number | null }[];
    };
    return entries.map((e) => journalLine(e.region, e.route, e));
  }
});

function journalLine(region: string, route: string, entry: { outcome: string; status: number | null }): string {
  return `${region} ${route} ${entry.outcome} ${entry.status}`;
}

function request(control: Control, call: Call, token: string | undefined): string {
  const body = JSON.stringify(requestBodies[call.method]);
  return (
    `POST /twirp/${call.method} HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\n` +
    `X-Lk-Mock: ${JSON.stringify(control)}\r\nX-Lk-Mock-Delay-Ms: ${legacyDelayMs}\r\n` +
    (token === undefined ? "" : `Authorization: Bearer ${token}\r\n`) +
    `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
}

interface Parsed {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

function parse(answer: RawExchange): Parsed {
  const end = answer.bytes.indexOf("\r\n\r\n");
  assert.ok(end > 0, `an HTTP head, got ${JSON.stringify(answer.text.slice(0, 200))}`);
  const [statusLine, ...lines] = answer.bytes.subarray(0, end).toString("latin1").split("\r\n");
  const match = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine!);
  assert.ok(match, `a status line, got ${JSON.stringify(statusLine)}`);
  const headers = new Map(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
  return { status: Number(match[1]), headers, body: answer.bytes.subarray(end + 4) };
}

function checkAnswer(answer: RawExchange, expected: Expectation, call: Call): void {
  const { wire } = expected;
  const context = `${wire.kind} expected; got ${JSON.stringify(answer.text.slice(0, 300))} (${answer.ending})`;
  if (wire.kind !== "hang") {
    assert.ok(answer.ms >= expected.delayMs - 2, `answered after ${answer.ms} ms, before the ${expected.delayMs} ms delay; ${context}`);
  }
  switch (wire.kind) {
    case "reset":
      assert.deepEqual([answer.ending, answer.bytes.length], ["reset", 0], context);
      return;
    case "drop":
      assert.equal(answer.bytes.length, 0, context);
      assert.notEqual(answer.ending, "open", context);
      return;
    case "hang":
      assert.deepEqual([answer.ending, answer.bytes.length], ["open", 0], context);
      return;
    case "garbage":
      assert.equal(answer.ending, "end", context);
      assert.ok(answer.bytes.length > 0 && !answer.text.startsWith("HTTP/"), context);
      return;
    case "close-after-headers":
    case "truncated-body": {
      const parsed = parse(answer);
      assert.equal(answer.ending, "end", context);
      assert.equal(parsed.status, wire.status, context);
      assert.equal(parsed.headers.get("x-lk-mock-region"), "", context);
      const announced = Number(parsed.headers.get("content-length"));
      assert.ok(announced > 0, context);
      if (wire.kind === "close-after-headers") assert.equal(parsed.body.length, 0, context);
      else {
        assert.ok(parsed.body.length > 0 && parsed.body.length < announced, context);
        assert.ok(wire.errorJson.startsWith(parsed.body.toString("utf8")), `${wire.errorJson} starts with the body; ${context}`);
      }
      checkEcho(parsed, expected, call);
      return;
    }
    case "answer": {
      const parsed = parse(answer);
      assert.equal(parsed.status, wire.status, context);
      assert.equal(Number(parsed.headers.get("content-length")), parsed.body.length, context);
      assert.equal(parsed.headers.get("x-lk-mock-region") ?? null, wire.region, `X-Lk-Mock-Region; ${context}`);
      const text = parsed.body.toString("utf8");
      const { body } = wire;
      if ("json" in body) {
        assert.equal(parsed.headers.get("content-type"), "application/json", context);
        assert.deepEqual(JSON.parse(text), body.json, context);
      } else if ("twirp" in body) {
        assert.equal(parsed.headers.get("content-type"), "application/json", context);
        checkTwirpError(JSON.parse(text) as Record<string, unknown>, body.twirp, context);
      } else if ("text" in body) {
        assert.equal(text, body.text, context);
      } else {
        assert.equal(parsed.headers.get("content-type"), "text/html", context);
        assert.ok(text.startsWith("<html>") && text.includes(`<title>${body.htmlStatus} `), context);
      }
      checkEcho(parsed, expected, call);
      return;
    }
  }
}

function checkTwirpError(body: Record<string, unknown>, expected: TwirpErrorBody, context: string): void {
  assert.deepEqual(
    Object.keys(body).filter((k) => k !== "code" && k !== "msg" && k !== "meta"),
    [],
    context,
  );
  assert.equal(body["code"], expected.code, context);
  const msg = body["msg"] as string;
  if (expected.msg !== undefined) assert.equal(msg, expected.msg, context);
  if (expected.msgPrefix !== undefined) assert.ok(msg.startsWith(expected.msgPrefix), context);
  const meta = (body["meta"] ?? {}) as Record<string, string>;
  if (expected.meta !== undefined) assert.deepEqual(meta, expected.meta, context);
  for (const [k, v] of Object.entries(expected.metaIncludes ?? {})) assert.equal(meta[k], v, `meta.${k}; ${context}`);
}

function checkEcho(parsed: Parsed, expected: Expectation, call: Call): void {
  const header = parsed.headers.get("x-lk-mock-echo");
  if (!expected.echo) {
    assert.equal(header, undefined, "no X-Lk-Mock-Echo unless asked for");
    return;
  }
  assert.ok(header !== undefined, "X-Lk-Mock-Echo");
  const echo = JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as Record<string, unknown>;
  assert.deepEqual([echo["region"], echo["route"], echo["status"]], [`region-${call.region}`, call.method, parsed.status]);
}
