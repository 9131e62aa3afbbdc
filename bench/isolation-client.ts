// Child process of isolation.ts: one connection keeps posting the largest bodies region 0 accepts
// while small `GET /settings/regions` go to region 1, spaced out so that some land while a big
// body is being decoded. Reports the small requests' latencies and every answer's status (the
// warm-up's included).
import { create, toBinary } from "@bufbuild/protobuf";
import { Agent, request } from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { UpdateSubscriptionsRequestSchema } from "../generated/livekit_room_pb.js";
import { report } from "./client-process.js";
import { percentile } from "./stats.js";

export interface IsolationConfig {
  readonly bigUrl: string;
  readonly smallUrl: string;
  readonly smallCount: number;
  readonly smallIntervalMs: number;
  /** The server's body limit: both bodies stay just under it. */
  readonly limitBytes: number;
}

export interface IsolationReport {
  readonly smallCalls: number;
  readonly smallP50Ms: number;
  readonly smallP99Ms: number;
  readonly bigCalls: number;
  readonly bigP50Ms: number;
  /** Status → count, small and big together; anything but 200 is a failed run. */
  readonly statuses: Record<string, number>;
}

const config = JSON.parse(process.argv[2]!) as IsolationConfig;
const skipAuth = JSON.stringify({ skipAuth: true });

/** UpdateParticipant with an `attributes` map of ~300k short keys: the JSON decoder's worst case per byte. */
function bigJson(): Buffer {
  const entry = (i: number): string => `"k${String(i).padStart(6, "0")}":""`;
  const keys = Math.floor((config.limitBytes - 64) / (entry(0).length + 1));
  const entries = Array.from({ length: keys }, (_, i) => entry(i));
  return Buffer.from(`{"room":"bench-room","identity":"bench","attributes":{${entries.join(",")}}}`);
}

/** UpdateSubscriptions with ~2M empty `track_sids`: two bytes per element, the binary decoder's worst case. */
function bigBinary(): Buffer {
  const head = toBinary(
    UpdateSubscriptionsRequestSchema,
    create(UpdateSubscriptionsRequestSchema, { room: "bench-room", identity: "bench" }),
  );
  const field = UpdateSubscriptionsRequestSchema.fields.find((f) => f.name === "track_sids")!.number;
  const element = Buffer.of((field << 3) | 2, 0);
  const count = Math.floor((config.limitBytes - head.length) / element.length);
  return Buffer.concat([head, Buffer.alloc(count * element.length, element)]);
}

const statuses: Record<string, number> = {};
function call(agent: Agent, url: string, method: string, headers: Record<string, string>, body?: Buffer): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { agent, method, headers }, (res) => {
      res.resume();
      res.once("end", () => {
        statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
        resolve(performance.now() - started);
      });
    });
    req.once("error", reject);
    req.end(body);
  });
}

const bodies = [
  { path: "/twirp/livekit.RoomService/UpdateParticipant", type: "application/json", body: bigJson() },
  { path: "/twirp/livekit.RoomService/UpdateSubscriptions", type: "application/protobuf", body: bigBinary() },
];
const bigAgent = new Agent({ keepAlive: true, maxSockets: 1 });
const smallAgent = new Agent({ keepAlive: true, maxSockets: 1 });
const regions = `${config.smallUrl}/settings/regions`;
const postBig = (i: number): Promise<number> => {
  const { path, type, body } = bodies[i % bodies.length]!;
  return call(bigAgent, `${config.bigUrl}${path}`, "POST", { "Content-Type": type, "X-Lk-Mock": skipAuth }, body);
};
// One of each body first: what a server starts lazily (a decoding worker, a compiled path) is a
// one-time cost, not the steady state measured here.
for (let i = 0; i < bodies.length; i++) await postBig(i);
await call(smallAgent, regions, "GET", {});

let stop = false;
const bigTimes: number[] = [];
const poster = (async () => {
  for (let i = 0; !stop; i++) bigTimes.push(await postBig(i));
})();

// Small requests go on until every kind of big body has been answered at least once while they ran.
const smallTimes: number[] = [];
while (smallTimes.length < config.smallCount || bigTimes.length < bodies.length) {
  await sleep(config.smallIntervalMs);
  smallTimes.push(await call(smallAgent, regions, "GET", {}));
}
stop = true;
await poster;
bigAgent.destroy();
smallAgent.destroy();
const result: IsolationReport = {
  smallCalls: smallTimes.length,
  smallP50Ms: percentile(smallTimes, 50),
  smallP99Ms: percentile(smallTimes, 99),
  bigCalls: bigTimes.length,
  bigP50Ms: percentile(bigTimes, 50),
  statuses,
};
report(result);
