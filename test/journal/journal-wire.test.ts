// The request journal and the echo header on the real server: every request that names a key is
// recorded wherever it arrived and however it ended, and read back from any port.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { eventually } from "../support/eventually.js";
import { rawExchange, rawTwirp } from "../support/raw-http.js";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";
import { twirp, type TwirpReply } from "../support/twirp.js";

type Entry = Record<string, unknown> & { atMs: number; region: string; route: string; status: number | null; outcome: string; why: string };
interface Readout {
  key: string;
  entries: Entry[];
  droppedEntries: number;
  limits: { entriesPerKey: number; keys: number; idleExpiryMs: number };
}

const listRooms = "livekit.RoomService/ListRooms";
const uniqueKey = (): string => `j-${randomUUID()}`;

describe("the request journal", () => {
  const t = useServer();
  const read = async (key: string, region = 3): Promise<Readout> =>
    (await fetch(`${t.url(region)}/_test/journal/${key}`)).json() as Promise<Readout>;

  test("records a call with where it arrived, what it carried and how it was answered", async () => {
    const journal = uniqueKey();
    const token = await signToken({ identity: "alice", video: { roomCreate: true } });
    const reply = await twirp(
      t.url(1),
      "livekit.RoomService/CreateRoom",
      { name: "r", emptyTimeout: 30 },
      {
        token,
        control: { journal },
        headers: { "User-Agent": "journal-test/1.0", "X-Request-Id": "req-1" },
      },
    );
    assert.equal(reply.status, 200);
    const { entries } = await read(journal);
    assert.equal(entries.length, 1);
    const [entry] = entries;
    assert.deepEqual(
      { ...entry, tookMs: typeof entry!["tookMs"] },
      {
        atMs: 0,
        kind: "twirp",
        region: "region-1",
        path: "/twirp/livekit.RoomService/CreateRoom",
        route: "livekit.RoomService/CreateRoom",
        httpMethod: "POST",
        codec: "json",
        status: 200,
        code: null,
        outcome: "answered",
        why: "populated",
        request: { name: "r", emptyTimeout: 30 },
        token: {
          subject: "alice",
          grants: {
            video: {
              roomCreate: true,
              roomList: false,
              roomRecord: false,
              roomAdmin: false,
              roomJoin: false,
              ingressAdmin: false,
              room: "",
              destinationRoom: "",
            },
            sip: { admin: false, call: false },
          },
        },
        control: { journal },
        requestId: "req-1",
        userAgent: "journal-test/1.0",
        tookMs: "number",
      },
    );
  });

  test("keeps arrival order across regions, and every port reads the same", async () => {
    const journal = uniqueKey();
    for (const region of [2, 0, 3, 1]) await twirp(t.url(region), listRooms, {}, { control: { skipAuth: true, journal } });
    const fromZero = await read(journal, 0);
    assert.deepEqual(
      fromZero.entries.map((e) => e.region),
      ["region-2", "region-0", "region-3", "region-1"],
    );
    assert.deepEqual(await read(journal, 2), fromZero);
    const times = fromZero.entries.map((e) => e.atMs);
    assert.deepEqual(
      [...times].sort((a, b) => a - b),
      times,
    );
  });

  test("records failures, SIP errors, pins, refusals, drops and resets with their outcome", async () => {
    const journal = uniqueKey();
    const control = (extra: object) => ({ skipAuth: true, journal, ...extra });
    await twirp(t.url(0), listRooms, {}, { control: control({ failRegions: [0], failStatus: 502 }) });
    await twirp(t.url(0), listRooms, {}, { control: control({ pinnedRegions: ["region-1"] }) });
    await twirp(t.url(0), listRooms, "not json", { control: control({}) });
    await twirp(t.url(0), listRooms, {}, { token: null, control: { journal } });
    await rawExchange(t.server.regions[0]!.port, rawTwirp(listRooms, control({ failRegions: [0], failMode: "drop" })));
    await rawExchange(t.server.regions[0]!.port, rawTwirp(listRooms, control({ failRegions: [0], failMode: "reset" })));
    const { entries } = await read(journal);
    assert.deepEqual(
      entries.map((e) => [e.status, e["code"], e.outcome]),
      [
        [502, "unavailable", "answered"],
        [451, null, "pinned"],
        [400, "malformed", "answered"],
        [401, "unauthenticated", "answered"],
        [null, null, "dropped"],
        [null, null, "reset"],
      ],
    );
    assert.match(entries[3]!.why, /token/);
    assert.deepEqual(entries[3]!["token"], null, "no Authorization header was sent");
  });

  test("records the status line a fault sent, as its echo does", async () => {
    for (const failMode of ["close-after-headers", "truncated-body", "slow-body"] as const) {
      const journal = uniqueKey();
      const control = { skipAuth: true, journal, echo: true, failRegions: [0], failMode, slowBytesPerSec: 10_000 };
      const answer = await rawExchange(t.server.regions[0]!.port, rawTwirp(listRooms, control));
      const echoed = /\r\nX-Lk-Mock-Echo: ([^\r]+)\r\n/i.exec(answer.text)![1]!;
      const echo = JSON.parse(Buffer.from(echoed, "base64url").toString("utf8")) as Entry;
      // Recorded once the server sees the connection closed, a moment after the client does.
      const [entry] = await eventually(async () => {
        const { entries } = await read(journal);
        return entries.length > 0 ? entries : undefined;
      }, `the journal entry of ${failMode}`);
      assert.equal(echo.status, failMode === "slow-body" ? 200 : 503);
      assert.deepEqual([entry!.outcome, entry!.status], [failMode, echo.status]);
    }
  });

  test("records a call the client abandoned during its delay", async () => {
    const journal = uniqueKey();
    const aborted = twirp(
      t.url(0),
      listRooms,
      {},
      { control: { skipAuth: true, journal, delayMs: 60_000 }, signal: AbortSignal.timeout(1000) },
    );
    await assert.rejects(aborted);
    // Recorded once the server sees the connection closed, a moment after the client gave up.
    const entries = await eventually(async () => {
      const recorded = (await read(journal)).entries;
      return recorded.length > 0 ? recorded : undefined;
    }, "the abandoned call's journal entry");
    assert.equal(entries.length, 1);
    assert.equal(entries[0]!.outcome, "client-gone");
    assert.equal(entries[0]!.status, null);
  });

  test("records region discovery with the control that shaped it", async () => {
    const journal = uniqueKey();
    await fetch(`${t.url(2)}/settings/regions`, { headers: { "X-Lk-Mock": JSON.stringify({ journal, pinnedRegions: ["region-2"] }) } });
    const [entry] = (await read(journal)).entries;
    assert.equal(entry!["kind"], "regions");
    assert.equal(entry!.region, "region-2");
    assert.equal(entry!.status, 200);
    assert.deepEqual(entry!["control"], { journal, pinnedRegions: ["region-2"] });
  });

  test("does not repeat a webhook signing secret", async () => {
    const journal = uniqueKey();
    const webhooks = { url: "http://127.0.0.1:9/hook", apiKey: "key", apiSecret: "very-secret" };
    await twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, journal, webhooks } });
    const calls = (await read(journal)).entries.filter((e) => e["kind"] === "twirp");
    assert.deepEqual((calls[0]!["control"] as Record<string, unknown>)["webhooks"], {
      url: webhooks.url,
      apiKey: "key",
      apiSecret: "(redacted)",
    });
    assert.doesNotMatch(JSON.stringify(await read(journal)), /very-secret/);
  });

  test("says why a token failed", async () => {
    const journal = uniqueKey();
    await twirp(t.url(0), listRooms, {}, { token: "not.a.token", control: { journal } });
    assert.match(JSON.stringify((await read(journal)).entries[0]!["token"]), /"error":"token is malformed/);
  });

  test("DELETE clears a key; an invalid key is refused", async () => {
    const journal = uniqueKey();
    await twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, journal } });
    const cleared = await fetch(`${t.url(1)}/_test/journal/${journal}`, { method: "DELETE" });
    assert.deepEqual(await cleared.json(), { key: journal, cleared: true });
    assert.deepEqual((await read(journal)).entries, []);
    const bad = await fetch(`${t.url(0)}/_test/journal/${"x".repeat(65)}`);
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /invalid journal key/);
  });

  test("states its bounds in every answer", async () => {
    const readout = await read(uniqueKey());
    assert.deepEqual(readout.limits, { entriesPerKey: 1000, keys: 1000, idleExpiryMs: 600000 });
    assert.equal(readout.droppedEntries, 0);
  });

  test("a journal key that is not URL-safe is refused by the control parser", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, journal: "has space" } });
    assert.equal(reply.status, 400);
    assert.match(reply.json().msg, /journal must be 1 to 64 characters/);
  });
});

describe("the echo header", () => {
  const t = useServer();
  const echoOf = (reply: TwirpReply): Record<string, unknown> =>
    JSON.parse(Buffer.from(reply.headers.get("x-lk-mock-echo")!, "base64url").toString("utf8"));

  test("carries this call's entry on a success", async () => {
    const reply = await twirp(t.url(2), listRooms, { names: ["a"] }, { control: { skipAuth: true, echo: true } });
    const echo = echoOf(reply);
    assert.equal(echo["region"], "region-2");
    assert.equal(echo["status"], 200);
    assert.deepEqual(echo["request"], { names: ["a"] });
  });

  test("and on an error, with its code", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, echo: true, failRegions: [0] } });
    assert.equal(reply.status, 503);
    assert.deepEqual([echoOf(reply)["status"], echoOf(reply)["code"]], [503, "unavailable"]);
    assert.deepEqual(Object.keys(reply.json()), ["code", "msg"], "the error body itself is unchanged");
  });

  test("is the same entry the journal keeps", async () => {
    const journal = uniqueKey();
    const reply = await twirp(t.url(1), listRooms, {}, { control: { skipAuth: true, echo: true, journal } });
    const [entry] = ((await (await fetch(`${t.url(0)}/_test/journal/${journal}`)).json()) as Readout).entries;
    const { atMs: _at, tookMs: _took, ...kept } = entry!;
    const { tookMs: _echoTook, ...echoed } = echoOf(reply);
    assert.deepEqual(echoed, kept);
  });

  test("is cut to its limit with an explicit marker when the entry is larger", async () => {
    // Kept whole in the journal (under its 16 KiB request limit), too large for an 8 KiB header.
    const big = "x".repeat(12_000);
    const reply = await twirp(
      t.url(0),
      "livekit.RoomService/CreateRoom",
      { name: "r", metadata: big },
      { control: { skipAuth: true, echo: true } },
    );
    assert.ok(reply.headers.get("x-lk-mock-echo")!.length <= 8192);
    const echo = echoOf(reply);
    assert.equal(echo["truncated"], true);
    assert.equal(echo["request"], null);
    assert.equal(echo["status"], 200);
  });
});
