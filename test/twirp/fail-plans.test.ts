// Fail then succeed (failUntil, failFirst), per-region plans and their precedence over the flat
// fields, failMeta, listSize, and how each combines with failRegions, pinnedRegions, skipAuth
// and sipStatus.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";
import { useServer } from "../support/server.js";
import { assertTwirpError, twirp, type TwirpReply } from "../support/twirp.js";

const listRooms = "livekit.RoomService/ListRooms";
const uniqueKey = (): string => `k-${randomUUID()}`;

describe("fail then succeed", () => {
  const t = useServer();
  const call = (region: number, control: object): Promise<TwirpReply> =>
    twirp(t.url(region), listRooms, {}, { control: { skipAuth: true, ...control } });

  test("failUntil: the targeted regions fail while the clock is before it", async () => {
    // One header, before and after its instant. The "before" answers count only when they came
    // back before it (a busy machine can take longer than any fixed window), so the window grows
    // until they do.
    let control: object | undefined;
    for (let windowMs = 1000; control === undefined; windowMs *= 2) {
      const tried = { failRegions: [0], failUntil: Date.now() + windowMs };
      const targeted = (await call(0, tried)).status;
      const untargeted = (await call(1, tried)).status;
      if (Date.now() >= tried.failUntil) continue;
      assert.equal(targeted, 503);
      assert.equal(untargeted, 200, "an untargeted region answers");
      control = tried;
    }
    const { failUntil } = control as { failUntil: number };
    while (Date.now() <= failUntil) await new Promise((resolve) => setTimeout(resolve, failUntil - Date.now() + 1));
    assert.equal((await call(0, control)).status, 200);
  });

  test("failUntil without failRegions targets every region", async () => {
    const until = Date.now() + 60_000;
    for (const region of [0, 1, 2, 3]) assert.equal((await call(region, { failUntil: until })).status, 503);
    assert.equal((await call(0, { failUntil: Date.now() - 1 })).status, 200, "a time in the past fails nothing");
  });

  test("failUntil reaches as far as a Date does (year 275760); beyond it is a 400 naming the maximum", async () => {
    assert.equal((await call(0, { failUntil: 8_640_000_000_000_000 })).status, 503);
    assertTwirpError(await call(0, { failUntil: 8_640_000_000_000_001 }), {
      status: 400,
      code: "invalid_argument",
      msg: "mock: invalid control: X-Lk-Mock field failUntil must be an integer from 0 to 8640000000000000, got 8640000000000001",
    });
  });

  test("failFirst: the first n requests under the key fail, whatever region they reach; then they succeed", async () => {
    const journal = uniqueKey();
    const statuses = [];
    for (const region of [0, 1, 2, 0, 1]) statuses.push((await call(region, { journal, failFirst: 3 })).status);
    assert.deepEqual(statuses, [503, 503, 503, 200, 200]);
  });

  test("failFirst counts exactly under concurrency", async () => {
    const journal = uniqueKey();
    const replies = await Promise.all(Array.from({ length: 60 }, (_, i) => call(i % 4, { journal, failFirst: 17 })));
    assert.equal(replies.filter((r) => r.status === 503).length, 17);
    assert.equal(replies.filter((r) => r.status === 200).length, 43);
  });

  test("failFirst with failRegions counts only the requests that reach a failing region", async () => {
    const journal = uniqueKey();
    const statuses = [];
    for (const region of [1, 0, 1, 0, 0]) statuses.push((await call(region, { journal, failFirst: 2, failRegions: [0] })).status);
    assert.deepEqual(statuses, [200, 503, 200, 503, 200]);
  });

  test("failFirst keys are independent, and a journal DELETE restarts the count", async () => {
    const a = uniqueKey();
    const b = uniqueKey();
    assert.equal((await call(0, { journal: a, failFirst: 1 })).status, 503);
    assert.equal((await call(0, { journal: b, failFirst: 1 })).status, 503);
    assert.equal((await call(0, { journal: a, failFirst: 1 })).status, 200);
    await fetch(`${t.url(2)}/_test/journal/${a}`, { method: "DELETE" });
    assert.equal((await call(0, { journal: a, failFirst: 1 })).status, 503);
  });

  test("failFirst without journal is refused, naming both", async () => {
    assertTwirpError(await call(0, { failFirst: 1 }), {
      status: 400,
      code: "invalid_argument",
      msgIncludes: ["failFirst", "journal"],
    });
  });
});

describe("per-region plans", () => {
  const t = useServer();
  const call = (region: number, control: object): Promise<TwirpReply> =>
    twirp(t.url(region), listRooms, {}, { control: { skipAuth: true, ...control } });
  const plans = { regions: { "0": { failMode: "reset" }, "1": { failStatus: 429, delayMs: 300 }, "3": { delayMs: 200 } } };

  test("one header: region 0 resets, region 1 answers 429 after its delay, 2 succeeds, 3 succeeds after its delay", async () => {
    await assert.rejects(call(0, plans));
    const started = performance.now();
    const one = await call(1, plans);
    assert.equal(one.status, 429);
    assert.equal(one.json().code, "resource_exhausted");
    assert.ok(performance.now() - started >= 280);
    assert.equal((await call(2, plans)).status, 200);
    const before = performance.now();
    assert.equal((await call(3, plans)).status, 200, "a plan with only a delay does not fail");
    assert.ok(performance.now() - before >= 180);
  });

  test("a region's plan wins over the flat fields, field by field", async () => {
    const control = { failRegions: [0, 1], failStatus: 500, failTwirpCode: "internal", regions: { "1": { failStatus: 502 } } };
    const zero = await call(0, control);
    assert.deepEqual([zero.status, zero.json().code], [500, "internal"]);
    const one = await call(1, control);
    assert.deepEqual([one.status, one.json().code], [502, "internal"], "failTwirpCode still comes from the flat field");
  });

  test("a region whose plan names a fail field fails without being in failRegions; failRegions still fails the others", async () => {
    const control = { failRegions: [2], regions: { "1": { failMode: "status" } } };
    assert.deepEqual(await Promise.all([0, 1, 2, 3].map(async (r) => (await call(r, control)).status)), [200, 503, 503, 200]);
  });

  test("a region's delayMs replaces the flat delayMs on that region only", async () => {
    // A minute's flat delay: answering long before it can only be the region's own 0.
    const control = { delayMs: 60_000, regions: { "2": { delayMs: 0 } } };
    const started = performance.now();
    assert.equal((await call(2, control)).status, 200);
    assert.ok(performance.now() - started < 30_000);
  });

  test("region keys that are not indices, and unknown plan fields, are refused with a suggestion", async () => {
    assert.match((await call(0, { regions: { first: { failStatus: 503 } } })).json().msg, /key "first", which is not a region index/);
    assert.match(
      (await call(0, { regions: { "0": { failstatus: 503, failMod: "drop" } } })).json().msg,
      /unknown field "failMod" \(did you mean "failMode"\?\)/,
    );
  });
});

describe("failMeta", () => {
  const t = useServer();

  test("is attached to a status failure's meta", async () => {
    const reply = await twirp(
      t.url(0),
      listRooms,
      {},
      { control: { skipAuth: true, failRegions: [0], failMeta: { retry_after: "2", reason: "maintenance" } } },
    );
    assertTwirpError(reply, { status: 503, code: "unavailable", meta: { reason: "maintenance", retry_after: "2" } });
  });

  test("a region's failMeta replaces the flat one there", async () => {
    const reply = await twirp(
      t.url(1),
      listRooms,
      {},
      {
        control: { skipAuth: true, failRegions: [1], failMeta: { a: "flat" }, regions: { "1": { failMeta: { b: "region" } } } },
      },
    );
    assert.deepEqual(reply.json().meta, { b: "region" });
  });

  test("values must be strings", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { control: JSON.stringify({ skipAuth: true, failMeta: { a: 1 } }) });
    assert.match(reply.json().msg, /failMeta \["a"\] must be a string/);
  });
});

describe("listSize", () => {
  const t = useServer();
  const rooms = async (listSize?: number): Promise<TwirpReply> =>
    twirp(t.url(0), listRooms, {}, { control: { skipAuth: true, ...(listSize === undefined ? {} : { listSize }) } });

  test("1 is byte for byte the default", async () => {
    assert.equal((await rooms(1)).text, (await rooms()).text);
    assert.equal((await rooms()).text, '{"rooms":[{"sid":"MOCK_SID"}]}');
  });

  test("n gives every populated list n elements whose ids differ", async () => {
    assert.deepEqual((await rooms(3)).json(), { rooms: [{ sid: "MOCK_SID_1" }, { sid: "MOCK_SID_2" }, { sid: "MOCK_SID_3" }] });
    const created = await twirp(t.url(0), "livekit.RoomService/CreateRoom", { name: "r" }, { control: { skipAuth: true, listSize: 2 } });
    assert.equal(created.json().enabledCodecs.length, 2);
  });

  test("0 gives empty lists", async () => {
    assert.equal((await rooms(0)).text, "{}");
  });

  test("outside 0–100 is refused", async () => {
    for (const size of [-1, 101])
      assertTwirpError(await rooms(size), { status: 400, code: "invalid_argument", msgIncludes: ["listSize", "from 0 to 100"] });
  });
});

describe("combinations", () => {
  const t = useServer();

  test("a pinned region answers 451 before any plan applies", async () => {
    const reply = await twirp(
      t.url(0),
      listRooms,
      {},
      { control: { skipAuth: true, pinnedRegions: ["region-1"], regions: { "0": { failMode: "reset" } } } },
    );
    assert.equal(reply.status, 451);
  });

  test("without skipAuth, a bad token is refused before any fault", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { token: null, control: { failRegions: [0], failMode: "reset" } });
    assert.equal(reply.status, 401);
  });

  test("sipStatus comes before a failing region's fault, as it comes before failRegions", async () => {
    const reply = await twirp(
      t.url(0),
      "livekit.SIP/CreateSIPParticipant",
      {},
      {
        control: { skipAuth: true, sipStatus: { code: 486 }, regions: { "0": { failMode: "garbage" } } },
      },
    );
    assert.equal(reply.status, 429);
  });
});
