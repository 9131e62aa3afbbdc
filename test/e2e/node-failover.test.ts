// Region failover as the SDKs implement it, through the Node SDK's own request layer (TwirpRpc:
// retry on transport errors and 5xx, discover regions at /settings/regions, try each untried
// region once, up to three attempts; never retry a 4xx), and what it makes of each fault of the
// fault menu. The request log and the journal tell which region answered what.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { AccessToken } from "livekit-server-sdk";
import { createLogger, type RequestOutcome } from "../../src/server/request-log.js";
import { startServer, type RunningServer } from "../../src/server/start-server.js";
import { testApiKey, testSecret } from "../support/tokens.js";

interface TwirpRpcLike {
  request(service: string, method: string, data: unknown, headers: Record<string, string>, timeout?: number): Promise<unknown>;
}
type TwirpRpcClass = new (host: string, pkg: string, options: Record<string, unknown>) => TwirpRpcLike;

// The SDK does not export its request layer by name, so it is loaded from the SDK's own files.
const sdkDist = dirname(createRequire(import.meta.url).resolve("livekit-server-sdk"));
const { TwirpRpc } = (await import(pathToFileURL(join(sdkDist, "TwirpRPC.js")).href)) as { TwirpRpc: TwirpRpcClass };

let server: RunningServer;
const outcomes: RequestOutcome[] = [];

before(async () => {
  const log = createLogger("info", "text", () => {});
  const capture = { ...log, request: (o: RequestOutcome) => void outcomes.push(o) };
  server = await startServer({ ports: [0, 0, 0, 0], bind: "127.0.0.1" }, capture);
});
after(() => server.close());

/** What the SDK threw: its ServerError (status, code, message), or what fetch threw. */
interface SdkError {
  readonly name?: string;
  readonly message?: string;
  readonly status?: number;
  readonly code?: unknown;
  readonly cause?: { readonly code?: string };
}

/** ListRooms through the SDK's request layer; `timeoutSeconds` is its per-attempt timeout (default 10). */
async function listRooms(control: object, timeoutSeconds?: number): Promise<{ result?: unknown; error?: SdkError; log: string[] }> {
  outcomes.length = 0;
  const token = new AccessToken(testApiKey, testSecret);
  token.addGrant({ roomList: true });
  const rpc = new TwirpRpc(server.url(0), "livekit", { failoverForce: true, failoverBackoffMs: 0 });
  const headers = { Authorization: `Bearer ${await token.toJwt()}`, "X-Lk-Mock": JSON.stringify(control) };
  const log = () => outcomes.filter((o) => o.target !== "GET /settings/regions").map((o) => `${o.region} ${o.status}`);
  try {
    return { result: await rpc.request("RoomService", "ListRooms", {}, headers, timeoutSeconds), log: log() };
  } catch (error) {
    return { error: error as SdkError, log: log() };
  }
}

describe("Node SDK failover against the mock's regions", { concurrency: false }, () => {
  test("a healthy region 0 answers at once", async () => {
    const { result, log } = await listRooms({});
    assert.deepEqual(result, { rooms: [{ sid: "MOCK_SID" }] });
    assert.deepEqual(log, ["region-0 200"]);
  });

  test("a failing region 0 fails over to region 1", async () => {
    const { result, log } = await listRooms({ failRegions: [0] });
    assert.deepEqual(result, { rooms: [{ sid: "MOCK_SID" }] });
    assert.deepEqual(log, ["region-0 503", "region-1 200"]);
  });

  test("failing regions 0 and 1 fail over to region 2", async () => {
    const { result, log } = await listRooms({ failRegions: [0, 1] });
    assert.deepEqual(result, { rooms: [{ sid: "MOCK_SID" }] });
    assert.deepEqual(log, ["region-0 503", "region-1 503", "region-2 200"]);
  });

  test("with every region down the SDK gives up after three attempts with unavailable", async () => {
    const { error, log } = await listRooms({ failRegions: [0, 1, 2, 3] });
    assert.equal(error?.status, 503);
    assert.equal(error?.code, "unavailable");
    assert.deepEqual(log, ["region-0 503", "region-1 503", "region-2 503"]);
  });

  test("a 4xx failure is not retried", async () => {
    const { error, log } = await listRooms({ failRegions: [0], failStatus: 429 });
    assert.equal(error?.status, 429);
    assert.equal(error?.code, "resource_exhausted");
    assert.deepEqual(log, ["region-0 429"]);
  });

  test("a dropped connection fails over like a 5xx", async () => {
    const { result, log } = await listRooms({ failRegions: [0], failMode: "drop" });
    assert.deepEqual(result, { rooms: [{ sid: "MOCK_SID" }] });
    assert.deepEqual(log, ["region-0 dropped", "region-1 200"]);
  });

  test("when region discovery is down the first failure is final", async () => {
    const { error, log } = await listRooms({ failRegions: [0], regionsStatus: 500 });
    assert.equal(error?.status, 503);
    assert.deepEqual(log, ["region-0 503"]);
    assert.ok(
      outcomes.some((o) => o.target === "GET /settings/regions" && o.status === 500),
      "discovery was not asked",
    );
  });
});

describe("the journal shows what the Node SDK's failover did", { concurrency: false }, () => {
  async function journal(key: string): Promise<{ region: string; route: string; status: number | null; outcome: string }[]> {
    const readout = (await (await fetch(`${server.url(3)}/_test/journal/${key}`)).json()) as {
      entries: { region: string; route: string; status: number | null; outcome: string }[];
    };
    return readout.entries.map(({ region, route, status, outcome }) => ({ region, route, status, outcome }));
  }

  test("with failRegions [0, 1]: the first attempt, the discovery call, then each region in turn", async () => {
    const key = `failover-${Date.now()}`;
    const { result } = await listRooms({ failRegions: [0, 1], journal: key });
    assert.deepEqual(result, { rooms: [{ sid: "MOCK_SID" }] });
    const route = "livekit.RoomService/ListRooms";
    assert.deepEqual(await journal(key), [
      { region: "region-0", route, status: 503, outcome: "answered" },
      { region: "region-0", route: "regions", status: 200, outcome: "answered" },
      { region: "region-1", route, status: 503, outcome: "answered" },
      { region: "region-2", route, status: 200, outcome: "answered" },
    ]);
  });

  test("with fault menu resets on regions 0 and 1, the SDK fails over just the same", async () => {
    const key = `reset-${Date.now()}`;
    const { result } = await listRooms({ regions: { "0": { failMode: "reset" }, "1": { failMode: "reset" } }, journal: key });
    assert.deepEqual(result, { rooms: [{ sid: "MOCK_SID" }] });
    assert.deepEqual(
      (await journal(key)).map((e) => `${e.region} ${e.route} ${e.outcome}`),
      [
        "region-0 livekit.RoomService/ListRooms reset",
        "region-0 regions answered",
        "region-1 livekit.RoomService/ListRooms reset",
        "region-2 livekit.RoomService/ListRooms answered",
      ],
    );
  });

  test("failFirst: 1 on a single region: the SDK's retry meets a healthy region", async () => {
    const key = `first-${Date.now()}`;
    const { result, log } = await listRooms({ failFirst: 1, journal: key });
    assert.deepEqual(result, { rooms: [{ sid: "MOCK_SID" }] });
    assert.deepEqual(log, ["region-0 503", "region-1 200"]);
  });

  test("intermediary: an HTML 502 from a load balancer is retried on the next region", async () => {
    const key = `lb-${Date.now()}`;
    const { result, log } = await listRooms({ failRegions: [0], failMode: "intermediary", journal: key });
    assert.deepEqual(result, { rooms: [{ sid: "MOCK_SID" }] });
    assert.deepEqual(log, ["region-0 502 intermediary", "region-1 200"]);
  });
});

describe("each fault of the menu through the Node SDK's request layer", { concurrency: false }, () => {
  const populated = { rooms: [{ sid: "MOCK_SID" }] };
  const route = "livekit.RoomService/ListRooms";
  let calls = 0;

  /** ListRooms under a fresh journal key, timed. */
  async function call(control: object, timeoutSeconds?: number) {
    const key = `fault-${++calls}-${Date.now()}`;
    const started = performance.now();
    const { result, error } = await listRooms({ ...control, journal: key }, timeoutSeconds);
    return { result, error, key, ms: performance.now() - started };
  }

  /**
   * The journal as "<region> <route> <status or outcome>" lines, once the expected number of calls
   * are over: for a client that gave up, the server finishes the call a moment after the SDK returned.
   */
  async function assertJournal(key: string, expected: string[]): Promise<void> {
    const { entries } = (await (await fetch(`${server.url(3)}/_test/journal/${key}?wait=5000&min=${expected.length}`)).json()) as {
      entries: { region: string; route: string; status: number | null; outcome: string }[];
    };
    const lines = entries.map((e) => `${e.region} ${e.route} ${e.outcome === "answered" ? e.status : e.outcome}`);
    assert.deepEqual(lines, expected);
  }

  // The SDK retries a transport error or a 5xx status line; these break before or at the body.
  for (const failMode of ["reset", "garbage", "close-after-headers", "truncated-body"]) {
    test(`${failMode} on region 0: the SDK fails over to region 1`, async (t) => {
      t.mock.method(console, "warn", () => {});
      const { result, key } = await call({ failRegions: [0], failMode });
      assert.deepEqual(result, populated);
      await assertJournal(key, [`region-0 ${route} ${failMode}`, "region-0 regions 200", `region-1 ${route} 200`]);
    });
  }

  // Below five seconds of timeout the SDK makes a single attempt, and the fault reaches the caller.
  test("reset with a single attempt: fetch's TypeError, caused by ECONNRESET", async () => {
    const { error, key } = await call({ failRegions: [0], failMode: "reset" }, 1);
    assert.equal(error?.name, "TypeError");
    assert.equal(error?.message, "fetch failed");
    assert.equal(error?.cause?.code, "ECONNRESET");
    await assertJournal(key, [`region-0 ${route} reset`]);
  });

  test("drop with a single attempt: fetch's TypeError, caused by the closed socket", async () => {
    const { error, key } = await call({ failRegions: [0], failMode: "drop" }, 1);
    assert.equal(error?.name, "TypeError");
    assert.equal(error?.message, "fetch failed");
    assert.equal(error?.cause?.code, "UND_ERR_SOCKET");
    await assertJournal(key, [`region-0 ${route} dropped`]);
  });

  test("garbage with a single attempt: fetch's TypeError, caused by the HTTP parser", async () => {
    const { error, key } = await call({ failRegions: [0], failMode: "garbage" }, 1);
    assert.equal(error?.name, "TypeError");
    assert.equal(error?.message, "fetch failed");
    // undici names the parser's error by its llhttp code, and by its class name alone when the
    // parser stopped without one; either way it is the parser that failed, which is what is asserted.
    const cause = error?.cause as { code?: string; name?: string; message?: string } | undefined;
    assert.ok(
      /^HPE_/.test(cause?.code ?? "") || cause?.name === "HTTPParserError",
      `expected the HTTP parser's error as the cause, got ${cause?.name} ${cause?.code} ${cause?.message}`,
    );
    await assertJournal(key, [`region-0 ${route} garbage`]);
  });

  // The SDK reads the error body only to describe the error; when that read fails it keeps the
  // status and falls back to a generic message with no code.
  for (const failMode of ["close-after-headers", "truncated-body"]) {
    test(`${failMode} with a single attempt: the 503 with "Unknown internal error" and no code`, async (t) => {
      t.mock.method(console, "debug", () => {});
      const { error, key } = await call({ failRegions: [0], failMode }, 1);
      assert.equal(error?.status, 503);
      assert.equal(error?.code, undefined);
      assert.equal(error?.message, "Unknown internal error");
      await assertJournal(key, [`region-0 ${route} ${failMode}`]);
    });
  }

  test("close-after-headers with a 4xx is not retried, and its code is lost", async (t) => {
    t.mock.method(console, "debug", () => {});
    const { error, key } = await call({ failRegions: [0], failMode: "close-after-headers", failStatus: 429 });
    assert.equal(error?.status, 429);
    assert.equal(error?.code, undefined);
    assert.equal(error?.message, "Unknown internal error");
    await assertJournal(key, [`region-0 ${route} close-after-headers`]);
  });

  // The SDK decides on the status line: an ok one is final, and a body that breaks after it
  // rejects the call from the body read, never retried.
  test("close-after-headers with a 200: fetch's body read fails, and the SDK does not fail over", async () => {
    const { error, key } = await call({ failRegions: [0], failMode: "close-after-headers", failStatus: 200 });
    assert.equal(error?.name, "TypeError");
    assert.equal(error?.message, "terminated");
    assert.equal(error?.cause?.code, "UND_ERR_RES_CONTENT_LENGTH_MISMATCH");
    await assertJournal(key, [`region-0 ${route} close-after-headers`]);
  });

  // Unlike Go's Twirp client, the SDK does not classify an intermediary's page: the error has the
  // status, the status text as its name, the page as its message, and no code.
  test("intermediary with a single attempt: the 502, its HTML page as the message", async () => {
    const { error, key } = await call({ failRegions: [0], failMode: "intermediary" }, 1);
    assert.equal(error?.status, 502);
    assert.equal(error?.name, "Bad Gateway");
    assert.equal(error?.code, undefined);
    assert.match(error?.message ?? "", /^<html>\r\n<head><title>502 Bad Gateway<\/title>/);
    await assertJournal(key, [`region-0 ${route} intermediary`]);
  });

  test("hang with a short timeout: the SDK's TimeoutError at the timeout, a single attempt", async () => {
    const { error, key, ms } = await call({ failRegions: [0], failMode: "hang" }, 0.3);
    assert.equal(error?.name, "TimeoutError");
    assert.ok(ms >= 290 && ms < 2000, `gave up after ${ms} ms`);
    await assertJournal(key, [`region-0 ${route} hang`]);
  });

  // Five seconds is the shortest timeout with which the SDK fails over; each attempt has all of it.
  test("hang with a 5 s timeout: the first attempt times out, the SDK fails over to region 1", async (t) => {
    t.mock.method(console, "warn", () => {});
    const { result, key, ms } = await call({ failMode: "hang", failFirst: 1 }, 5);
    assert.deepEqual(result, populated);
    assert.ok(ms >= 4990, `answered after ${ms} ms`);
    await assertJournal(key, [`region-0 ${route} hang`, "region-0 regions 200", `region-1 ${route} 200`]);
  });

  // 30 JSON bytes at 60 bytes/s: about half a second.
  test("slow-body within the timeout: the answer, late, from region 0", async () => {
    const { result, key, ms } = await call({ failRegions: [0], failMode: "slow-body", slowBytesPerSec: 60 });
    assert.deepEqual(result, populated);
    assert.ok(ms >= 400, `answered after ${ms} ms`);
    await assertJournal(key, [`region-0 ${route} slow-body`]);
  });

  test("slow-body past a short timeout: the SDK's TimeoutError while reading the body", async () => {
    const { error, key, ms } = await call({ failRegions: [0], failMode: "slow-body", slowBytesPerSec: 5 }, 1);
    assert.equal(error?.name, "TimeoutError");
    assert.ok(ms >= 990 && ms < 3000, `gave up after ${ms} ms`);
    await assertJournal(key, [`region-0 ${route} client-gone`]);
  });
});
