// Region failover as the SDKs implement it, through the Node SDK's own request layer (TwirpRpc:
// retry on transport errors and 5xx, discover regions at /settings/regions, try each untried
// region once, up to three attempts; never retry a 4xx). The request log tells which region
// answered what.
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

async function listRooms(control: object): Promise<{ result?: unknown; error?: { status?: number; code?: string }; log: string[] }> {
  outcomes.length = 0;
  const token = new AccessToken(testApiKey, testSecret);
  token.addGrant({ roomList: true });
  const rpc = new TwirpRpc(server.url(0), "livekit", { failoverForce: true, failoverBackoffMs: 0 });
  const headers = { Authorization: `Bearer ${await token.toJwt()}`, "X-Lk-Mock": JSON.stringify(control) };
  const log = () => outcomes.filter((o) => o.target !== "GET /settings/regions").map((o) => `${o.region} ${o.status}`);
  try {
    return { result: await rpc.request("RoomService", "ListRooms", {}, headers), log: log() };
  } catch (error) {
    return { error: error as { status?: number; code?: string }, log: log() };
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
