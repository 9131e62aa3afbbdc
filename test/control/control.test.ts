// The control protocol: legacy headers as the base, `X-Lk-Mock` overlaid per field
// (docs/spec/control.md#x-lk-mock), the pipeline order (docs/spec/control.md#pipeline), the
// X-Lk-Mock-Region rules (docs/spec/control.md#region-header), and the strict answers to invalid
// control input (docs/spec/control.md#strict-control).
import assert from "node:assert/strict";
import { request } from "node:http";
import { describe, it } from "node:test";
import { useServer } from "../support/server.js";
import { assertTwirpError, get, twirp } from "../support/twirp.js";

const listRooms = "livekit.RoomService/ListRooms";

describe("control header precedence", () => {
  const t = useServer();

  it("fails a region listed in the legacy X-Lk-Mock-Fail-Regions header, trimming each part", async () => {
    const headers = { "X-Lk-Mock-Fail-Regions": " 3 , 1" };
    assert.equal((await twirp(t.url(1), listRooms, {}, { headers })).status, 503);
    assert.equal((await twirp(t.url(3), listRooms, {}, { headers })).status, 503);
    assert.equal((await twirp(t.url(0), listRooms, {}, { headers })).status, 200);
  });

  it('lets "failRegions":[] in X-Lk-Mock override the legacy header', async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { headers: { "X-Lk-Mock-Fail-Regions": "0" }, control: { failRegions: [] } });
    assert.equal(reply.status, 200);
  });

  it("lets null reset failRegions set by the legacy header", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { headers: { "X-Lk-Mock-Fail-Regions": "0" }, control: { failRegions: null } });
    assert.equal(reply.status, 200);
  });

  it("keeps legacy values for fields X-Lk-Mock does not mention", async () => {
    const reply = await twirp(
      t.url(0),
      listRooms,
      {},
      {
        headers: { "X-Lk-Mock-Fail-Status": "429", "X-Lk-Mock-Fail-Twirp-Code": "legacy_code" },
        control: { failRegions: [0] },
      },
    );
    assertTwirpError(reply, { status: 429, code: "legacy_code", msg: "mock failure (status 429)" });
  });

  it("lets X-Lk-Mock fields override the same legacy fields", async () => {
    const reply = await twirp(
      t.url(0),
      listRooms,
      {},
      {
        headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Status": "429", "X-Lk-Mock-Fail-Mode": "drop" },
        control: { failStatus: 404, failMode: "status" },
      },
    );
    assertTwirpError(reply, { status: 404, code: "not_found" });
  });

  it("treats null as a no-op for scalar fields set by a legacy header", async () => {
    const reply = await twirp(
      t.url(0),
      listRooms,
      {},
      {
        headers: { "X-Lk-Mock-Fail-Status": "429" },
        control: { failRegions: [0], failStatus: null },
      },
    );
    assert.equal(reply.status, 429);
  });

  it("ignores an empty X-Lk-Mock header", async () => {
    assert.equal((await twirp(t.url(0), listRooms, {}, { control: "" })).status, 200);
    assert.equal((await twirp(t.url(0), listRooms, {}, { control: "  " })).status, 200);
  });

  it("uses only the first X-Lk-Mock header when several are sent", async () => {
    const { status, region } = await new Promise<{ status: number; region: unknown }>((resolve, reject) => {
      const req = request(`${t.url(0)}/twirp/${listRooms}`, {
        method: "POST",
        headers: { "Content-Type": "application/json", "X-Lk-Mock": ['{"skipAuth":true}', '{"failRegions":[0]}'] },
      });
      req.on("response", (res) => {
        res.resume();
        res.on("end", () => resolve({ status: res.statusCode ?? 0, region: res.headers["x-lk-mock-region"] }));
      });
      req.on("error", reject);
      req.end("{}");
    });
    assert.equal(status, 200);
    assert.equal(region, "0");
  });

  it("compares failMode case-insensitively", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { control: { failRegions: [0], failMode: "STATUS" as "status" } });
    assert.equal(reply.status, 503);
  });
});

describe("pipeline order: auth → pin → delay → sipStatus → failRegions → success", () => {
  const t = useServer();

  it("answers a bad token with 401, not the failRegions failure", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { token: "garbage", control: { failRegions: [0] } });
    assertTwirpError(reply, { status: 401, code: "unauthenticated", msg: "mock: unauthenticated" });
  });

  it("answers a bad token with 401 before the pin check", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { token: null, control: { pinnedRegions: ["region-1"] } });
    assert.equal(reply.status, 401);
  });

  it("answers a missing grant with 403 before the pin check", async () => {
    const reply = await twirp(
      t.url(0),
      "livekit.RoomService/ListParticipants",
      { room: "other" },
      { control: { pinnedRegions: ["region-1"] } },
    );
    assert.equal(reply.status, 403);
  });

  it("answers auth failures immediately, without the delay", async () => {
    const started = performance.now();
    // A minute's delay: answering long before it can only mean no delay, however busy the machine.
    const reply = await twirp(t.url(0), listRooms, {}, { token: null, control: { delayMs: 60_000 } });
    assert.equal(reply.status, 401);
    assert.ok(performance.now() - started < 30_000, "no delay before an auth failure");
  });

  it("answers the pin check (451) before failRegions", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { control: { pinnedRegions: ["region-1"], failRegions: [0] } });
    assert.equal(reply.status, 451);
  });

  it("answers the pin check immediately, without the delay", async () => {
    const started = performance.now();
    const reply = await twirp(t.url(0), listRooms, {}, { control: { pinnedRegions: ["region-1"], delayMs: 60_000 } });
    assert.equal(reply.status, 451);
    assert.ok(performance.now() - started < 30_000);
  });

  it("answers a SIP error rather than the failRegions failure", async () => {
    const reply = await twirp(
      t.url(0),
      "livekit.SIP/CreateSIPParticipant",
      {},
      { control: { sipStatus: { code: 486 }, failRegions: [0] } },
    );
    assertTwirpError(reply, { status: 429, code: "resource_exhausted" });
  });

  it("lets skipAuth pass a missing token on to the failRegions failure", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { token: null, control: { skipAuth: true, failRegions: [0] } });
    assert.equal(reply.status, 503);
  });

  it("applies pin, delay and failRegions to unknown methods too", async () => {
    assert.equal((await twirp(t.url(0), "livekit.Nope/Nope", {}, { token: null, control: { pinnedRegions: ["region-3"] } })).status, 451);
    assert.equal((await twirp(t.url(0), "livekit.Nope/Nope", {}, { token: null, control: { failRegions: [0] } })).status, 503);
    assert.equal((await twirp(t.url(3), "livekit.Nope/Nope", {}, { token: null, control: { pinnedRegions: ["region-3"] } })).status, 200);
  });
});

describe("pinnedRegions", () => {
  const t = useServer();

  it("answers 451 with the exact plain-text body and an empty region header on other regions", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { control: { pinnedRegions: ["region-1", "region-2"] } });
    assert.equal(reply.status, 451);
    assert.equal(reply.text, "project not allowed in this region.");
    assert.match(reply.contentType ?? "", /^text\/plain/);
    assert.equal(reply.region, "");
  });

  it("answers a binary client with the same 451 body", async () => {
    const reply = await twirp(t.url(0), listRooms, new Uint8Array(0), { codec: "binary", control: { pinnedRegions: ["region-1"] } });
    assert.equal(reply.status, 451);
    assert.equal(reply.text, "project not allowed in this region.");
  });

  it("serves the request normally on a pinned region", async () => {
    const reply = await twirp(t.url(2), listRooms, {}, { control: { pinnedRegions: ["region-1", "region-2"] } });
    assert.equal(reply.status, 200);
    assert.equal(reply.region, "2");
  });

  it("matches region names exactly and case-sensitively", async () => {
    assert.equal((await twirp(t.url(1), listRooms, {}, { control: { pinnedRegions: ["Region-1"] } })).status, 451);
    assert.equal((await twirp(t.url(1), listRooms, {}, { control: { pinnedRegions: ["1"] } })).status, 451);
  });

  it("is not pinned when the list is empty or null", async () => {
    assert.equal((await twirp(t.url(0), listRooms, {}, { control: { pinnedRegions: [] } })).status, 200);
    assert.equal((await twirp(t.url(0), listRooms, {}, { control: { pinnedRegions: null } })).status, 200);
  });
});

describe("X-Lk-Mock-Region", () => {
  const t = useServer();

  it("is the decimal region index on success, for known and unknown methods", async () => {
    for (const i of [0, 1, 2, 3]) {
      assert.equal((await twirp(t.url(i), listRooms, {})).region, String(i));
      assert.equal((await twirp(t.url(i), "livekit.Nope/Nope", {}, { token: null })).region, String(i));
    }
  });

  it("is present and empty on auth errors, status failures, SIP failures and the 451", async () => {
    const replies = [
      await twirp(t.url(2), listRooms, {}, { token: null }),
      await twirp(t.url(2), "livekit.RoomService/CreateRoom", {}, { token: "x.y.z" }),
      await twirp(t.url(2), "livekit.RoomService/ListParticipants", { room: "r" }),
      await twirp(t.url(2), listRooms, {}, { control: { failRegions: [2] } }),
      await twirp(t.url(2), listRooms, {}, { control: { failRegions: [2], failStatus: 200 } }),
      await twirp(t.url(2), "livekit.SIP/CreateSIPParticipant", {}, { control: { sipStatus: { code: 486 } } }),
      await twirp(t.url(2), "livekit.SIP/CreateSIPParticipant", {}, { control: { sipStatus: { code: 200 } } }),
      await twirp(t.url(2), listRooms, {}, { control: { pinnedRegions: ["region-0"] } }),
    ];
    assert.deepEqual(
      replies.map((r) => [r.status, r.region]),
      [
        [401, ""],
        [401, ""],
        [403, ""],
        [503, ""],
        [200, ""],
        [429, ""],
        [200, ""],
        [451, ""],
      ],
    );
  });

  it("is absent on a regionsStatus override, health and 404 answers", async () => {
    const replies = [
      await get(t.url(1), "/settings/regions", { headers: { "X-Lk-Mock": '{"regionsStatus":500}' } }),
      await get(t.url(1), "/_test/health"),
      await get(t.url(1), "/"),
      await get(t.url(1), "/nowhere"),
    ];
    assert.deepEqual(
      replies.map((r) => r.region),
      [null, null, null, null],
    );
  });

  it("is the decimal region index on a /settings/regions success", async () => {
    assert.equal((await get(t.url(3), "/settings/regions")).region, "3");
  });
});

describe("strict control input", () => {
  const t = useServer({ ports: [0] });
  const refused = async (control: string | undefined, mentions: string[], headers: Record<string, string> = {}): Promise<void> => {
    const reply = await twirp(t.url(), listRooms, {}, control === undefined ? { headers } : { control, headers });
    assertTwirpError(reply, { status: 400, code: "invalid_argument", msgStartsWith: "mock: invalid control", msgIncludes: mentions });
  };

  it("refuses X-Lk-Mock that is not valid JSON", async () => {
    await refused("{failRegions:[0]}", ["X-Lk-Mock", "JSON"]);
    await refused('{"failRegions":[0]', ["X-Lk-Mock"]);
  });

  it("refuses X-Lk-Mock that is not a JSON object", async () => {
    for (const control of ["[0]", '"drop"', "5", "true", "null"]) await refused(control, ["X-Lk-Mock", "object"]);
  });

  it("refuses an unknown key, naming it and the closest valid key", async () => {
    await refused('{"failRegion":[0]}', ['"failRegion"', '"failRegions"']);
    await refused('{"delay":10}', ['"delay"', '"delayMs"']);
    await refused('{"skip_auth":true}', ['"skip_auth"', '"skipAuth"']);
  });

  it("accepts keys in any case, as Go's encoding/json matches them", async () => {
    // A Go suite that marshals a struct without json tags sends exactly these keys.
    const reply = await twirp(
      t.url(),
      listRooms,
      {},
      { control: '{"SkipAuth":true,"FailRegions":[0],"FAILSTATUS":429,"SipStatus":{"Code":486}}' },
    );
    assertTwirpError(reply, { status: 429, code: "resource_exhausted", msgStartsWith: "mock failure" });
  });

  it("refuses a field set twice under different cases", async () => {
    await refused('{"failRegions":[0],"FailRegions":[1]}', ["failRegions", "twice"]);
    await refused('{"sipStatus":{"code":486,"Code":603}}', ["sipStatus", "code", "twice"]);
  });

  it("refuses a value of the wrong type, naming the field", async () => {
    const cases: [string, string][] = [
      ['{"failStatus":"503"}', "failStatus"],
      ['{"failStatus":503.5}', "failStatus"],
      ['{"failRegions":0}', "failRegions"],
      ['{"failRegions":["a"]}', "failRegions"],
      ['{"delayMs":"100"}', "delayMs"],
      ['{"skipAuth":"true"}', "skipAuth"],
      ['{"pinnedRegions":"region-0"}', "pinnedRegions"],
      ['{"pinnedRegions":[0]}', "pinnedRegions"],
      ['{"failTwirpCode":5}', "failTwirpCode"],
      ['{"regionsStatus":true}', "regionsStatus"],
    ];
    for (const [control, field] of cases) await refused(control, [field]);
  });

  it("refuses an HTTP status outside 100..599", async () => {
    await refused('{"failStatus":99}', ["failStatus"]);
    await refused('{"regionsStatus":600}', ["regionsStatus"]);
  });

  it("refuses an unknown failMode, naming the field and the closest mode", async () => {
    await refused('{"failMode":"dorp"}', ["failMode", '"drop"']);
    await refused('{"failMode":"timeout"}', ["failMode"]);
  });

  it("refuses legacy headers that do not parse, naming the header", async () => {
    const cases: [string, string][] = [
      ["X-Lk-Mock-Fail-Regions", "0,a"],
      ["X-Lk-Mock-Fail-Mode", "explode"],
      ["X-Lk-Mock-Fail-Status", "abc"],
      ["X-Lk-Mock-Fail-Status", "700"],
      ["X-Lk-Mock-Regions-Status", "ok"],
      ["X-Lk-Mock-Skip-Auth", "yes"],
      ["X-Lk-Mock-Delay-Ms", "soon"],
      ["X-Lk-Mock-Delay-Ms", "-5"],
      ["X-Lk-Mock-Response", "{oops"],
    ];
    for (const [name, value] of cases) await refused(undefined, [name], { [name]: value });
  });

  it("refuses invalid control even for unknown methods", async () => {
    const reply = await twirp(t.url(), "livekit.Nope/Nope", {}, { token: null, control: '{"nope":1}' });
    assertTwirpError(reply, { status: 400, code: "invalid_argument", msgStartsWith: "mock: invalid control" });
  });

  it("accepts every documented field at once", async () => {
    const reply = await twirp(
      t.url(),
      listRooms,
      {},
      {
        control: {
          failRegions: [5],
          failMode: "status",
          failStatus: 500,
          failTwirpCode: "internal",
          delayMs: 0,
          regionsStatus: 200,
          response: { rooms: [] },
          skipAuth: false,
          sipStatus: { code: 486, status: "Busy" },
          pinnedRegions: ["region-0"],
        },
      },
    );
    assert.equal(reply.status, 200);
    assert.equal(reply.text, "{}");
  });
});

describe("X-Lk-Mock number literals and repeated fields", () => {
  const t = useServer({ ports: [0] });
  const refused = async (
    control: string,
    expected: { msg?: string; mentions?: string[] },
    headers: Record<string, string> = {},
  ): Promise<void> => {
    const reply = await twirp(t.url(), listRooms, {}, { control, headers });
    assertTwirpError(reply, {
      status: 400,
      code: "invalid_argument",
      msgStartsWith: "mock: invalid control: ",
      msgIncludes: expected.mentions ?? [],
      ...(expected.msg === undefined ? {} : { msg: expected.msg }),
    });
  };

  it("refuses an integer field written with a fraction, naming the field and the literal as written", async () => {
    await refused('{"failStatus":404.0}', {
      msg: "mock: invalid control: X-Lk-Mock field failStatus must be an integer from 100 to 599, got 404.0",
    });
  });

  it("refuses integer fields written with an exponent", async () => {
    await refused('{"delayMs":1e3}', { mentions: ["delayMs", "1e3"] });
    await refused('{"regionsStatus":2E2}', { mentions: ["regionsStatus", "2E2"] });
  });

  it("refuses a failRegions item written with a fraction", async () => {
    await refused('{"failRegions":[0.0]}', { mentions: ["failRegions", "[0]", "0.0"] });
    await refused('{"failRegions":[1,2.0]}', { mentions: ["failRegions", "[1]", "2.0"] });
  });

  it("refuses a sipStatus code written with a fraction", async () => {
    await refused('{"sipStatus":{"code":603.0}}', { mentions: ["sipStatus", ".code", "603.0"] });
  });

  it("accepts numbers written with fractions and exponents inside the response override", async () => {
    const reply = await twirp(
      t.url(),
      listRooms,
      {},
      { control: '{"response":{"rooms":[{"name":"r","emptyTimeout":30.0,"maxParticipants":1e1}]}}' },
    );
    assert.equal(reply.status, 200, reply.text);
    assert.deepEqual(reply.json(), { rooms: [{ name: "r", emptyTimeout: 30, maxParticipants: 10 }] });
  });

  it("refuses a field given twice, naming it", async () => {
    await refused('{"failStatus":500,"failStatus":503}', { msg: 'mock: invalid control: X-Lk-Mock has duplicate field "failStatus"' });
  });

  it("refuses a key repeated inside sipStatus or the response override, naming its path", async () => {
    await refused('{"sipStatus":{"code":486,"code":603}}', { mentions: ["duplicate field", '"sipStatus.code"'] });
    await refused('{"response":{"rooms":[],"rooms":[]}}', { mentions: ["duplicate field", '"response.rooms"'] });
  });

  it("refuses a legacy X-Lk-Mock-Response that repeats a key", async () => {
    const reply = await twirp(t.url(), listRooms, {}, { headers: { "X-Lk-Mock-Response": '{"rooms":[],"rooms":[]}' } });
    assertTwirpError(reply, { status: 400, code: "invalid_argument", msgIncludes: ["X-Lk-Mock-Response", 'duplicate key "rooms"'] });
  });
});
