// Our protojson against the pinned protocol's own encoder: every event we can send, and the
// awkward corners (field order, map key order, floats, escapes, int64), re-encoded by a Go program
// built on protocol's utils/protojson must come out the same bytes (Go's random separator spaces
// aside, which no receiver can depend on).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { before, describe, test } from "node:test";
import { create, type DescMessage } from "@bufbuild/protobuf";
import { methodStubs } from "../../generated/mock/index.js";
import type { ParticipantInfo_Kind } from "../../generated/livekit_models_pb.js";
import { ConnectionQualityInfoSchema } from "../../generated/livekit_rtc_pb.js";
import { WebhookEventSchema, type WebhookEvent } from "../../generated/livekit_webhook_pb.js";
import { compilePopulatePlan, populate } from "../../src/twirp/populate.js";
import { instant, toWebhookEvent } from "../../src/webhooks/event-shapes.js";
import { goProtojson } from "../../src/webhooks/go-protojson.js";
import { rpcEvents } from "../../src/webhooks/rpc-events.js";
import { sampleEvent } from "../../src/webhooks/sample-events.js";
import { webhookEventNames } from "../../src/webhooks/webhook-events.js";

const repo = fileURLToPath(new URL("../../", import.meta.url));
let goEncoder: string;

before(() => {
  mkdirSync(`${repo}.cache/webhooks`, { recursive: true });
  goEncoder = `${repo}.cache/webhooks/go-protojson`;
  execFileSync("go", ["build", "-o", goEncoder, "."], {
    cwd: `${repo}test/webhooks/go-protojson`,
    stdio: ["ignore", "inherit", "inherit"],
  });
});

/** Go's encoding of each line, with the whitespace its detrand adds removed (key order kept). */
function goEncode(lines: readonly string[]): string[] {
  const out = execFileSync(goEncoder, { input: lines.join("\n") + "\n", encoding: "utf8" })
    .trimEnd()
    .split("\n");
  return out.map((line) => {
    assert.ok(!line.startsWith("error:"), line);
    return JSON.stringify(JSON.parse(line));
  });
}

function populatedEvents(): WebhookEvent[] {
  const at = instant(new Date(1_700_000_000_123));
  return Object.entries(rpcEvents).flatMap(([key, entry]) => {
    const stub = methodStubs.find((s) => s.key === key)!;
    const request = create(stub.method.input as DescMessage, {});
    const response = populate(compilePopulatePlan(stub.method.output, stub.method.input), request);
    return entry.build(request, response, at).map(toWebhookEvent);
  });
}

const awkward: WebhookEvent[] = [
  create(WebhookEventSchema, {
    event: "participant_joined",
    id: "EV_escapes",
    createdAt: 9_007_199_254_740_993n,
    // Declared after `participant` but numbered 8: Go writes declaration order, not number order.
    track: { sid: "TR_1", name: 'quote " backslash \\ tab \t nl \n nul \u0000 del \u007f <>& \u2028 é 😀' },
    participant: {
      identity: "p",
      attributes: { b: "2", a: "1", é: "4", Z: "0", aa: "3", "😀": "5", "\u00ff": "6" },
      state: 2,
      kind: 99 as ParticipantInfo_Kind,
    },
    room: { name: "r", maxParticipants: 4294967295, creationTime: -1n },
  }),
  create(WebhookEventSchema, {
    event: "ingress_started",
    ingressInfo: {
      ingressId: "IN_floats",
      video: { encodingOptions: { case: "options", value: { frameRate: 29.97 } } },
      state: { video: { framerate: 1e21, averageBitrate: 1 }, tracks: [{ sid: "a" }, { sid: "b" }] },
    },
  }),
  create(WebhookEventSchema, {
    event: "ingress_updated",
    ingressInfo: { ingressId: "IN_small", video: { encodingOptions: { case: "options", value: { frameRate: 1.5e-7 } } } },
  }),
  create(WebhookEventSchema, {
    event: "egress_ended",
    egressInfo: {
      egressId: "EG_x",
      request: { case: "web", value: { url: "https://x", awaitStartSignal: true } },
      error: "",
      errorCode: 0,
    },
  }),
];

describe("protojson as the Go notifier writes it", () => {
  test("every sample event is byte-identical to Go's encoding", () => {
    const events = webhookEventNames.map((name) => toWebhookEvent(sampleEvent(name, instant(new Date(1_700_000_000_123)))));
    const ours = events.map((e) => goProtojson(WebhookEventSchema, e));
    assert.deepEqual(ours, goEncode(ours));
  });

  test("every event of the RPC table, built from a populated response, is byte-identical to Go's encoding", () => {
    const ours = populatedEvents().map((e) => goProtojson(WebhookEventSchema, e));
    assert.ok(ours.length >= 20);
    assert.deepEqual(ours, goEncode(ours));
  });

  test("field order, map key order, escapes, int64 and doubles match Go's", () => {
    const ours = awkward.map((e) => goProtojson(WebhookEventSchema, e));
    assert.deepEqual(ours, goEncode(ours));
    // What the comparison covers: protobuf-es alone would put `track` (8) before `participant`.
    assert.ok(ours[0]!.indexOf('"participant"') < ours[0]!.indexOf('"track"'));
    assert.ok(ours[0]!.includes('"attributes":{"Z":"0","a":"1","aa":"3","b":"2","é":"4","ÿ":"6","😀":"5"}'), ours[0]);
    assert.ok(ours[1]!.includes('"framerate":1e+21'), ours[1]);
    assert.ok(ours[2]!.includes('"frameRate":1.5e-7'), ours[2]);
  });

  test("a float32 is written as the shortest decimal that reads back as the same float32, as Go does", () => {
    const write = (score: number): string => goProtojson(ConnectionQualityInfoSchema, create(ConnectionQualityInfoSchema, { score }));
    assert.equal(write(0.1), '{"score":0.1}');
    assert.equal(write(Math.fround(0.1)), '{"score":0.1}');
    assert.equal(write(1 / 3), '{"score":0.33333334}');
    assert.equal(write(16777217), '{"score":16777216}');
    assert.equal(write(1e-7), '{"score":1e-7}');
    assert.equal(write(3e38), '{"score":3e+38}');
  });

  test("WebhookEvent reaches no well-known type, whose special JSON the writer does not reorder", () => {
    const seen = new Set<string>();
    const walk = (message: DescMessage): void => {
      if (seen.has(message.typeName)) return;
      seen.add(message.typeName);
      for (const field of message.fields) {
        if (field.fieldKind === "message" || (field.fieldKind === "list" && field.listKind === "message")) walk(field.message);
        if (field.fieldKind === "map" && field.mapKind === "message") walk(field.message);
      }
    };
    walk(WebhookEventSchema);
    assert.ok(seen.size > 20);
    assert.deepEqual(
      [...seen].filter((name) => name.startsWith("google.protobuf.")),
      [],
    );
  });
});
