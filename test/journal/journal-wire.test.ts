// The request journal and the echo header on the real server: every request that names a key is
// recorded wherever it arrived and however it ended, and read back from any port.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { connect } from "node:net";
import { describe, test } from "node:test";
import { rawExchange, rawTwirp } from "../support/raw-http.js";
import { useServer } from "../support/server.js";
import { signToken } from "../support/tokens.js";
import { twirp, type TwirpReply } from "../support/twirp.js";

type Entry = Record<string, unknown> & { atMs: number; region: string; route: string; status: number | null; outcome: string; why: string };
interface Readout {
  key: string;
  entries: Entry[];
  droppedEntries: number;
  limits: { entriesPerKey: number; keys: number; idleExpiryMs: number; entryBytes: number; totalBytes: number };
  wait?: { ms: number; min: number; reached: boolean; waitedMs: number };
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
      // Finished once the server sees the connection closed, a moment after the client does.
      const [entry] = (await read(`${journal}?wait=5000`)).entries;
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
      { control: { skipAuth: true, journal, delayMs: 5000 }, signal: AbortSignal.timeout(200) },
    );
    await assert.rejects(aborted);
    const { entries } = await read(`${journal}?wait=5000`);
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
    assert.deepEqual(readout.limits, { entriesPerKey: 1000, keys: 1000, idleExpiryMs: 600000, entryBytes: 32768, totalBytes: 67108864 });
    assert.equal(readout.droppedEntries, 0);
  });

  test("a journal key that is not URL-safe is refused by the control parser", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, journal: "has space" } });
    assert.equal(reply.status, 400);
    assert.match(reply.json().msg, /journal must be 1 to 64 characters/);
  });
});

describe("the journal's bounds in bytes and its keys", () => {
  const t = useServer();
  const read = async (key: string): Promise<Readout> => (await fetch(`${t.url(1)}/_test/journal/${key}`)).json() as Promise<Readout>;

  test("a call's entry is cut to its byte limit, says so, and many such calls read back small", async () => {
    const journal = uniqueKey();
    const failMeta = { reason: "m".repeat(500_000) };
    for (let i = 0; i < 20; i++) {
      const reply = await twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, journal, failRegions: [0], failMeta } });
      assert.equal(reply.status, 503);
    }
    const answer = await fetch(`${t.url(1)}/_test/journal/${journal}`);
    const text = await answer.text();
    assert.ok(text.length < 20 * 32 * 1024 + 4096, `the journal answered ${text.length} bytes`);
    const { entries } = JSON.parse(text) as Readout;
    assert.equal(entries.length, 20);
    for (const entry of entries) {
      assert.equal(entry["truncated"], true);
      assert.ok((entry["fullEntryBytes"] as number) > 500_000);
      assert.match((entry["control"] as { note: string }).note, /^cut: \d+ bytes of JSON, in an entry limited to 32768$/);
      assert.deepEqual([entry.status, entry["code"], entry.region], [503, "unavailable", "region-0"]);
    }
  });

  test("keys . and .. are refused wherever a key is given, saying why", async () => {
    for (const journal of [".", ".."]) {
      const reply = await twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, journal } });
      assert.equal(reply.status, 400, journal);
      assert.match(reply.json().msg, /journal must be 1 to 64 characters of A-Z, a-z, 0-9, \. _ ~ -, other than \. and \.\./);
      const hook = await fetch(`${t.url(0)}/_test/webhooks`, {
        method: "POST",
        body: JSON.stringify({ url: "http://127.0.0.1:9/hook", event: "room_started", journal }),
      });
      assert.equal(hook.status, 400, journal);
      assert.match(await hook.text(), /could never be read back/);
    }
    // Only a raw request can even send these paths: every HTTP client resolves them away.
    for (const target of ["/_test/journal/.", "/_test/journal/..", "/_test/journal/%2e%2E"]) {
      const answer = await rawExchange(t.server.regions[0]!.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      assert.match(answer.text, /^HTTP\/1\.1 400 /, target);
      assert.match(answer.text, /could never be read back: HTTP clients resolve \.{1,2} path segments away/, target);
    }
  });

  test("keys that merely contain dots work", async () => {
    for (const journal of ["...", ".hidden", "a..b", "v1.2"]) {
      await twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, journal } });
      assert.equal((await read(journal)).entries.length, 1, journal);
      await fetch(`${t.url(0)}/_test/journal/${journal}`, { method: "DELETE" });
    }
  });
});

describe("a journal read that waits", () => {
  const t = useServer();
  const get = (path: string): Promise<Response> => fetch(`${t.url(2)}/_test/journal/${path}`);
  const read = async (path: string): Promise<Readout> => (await get(path)).json() as Promise<Readout>;
  const delayed = (journal: string, delayMs: number, signal?: AbortSignal) =>
    twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, journal, delayMs }, ...(signal === undefined ? {} : { signal }) });

  test("a call still waiting out its delay is in the journal at once, in progress", async () => {
    const journal = uniqueKey();
    const call = delayed(journal, 600);
    let entries: Entry[] = [];
    // The call's request reaches the server a moment after it is sent; nothing else is awaited.
    for (const end = Date.now() + 5000; entries.length === 0 && Date.now() < end;) entries = (await read(journal)).entries;
    assert.deepEqual([entries[0]!.outcome, entries[0]!.status, entries[0]!["tookMs"]], ["in-progress", null, null]);
    assert.deepEqual(entries[0]!["request"], {});
    await call;
    const [finished] = (await read(journal)).entries;
    assert.deepEqual([finished!.outcome, finished!.status], ["answered", 200]);
  });

  test("a read right after a client timed out finds the call, every time", async () => {
    for (let run = 0; run < 10; run++) {
      const journal = uniqueKey();
      await assert.rejects(delayed(journal, 3000, AbortSignal.timeout(50)));
      const { entries } = await read(journal);
      assert.equal(entries.length, 1, `run ${run}: the call is not in the journal`);
      assert.ok(["in-progress", "client-gone"].includes(entries[0]!.outcome), entries[0]!.outcome);
      const waited = await read(`${journal}?wait=5000&min=1`);
      assert.deepEqual([waited.entries[0]!.outcome, waited.wait!.reached], ["client-gone", true], `run ${run}`);
    }
  });

  test("returns as soon as min entries are finished, and says the wait was met", async () => {
    const journal = uniqueKey();
    const started = performance.now();
    const pending = read(`${journal}?wait=20000&min=2`);
    await delayed(journal, 0);
    await delayed(journal, 0);
    const readout = await pending;
    assert.ok(performance.now() - started < 10_000, "answered long before the wait ran out");
    assert.equal(readout.entries.length, 2);
    assert.equal(readout.wait!.reached, true);
    assert.deepEqual([readout.wait!.ms, readout.wait!.min], [20000, 2]);
  });

  test("a wait that runs out answers what there is, and says the wait was not met", async () => {
    const journal = uniqueKey();
    await delayed(journal, 0);
    const readout = await read(`${journal}?wait=200&min=2`);
    assert.equal(readout.entries.length, 1);
    assert.equal(readout.wait!.reached, false);
    assert.ok(readout.wait!.waitedMs >= 200, `waited ${readout.wait!.waitedMs} ms`);
  });

  test("min defaults to 1, and a read without wait says nothing of waiting", async () => {
    const journal = uniqueKey();
    const pending = read(`${journal}?wait=20000`);
    await delayed(journal, 0);
    assert.equal((await pending).wait!.min, 1);
    assert.equal((await read(journal)).wait, undefined);
  });

  test("a wait beyond the maximum, an invalid value or an unknown parameter is a 400 naming it", async () => {
    const cases: [string, RegExp][] = [
      ["wait=60001", /wait must be at most 60000 ms, got 60001/],
      ["wait=abc", /wait must be a whole number of milliseconds from 0 to 60000, got "abc"/],
      ["wait=-1", /wait must be a whole number of milliseconds from 0 to 60000, got "-1"/],
      ["wait=1.5", /wait must be a whole number/],
      ["wait=", /wait must be a whole number/],
      ["wait=10&min=0", /min must be a whole number from 1 to 1000, got "0"/],
      ["wait=10&min=1001", /min must be a whole number from 1 to 1000, got "1001"/],
      ["wait=10&min=two", /min must be a whole number from 1 to 1000, got "two"/],
      ["min=1", /min needs wait/],
      ["wiat=100", /unknown parameter "wiat" \(did you mean "wait"\?\); the journal takes wait and min/],
      ["wait=10&wait=20", /wait is given twice/],
    ];
    for (const [query, message] of cases) {
      const answer = await get(`${uniqueKey()}?${query}`);
      assert.equal(answer.status, 400, query);
      assert.match(await answer.text(), message, query);
    }
    const deleted = await fetch(`${t.url(0)}/_test/journal/${uniqueKey()}?wait=10`, { method: "DELETE" });
    assert.equal(deleted.status, 400);
    assert.match(await deleted.text(), /wait and min apply to GET/);
  });

  test("a reader that goes away during a wait frees it at once", async () => {
    const timers = (): number => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;
    const before = timers();
    const socket = connect({ host: "127.0.0.1", port: t.server.regions[0]!.port });
    await once(socket, "connect");
    socket.write(`GET /_test/journal/${uniqueKey()}?wait=60000 HTTP/1.1\r\nHost: x\r\n\r\n`);
    for (const end = Date.now() + 5000; timers() === before && Date.now() < end;) await new Promise((r) => setImmediate(r));
    assert.equal(timers(), before + 1, "the wait holds one timer");
    socket.destroy();
    for (const end = Date.now() + 5000; timers() > before && Date.now() < end;) await new Promise((r) => setImmediate(r));
    assert.equal(timers(), before, "the wait's timer is gone with its reader");
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
