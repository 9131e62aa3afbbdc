// The change report built from the bump fixtures' two versions (descriptors and Go files) and the
// mock's own tables: what it decides for a maintainer, the SIP mapping, the Go surface, the default
// answers, and the Markdown it renders.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { buildChangeReport, type ChangeReport, type ChangeReportInput } from "../../codegen/change-report.js";
import type { GrantTable } from "../../codegen/grant-table.js";
import { renderChangeReport } from "../../codegen/render-change-report.js";
import { twirpCodeOfSipStatus } from "../../src/twirp/sip-status.js";
import { buildBumpFixture, type BumpFixture } from "./fixture-registry.js";

const decided: GrantTable = {
  "livekit.RoomService": {
    CreateRoom: { enforced: true, required: ["video.roomCreate"], roomScope: "none" },
    ListRooms: { enforced: true, required: ["video.roomList"], roomScope: "none" },
    Reshaped: { enforced: true, required: ["video.roomAdmin"], roomScope: "room" },
    Archive: { enforced: true, required: ["video.roomAdmin"], roomScope: "room" },
  },
  "livekit.Greeter": { Hello: { enforced: false, reason: "fixture: nothing to guard" } },
};

let old: BumpFixture;
let now: BumpFixture;
let report: ChangeReport;

function build(overrides: Partial<ChangeReportInput> = {}): ChangeReport {
  return buildChangeReport({
    from: "v1.0.0",
    to: "v1.1.0",
    before: old.registry,
    after: now.registry,
    goBefore: old.go,
    goAfter: now.go,
    grantTable: decided,
    latencyTable: {},
    oursSip: twirpCodeOfSipStatus,
    oracleProtocol: "v0.9.0",
    ...overrides,
  });
}

before(() => {
  old = buildBumpFixture("before");
  now = buildBumpFixture("after");
  report = build();
});

describe("the change report's decisions", () => {
  test("with every RPC decided, nothing is undecided and each new RPC's grant and latency is named for review", () => {
    assert.deepEqual(report.undecided, []);
    assert.deepEqual(
      report.addedRpcs.map((r) => r.key),
      ["livekit.Greeter/Hello", "livekit.RoomService/Archive"],
    );
    assert.ok(
      report.decisions.some((d) => d.startsWith("livekit.RoomService/Archive is new: check its grant (video.roomAdmin, room scope room)")),
    );
    assert.ok(report.decisions.some((d) => d.includes("natural latency (none)")));
  });

  test("an RPC without a grant entry is undecided, the generator's own words, and leads the decisions", () => {
    const { Archive: _, ...rest } = decided["livekit.RoomService"]!;
    const stopped = build({ grantTable: { ...decided, "livekit.RoomService": rest } });
    assert.deepEqual(stopped.undecided, ["livekit.RoomService/Archive has no grant entry: decide its grant in codegen/grant-table.ts"]);
    assert.equal(stopped.decisions[0], stopped.undecided[0]);
    assert.equal(stopped.addedRpcs.find((r) => r.key === "livekit.RoomService/Archive")?.grant, undefined);
    assert.match(renderChangeReport(stopped), /Grant of `livekit.RoomService\/Archive`: \*\*undecided\*\*/);
  });

  test("a grant entry for an RPC that is gone is undecided too", () => {
    const stale = build({ grantTable: { ...decided, "livekit.Farewell": { Bye: { enforced: false, reason: "x" } } } });
    assert.deepEqual(stale.undecided, [
      "grant entry livekit.Farewell/Bye names no unary RPC of the protocol: remove it from codegen/grant-table.ts",
    ]);
  });

  test("a removed served RPC is named, alone or with its service, since its callers now get bad_route", () => {
    assert.ok(report.decisions.some((d) => d.startsWith("livekit.RoomService/Retired is gone")));
    assert.ok(report.decisions.some((d) => d.startsWith("livekit.Farewell/Bye is gone")));
  });

  test("a change of the protocol's SIP mapping, of its range rule and of xtwirp's codes is each a decision", () => {
    assert.ok(
      report.decisions.includes(
        "the protocol now maps SIP 486 SIP_STATUS_BUSY_HERE to resource_exhausted (was failed_precondition); the mock answers resource_exhausted: follow it in src/twirp/sip-status.ts or keep what the SDK suites assert",
      ),
    );
    assert.ok(report.decisions.some((d) => d.startsWith("SIPStatus.GRPCStatus (the rule for SIP codes outside the map) changed")));
    assert.ok(
      report.decisions.some((d) => d.startsWith("xtwirp now turns gRPC FailedPrecondition into unavailable (was failed_precondition)")),
    );
  });

  test("webhook events, grants, signal messages and other mirrored Go files that changed are each named", () => {
    assert.ok(report.decisions.some((d) => d.startsWith("the webhook event names changed")));
    assert.ok(report.decisions.some((d) => d.startsWith("token grants changed in auth/grants.go (ClaimGrants, StoreGrant, VideoGrant)")));
    assert.ok(report.decisions.some((d) => d.includes("the original (v0.9.0)")));
    assert.ok(report.decisions.some((d) => d.startsWith("livekit.SignalRequest changed (leave = 2")));
    assert.ok(report.decisions.includes("webhook/resource_queue.go changed: read the diff against src/webhooks/resource-queues.ts"));
  });

  test("a version compared with itself names nothing to decide", () => {
    const same = build({ before: now.registry, goBefore: now.go });
    assert.deepEqual(same.decisions, []);
    assert.deepEqual(same.answers, []);
    assert.match(renderChangeReport(same), /## Decisions\n\nNothing to decide/);
  });
});

describe("the SIP mapping comparison", () => {
  test("each SIP status gets the old and new protocol's Twirp code and the mock's", () => {
    assert.deepEqual(report.sip?.rows, [
      { code: 404, name: "SIP_STATUS_NOTFOUND", before: "not_found", after: "not_found", ours: "not_found" },
      {
        code: 480,
        name: "SIP_STATUS_TEMPORARILY_UNAVAILABLE",
        before: "failed_precondition",
        after: "unavailable",
        ours: "resource_exhausted",
      },
      { code: 486, name: "SIP_STATUS_BUSY_HERE", before: "failed_precondition", after: "resource_exhausted", ours: "resource_exhausted" },
      { code: 600, name: "SIP_STATUS_GLOBAL_BUSY_EVERYWHERE", before: undefined, after: "resource_exhausted", ours: "resource_exhausted" },
    ]);
    assert.deepEqual(
      report.sip?.changed.map((r) => r.code),
      [480, 486],
    );
    assert.deepEqual(
      report.sip?.oursDiffers.map((r) => r.code),
      [480],
    );
  });

  test("the mock's own mapping follows the SDK suites: 486 and 480 are resource_exhausted", () => {
    assert.equal(twirpCodeOfSipStatus(486), "resource_exhausted");
    assert.equal(twirpCodeOfSipStatus(480), "resource_exhausted");
    assert.equal(twirpCodeOfSipStatus(200), "");
  });

  test("a sip.go without its map is reported as unreadable, not as an empty mapping", () => {
    const unreadable = build({ goAfter: (path) => (path === "livekit/sip.go" ? "package livekit\n" : now.go(path)) });
    assert.equal(unreadable.sip, undefined);
    assert.ok(unreadable.decisions.some((d) => d.startsWith("the SIP status mapping could not be read")));
  });
});

describe("the Go surface", () => {
  test("webhook event names added and removed", () => {
    assert.deepEqual(report.go.webhookEvents, { added: ["track_published"], removed: ["egress_ended"] });
  });

  test('grant structs: JSON keys added, removed or retyped; json:"-" fields ignored', () => {
    assert.deepEqual(report.go.grants, [
      { struct: "ClaimGrants", added: [{ json: "store", goType: "*StoreGrant" }], removed: [], retyped: [] },
      { struct: "StoreGrant", added: [{ json: "read", goType: "bool" }], removed: [], retyped: [] },
      {
        struct: "VideoGrant",
        added: [{ json: "roomAdmin", goType: "bool" }],
        removed: [],
        retyped: [{ json: "room", before: "string", after: "[]string" }],
      },
    ]);
  });

  test("the mirrored files that differ, including one present at one version only", () => {
    assert.deepEqual(
      report.go.changedFiles.map((f) => f.path),
      ["auth/grants.go", "livekit/sip.go", "utils/xtwirp/errors.go", "webhook/consts.go", "webhook/resource_queue.go"],
    );
  });
});

describe("populated answers", () => {
  test("every served unary RPC a change touches gets its default answer at both versions", () => {
    assert.deepEqual(
      report.answers.map((a) => a.key),
      [
        "livekit.Farewell/Bye",
        "livekit.Greeter/Hello",
        "livekit.RoomService/Archive",
        "livekit.RoomService/CreateRoom",
        "livekit.RoomService/ListRooms",
        "livekit.RoomService/Reshaped",
        "livekit.RoomService/Retired",
      ],
    );
  });

  test("the answers are the server's populate output: id-like fields get placeholders, list fields one element", () => {
    const create = report.answers.find((a) => a.key === "livekit.RoomService/CreateRoom")!;
    assert.deepEqual(create.before, { sid: "MOCK_SID" });
    assert.deepEqual(create.after, { sid: "MOCK_SID", ownerId: "MOCK_OWNER_ID" });
    assert.deepEqual(create.echoes, ["name", "owner_id"]);
    const list = report.answers.find((a) => a.key === "livekit.RoomService/ListRooms")!;
    assert.deepEqual(list.after, { rooms: [{ sid: "MOCK_SID", ownerId: "MOCK_OWNER_ID" }] });
  });

  test("a new RPC has no answer before, a removed one none after", () => {
    assert.equal(report.answers.find((a) => a.key === "livekit.RoomService/Archive")!.before, undefined);
    assert.equal(report.answers.find((a) => a.key === "livekit.RoomService/Retired")!.after, undefined);
  });
});

describe("renderChangeReport", () => {
  let markdown: string;
  before(() => {
    markdown = renderChangeReport(report);
  });

  test("it is titled with both versions and names the original's protocol", () => {
    assert.ok(markdown.startsWith("# LiveKit protocol v1.0.0 → v1.1.0\n"));
    assert.match(markdown, /links protocol v0\.9\.0/);
  });

  test("it has every section, decisions first and numbered", () => {
    const headings = [...markdown.matchAll(/^## (.+)$/gm)].map((m) => m[1]);
    assert.deepEqual(headings, [
      "Decisions",
      "Services and RPCs",
      "Messages",
      "Enums",
      "SIP status codes",
      "Twirp error codes",
      "Webhook event names",
      "Signal messages",
      "Token grants",
      "Mirrored Go sources",
      "Populated answers",
    ]);
    assert.match(markdown, /## Decisions\n\n1\. /);
  });

  test("felt field changes are a table with where users meet them; unreached ones a list", () => {
    assert.match(
      markdown,
      /\| `livekit.Room` \| owner_id = 5 \(string\) added \| answer of Farewell\/Bye, Greeter\/Hello, RoomService\/Archive, RoomService\/CreateRoom and 3 more; webhook event \|/,
    );
    assert.match(markdown, /\| `livekit.CreateRoomRequest` \| server_id = 3 renamed node_id → server_id \|/);
    assert.match(markdown, /- `livekit.Unreached`: blob = 1 retyped string → bytes/);
  });

  test("enum changes name where they are felt", () => {
    assert.match(
      markdown,
      /- `livekit.RoomState`: ROOM_STATE_CLOSED = 3 added; ROOM_STATE_OLD = 2 removed; 1 renamed ROOM_STATE_OPEN → ROOM_STATE_ACTIVE \(signal response\)/,
    );
  });

  test("answers are text blocks (not JSON examples for the docs checker), with the before when it differs", () => {
    assert.ok(!markdown.includes("```json"));
    assert.match(
      markdown,
      /### `livekit.RoomService\/CreateRoom`\n\nCopies from the request when set: `name`, `owner_id`.\n\n```text\n\{\n  "sid": "MOCK_SID",\n  "ownerId": "MOCK_OWNER_ID"\n\}\n```\n\nBefore:/,
    );
    assert.match(markdown, /### `livekit.RoomService\/Retired`\n\nGone\./);
  });

  test("the Twirp section names the codes a failed SIP call gained and lost", () => {
    assert.match(markdown, /- gRPC FailedPrecondition: `failed_precondition` → `unavailable`/);
    assert.match(
      markdown,
      /Twirp codes a failed SIP call can now answer: resource_exhausted, unavailable; no longer: failed_precondition\./,
    );
  });
});
