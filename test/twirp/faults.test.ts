// Failing regions (REFERENCE §4.3), delays and natural latencies (§4.1 step 5), and a delayed
// request whose client goes away.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { createLogger } from "../../src/server/request-log.js";
import { rawExchange, rawTwirp } from "../support/raw-http.js";
import { useServer } from "../support/server.js";
import { assertTwirpError, get, timed, twirp } from "../support/twirp.js";

const listRooms = "livekit.RoomService/ListRooms";
const createSip = "livekit.SIP/CreateSIPParticipant";
const transferSip = "livekit.SIP/TransferSIPParticipant";

describe("failMode status", () => {
  const t = useServer();

  it("answers 503 unavailable with the mock failure message on a failing region", async () => {
    const reply = await twirp(t.url(1), listRooms, {}, { control: { failRegions: [1] } });
    assertTwirpError(reply, { status: 503, code: "unavailable", msg: "mock failure (status 503)" });
    assert.equal(reply.text, '{"code":"unavailable","msg":"mock failure (status 503)"}');
    assert.equal(reply.region, "");
  });

  it("fails only the listed regions", async () => {
    const control = { failRegions: [0, 2] };
    const statuses = await Promise.all([0, 1, 2, 3].map(async (i) => (await twirp(t.url(i), listRooms, {}, { control })).status));
    assert.deepEqual(statuses, [503, 200, 503, 200]);
  });

  it("derives the Twirp code from failStatus", async () => {
    const table: [number, string][] = [
      [400, "invalid_argument"],
      [401, "unauthenticated"],
      [403, "permission_denied"],
      [404, "not_found"],
      [429, "resource_exhausted"],
      [500, "unavailable"],
      [502, "unavailable"],
      [504, "unavailable"],
      [599, "unavailable"],
      [408, "internal"],
      [409, "internal"],
      [412, "internal"],
      [451, "internal"],
      [302, "internal"],
    ];
    for (const [failStatus, code] of table) {
      const reply = await twirp(t.url(0), listRooms, {}, { control: { failRegions: [0], failStatus } });
      assertTwirpError(reply, { status: failStatus, code, msg: `mock failure (status ${failStatus})` });
    }
  });

  it("answers failStatus 200 with HTTP 200 and the error body, which a JSON client reads as an empty success", async () => {
    const reply = await twirp(t.url(0), listRooms, {}, { control: { failRegions: [0], failStatus: 200 } });
    assert.equal(reply.status, 200);
    assert.equal(reply.contentType, "application/json");
    assert.deepEqual(reply.json(), { code: "internal", msg: "mock failure (status 200)" });
  });

  it("answers a 1xx failStatus other than 101 as an interim answer with the error's headers, then the error under a 200", async () => {
    for (const [failStatus, text] of [
      [100, "Continue"],
      [102, "Processing"],
      [103, "Early Hints"],
      [199, "status code 199"],
    ] as const) {
      const answer = await rawExchange(
        t.server.regions[0]!.port,
        rawTwirp(listRooms, { skipAuth: true, failRegions: [0], failStatus }, "{}", "Connection: close\r\n"),
      );
      const body = `{"code":"internal","msg":"mock failure (status ${failStatus})"}`;
      const interim = `HTTP/1.1 ${failStatus} ${text}\r\nContent-Type: application/json\r\nX-Lk-Mock-Region: \r\n\r\n`;
      assert.ok(
        answer.text.startsWith(`${interim}HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Lk-Mock-Region: \r\n`),
        answer.text,
      );
      assert.ok(answer.text.endsWith(`Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`), answer.text);
    }
  });

  it("answers failStatus 101 with a bodiless 101, and the connection goes on serving requests", async () => {
    const next = rawTwirp(listRooms, { skipAuth: true });
    const answer = await rawExchange(
      t.server.regions[0]!.port,
      rawTwirp(listRooms, { skipAuth: true, failRegions: [0], failStatus: 101 }) + next,
      1000,
    );
    const [first, second] = answer.text.split(/(?=HTTP\/1\.1 )/);
    assert.match(
      first!,
      /^HTTP\/1\.1 101 Switching Protocols\r\nContent-Type: application\/json\r\nX-Lk-Mock-Region: \r\nDate: [^\r]+\r\n\r\n$/,
    );
    assert.match(second!, /^HTTP\/1\.1 200 OK\r\n[^]*\r\n\r\n\{"rooms":\[\{"sid":"MOCK_SID"\}\]\}$/);
    assert.equal(answer.ending, "open");
  });

  it("uses failTwirpCode verbatim, valid or not, with the status unchanged", async () => {
    const custom = await twirp(t.url(0), listRooms, {}, { control: { failRegions: [0], failTwirpCode: "not_a_twirp_code" } });
    assertTwirpError(custom, { status: 503, code: "not_a_twirp_code", msg: "mock failure (status 503)" });
    const valid = await twirp(t.url(0), listRooms, {}, { control: { failRegions: [0], failStatus: 409, failTwirpCode: "already_exists" } });
    assertTwirpError(valid, { status: 409, code: "already_exists" });
  });

  it("reads failStatus and failTwirpCode from the legacy headers", async () => {
    const reply = await twirp(
      t.url(0),
      listRooms,
      {},
      {
        headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Status": " 404 ", "X-Lk-Mock-Fail-Twirp-Code": "bad_route" },
      },
    );
    assertTwirpError(reply, { status: 404, code: "bad_route", msg: "mock failure (status 404)" });
  });

  it("fails an unknown method as well", async () => {
    const reply = await twirp(t.url(0), "livekit.Nope/Nope", {}, { token: null, control: { failRegions: [0], failStatus: 500 } });
    assertTwirpError(reply, { status: 500, code: "unavailable" });
  });
});

describe("failures seen by a binary client", () => {
  const t = useServer({ ports: [0, 0] });
  const binary = { codec: "binary" as const };

  it("are the same JSON error bodies", async () => {
    const failed = await twirp(t.url(1), listRooms, new Uint8Array(0), { ...binary, control: { failRegions: [1], failStatus: 429 } });
    assertTwirpError(failed, { status: 429, code: "resource_exhausted", msg: "mock failure (status 429)" });
    assert.equal(failed.region, "");
    const sip = await twirp(t.url(0), createSip, new Uint8Array(0), { ...binary, control: { sipStatus: { code: 603 } } });
    assertTwirpError(sip, { status: 403, code: "permission_denied", msg: "twirp error unknown: sip status: 603 (GLOBAL_DECLINE)" });
    assert.ok(sip.text.endsWith("}\n"));
  });

  it("succeed as protobuf on the regions that do not fail", async () => {
    const reply = await twirp(t.url(0), listRooms, new Uint8Array(0), { ...binary, control: { failRegions: [1] } });
    assert.equal(reply.status, 200);
    assert.equal(reply.contentType, "application/protobuf");
    assert.equal(reply.region, "0");
  });

  it("drop the connection the same way", async () => {
    await assert.rejects(twirp(t.url(1), listRooms, new Uint8Array(0), { ...binary, control: { failRegions: [1], failMode: "drop" } }));
  });
});

describe("failMode drop", () => {
  const t = useServer();

  it("closes the connection without a byte, so fetch rejects", async () => {
    await assert.rejects(twirp(t.url(1), listRooms, {}, { control: { failRegions: [1], failMode: "drop" } }), TypeError);
  });

  it("is read case-insensitively and from the legacy header", async () => {
    await assert.rejects(twirp(t.url(0), listRooms, {}, { control: { failRegions: [0], failMode: "DROP" as "drop" } }));
    await assert.rejects(twirp(t.url(0), listRooms, {}, { headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Mode": "Drop" } }));
  });

  it("drops only on failing regions and leaves the listener healthy", async () => {
    const control = { failRegions: [0], failMode: "drop" as const };
    await assert.rejects(twirp(t.url(0), listRooms, {}, { control }));
    assert.equal((await twirp(t.url(2), listRooms, {}, { control })).status, 200);
    assert.equal((await twirp(t.url(0), listRooms, {})).status, 200);
    assert.equal((await get(t.url(0), "/_test/health")).text, "ok");
  });

  it("drops after the delay has elapsed", async () => {
    const started = performance.now();
    await assert.rejects(twirp(t.url(0), listRooms, {}, { control: { failRegions: [0], failMode: "drop", delayMs: 150 } }));
    assert.ok(performance.now() - started >= 140);
  });
});

describe("delays", { concurrency: true }, () => {
  const t = useServer();

  it("legacy failMode delay sleeps X-Lk-Mock-Delay-Ms and then fails with a status", async () => {
    const { value: reply, ms } = await timed(() =>
      twirp(
        t.url(0),
        listRooms,
        {},
        { headers: { "X-Lk-Mock-Fail-Regions": "0", "X-Lk-Mock-Fail-Mode": "delay", "X-Lk-Mock-Delay-Ms": "150" } },
      ),
    );
    assert.ok(ms >= 140, `waited ${ms} ms`);
    assert.ok(ms < 3000, `waited ${ms} ms`);
    assertTwirpError(reply, { status: 503, code: "unavailable" });
  });

  it("legacy failMode delay can be chosen in X-Lk-Mock, with the legacy delay header's duration", async () => {
    const { value: reply, ms } = await timed(() =>
      twirp(
        t.url(1),
        listRooms,
        {},
        { control: { failRegions: [1], failMode: "delay", failStatus: 429 }, headers: { "X-Lk-Mock-Delay-Ms": "+150" } },
      ),
    );
    assert.ok(ms >= 140, `waited ${ms} ms`);
    assert.equal(reply.status, 429);
  });

  it("legacy failMode delay adds its sleep to delayMs", async () => {
    const { value: reply, ms } = await timed(() =>
      twirp(
        t.url(2),
        listRooms,
        {},
        { control: { failRegions: [2], failMode: "delay", delayMs: 150 }, headers: { "X-Lk-Mock-Delay-Ms": "150" } },
      ),
    );
    assert.ok(ms >= 290, `waited ${ms} ms`);
    assert.equal(reply.status, 503);
  });

  it("X-Lk-Mock-Delay-Ms alone delays nothing: it only feeds failMode delay", async () => {
    const { value: reply, ms } = await timed(() => twirp(t.url(3), listRooms, {}, { headers: { "X-Lk-Mock-Delay-Ms": "3000" } }));
    assert.equal(reply.status, 200);
    assert.ok(ms < 1500, `waited ${ms} ms`);
  });

  it("delayMs delays a success on every region", async () => {
    const { value: reply, ms } = await timed(() => twirp(t.url(3), listRooms, {}, { control: { delayMs: 150 } }));
    assert.equal(reply.status, 200);
    assert.ok(ms >= 140, `waited ${ms} ms`);
  });

  it("delayMs delays a failRegions failure", async () => {
    const { value: reply, ms } = await timed(() => twirp(t.url(0), listRooms, {}, { control: { delayMs: 150, failRegions: [0] } }));
    assert.equal(reply.status, 503);
    assert.ok(ms >= 140, `waited ${ms} ms`);
  });

  it("CreateSIPParticipant with wait_until_answered takes its natural 11 s", async () => {
    const { value: reply, ms } = await timed(() =>
      twirp(t.url(0), createSip, { sipTrunkId: "ST_1", sipCallTo: "+1555", roomName: "r", waitUntilAnswered: true }),
    );
    assert.equal(reply.status, 200);
    assert.equal(reply.json().roomName, "r");
    assert.ok(ms >= 10_900, `answered after ${Math.round(ms)} ms`);
  });

  it("CreateSIPParticipant with wait_until_answered answers at once with delayMs 0", async () => {
    const { value: reply, ms } = await timed(() =>
      twirp(t.url(1), createSip, { roomName: "r", wait_until_answered: true }, { control: { delayMs: 0 } }),
    );
    assert.equal(reply.status, 200);
    assert.ok(ms < 1000, `answered after ${ms} ms`);
  });

  it("CreateSIPParticipant with wait_until_answered waits delayMs instead of 11 s", async () => {
    const { value: reply, ms } = await timed(() => twirp(t.url(1), createSip, { waitUntilAnswered: true }, { control: { delayMs: 200 } }));
    assert.equal(reply.status, 200);
    assert.ok(ms >= 190 && ms < 3000, `answered after ${ms} ms`);
  });

  it("a negative delayMs answers at once", async () => {
    const { value: reply, ms } = await timed(() => twirp(t.url(1), createSip, { waitUntilAnswered: true }, { control: { delayMs: -5 } }));
    assert.equal(reply.status, 200);
    assert.ok(ms < 1000, `answered after ${ms} ms`);
  });

  it("CreateSIPParticipant without wait_until_answered answers at once, in either codec", async () => {
    const json = await timed(() => twirp(t.url(2), createSip, { roomName: "r", waitUntilAnswered: false }));
    assert.equal(json.value.status, 200);
    assert.ok(json.ms < 1000);
    const binary = await timed(() => twirp(t.url(2), createSip, new Uint8Array(0), { codec: "binary" }));
    assert.equal(binary.value.status, 200);
    assert.ok(binary.ms < 1000);
  });

  it("TransferSIPParticipant has a natural latency: it has not answered after 1 s", async () => {
    const controller = new AbortController();
    let answered = false;
    const pending = twirp(t.url(2), transferSip, { participantIdentity: "p", transferTo: "tel:+1555" }, { signal: controller.signal }).then(
      () => (answered = true),
      (err: unknown) => err,
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(answered, false);
    controller.abort();
    const err = await pending;
    assert.equal((err as Error).name, "AbortError");
  });

  it("TransferSIPParticipant answers quickly with delayMs 50", async () => {
    const { value: reply, ms } = await timed(() =>
      twirp(t.url(3), transferSip, { participantIdentity: "p" }, { control: { delayMs: 50 } }),
    );
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json(), { transferId: "MOCK_TRANSFER_ID" });
    assert.ok(ms >= 45 && ms < 1000, `answered after ${ms} ms`);
  });

  it("refuses a delayMs above 2147483647 with a 400 naming the maximum, instead of answering at once", async () => {
    for (const delayMs of [2 ** 31, 2 ** 32 + 5, 2 ** 53]) {
      const { value: reply, ms } = await timed(() => twirp(t.url(0), listRooms, {}, { control: `{"delayMs":${delayMs}}` }));
      assertTwirpError(reply, {
        status: 400,
        code: "invalid_argument",
        msg: `mock: invalid control: X-Lk-Mock field delayMs must be an integer of at most 2147483647, got ${delayMs}`,
      });
      assert.ok(ms < 1000, `answered after ${ms} ms`);
    }
  });

  it("refuses an X-Lk-Mock-Delay-Ms above 2147483647 with a 400 naming the maximum", async () => {
    for (const value of ["2147483648", "+4294967296", "99999999999999999999"]) {
      const reply = await twirp(
        t.url(0),
        listRooms,
        {},
        { control: { failRegions: [0], failMode: "delay" }, headers: { "X-Lk-Mock-Delay-Ms": value } },
      );
      assertTwirpError(reply, {
        status: 400,
        code: "invalid_argument",
        msg: `mock: invalid control: header X-Lk-Mock-Delay-Ms must be a whole number of milliseconds of at most 2147483647, got ${JSON.stringify(value)}`,
      });
    }
  });

  it("honours the largest delayMs and the largest legacy delay: neither has answered after 1 s", async () => {
    const controller = new AbortController();
    let answered = 0;
    const pending = [
      twirp(t.url(1), listRooms, {}, { control: { delayMs: 2_147_483_647 }, signal: controller.signal }),
      twirp(
        t.url(2),
        listRooms,
        {},
        {
          control: { failRegions: [2], failMode: "delay" },
          headers: { "X-Lk-Mock-Delay-Ms": "2147483647" },
          signal: controller.signal,
        },
      ),
    ].map((p) =>
      p.then(
        () => answered++,
        (err: unknown) => err,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(answered, 0);
    controller.abort();
    for (const err of await Promise.all(pending)) assert.equal((err as Error).name, "AbortError");
  });

  // Inside the concurrent suite so its waits overlap the 11 s test.
  describe("a delayed request whose client goes away", () => {
    const lines: { at: number; entry: Record<string, unknown> }[] = [];
    let server: RunningServer;
    before(async () => {
      const logger = createLogger("info", "json", (line) =>
        lines.push({ at: performance.now(), entry: JSON.parse(line) as Record<string, unknown> }),
      );
      server = await startServer({ ports: [0, 0], bind: "127.0.0.1", logLevel: "info", logFormat: "json" }, logger);
    });
    after(() => server.close());

    it("is dropped at once, without an answer, and the server keeps serving", async () => {
      const controller = new AbortController();
      const pending = twirp(server.url(0), listRooms, {}, { control: { delayMs: 2000 }, signal: controller.signal });
      await new Promise((resolve) => setTimeout(resolve, 150));
      const abortedAt = performance.now();
      controller.abort();
      await assert.rejects(pending, { name: "AbortError" });

      // The pipeline notices the closed connection and gives up well before the 2 s delay ends.
      const deadline = abortedAt + 1000;
      let gone: (typeof lines)[number] | undefined;
      while (gone === undefined && performance.now() < deadline) {
        gone = lines.find((l) => l.entry["target"] === listRooms);
        if (gone === undefined) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.ok(gone !== undefined, "the request was logged within 1 s of the abort");
      assert.equal(gone.entry["status"], "client-gone");
      assert.ok(gone.at - abortedAt < 500, `logged ${Math.round(gone.at - abortedAt)} ms after the abort`);

      const reply = await twirp(server.url(0), listRooms, {});
      assert.equal(reply.status, 200);
      assert.deepEqual(reply.json(), { rooms: [{ sid: "MOCK_SID" }] });
      // Nothing else for the abandoned request shows up once its delay would have ended.
      await new Promise((resolve) => setTimeout(resolve, 2000 - (performance.now() - abortedAt) + 100));
      assert.deepEqual(
        lines.filter((l) => l.entry["target"] === listRooms).map((l) => l.entry["status"]),
        ["client-gone", 200],
      );
    });
  });
});
