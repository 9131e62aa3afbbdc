// `livekit-test-server token`: the token it prints is accepted by the server for exactly the grants
// and room asked for, signed with the server's secret by default, and carries a checked `lk.mock`.
// Runs the built CLI (`npm run build` first) against an in-process server.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, test } from "node:test";
import { useServer } from "../support/server.js";
import { twirp } from "../support/twirp.js";

const cli = fileURLToPath(new URL("../../dist/src/cli.js", import.meta.url));
const lk = useServer();
const other = useServer({ apiSecret: "another-secret" });

interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function token(args: readonly string[], env: Record<string, string> = {}): Promise<Ran> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("LK_TEST_SERVER_")));
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, "token", ...args], { env: { ...clean, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr }),
    );
  });
}

async function mustToken(...args: string[]): Promise<string> {
  const ran = await token(args);
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(ran.stderr, "");
  assert.match(ran.stdout, /^[\w-]+\.[\w-]+\.[\w-]+\n$/);
  return ran.stdout.trim();
}

function payload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8")) as Record<string, unknown>;
}

describe("livekit-test-server token", { concurrency: true }, () => {
  test("prints a token the server accepts for the grants given, and refuses for the others", async () => {
    const jwt = await mustToken("--grant", "roomCreate");
    assert.equal((await twirp(lk.url(0), "livekit.RoomService/CreateRoom", { name: "r" }, { token: jwt })).status, 200);
    const denied = await twirp(lk.url(0), "livekit.RoomService/ListRooms", {}, { token: jwt });
    assert.equal(denied.status, 403, denied.text);
    assert.match(denied.text, /video\.roomList/);
  });

  test("takes grants comma-separated or repeated, with or without video., and sip grants", async () => {
    const jwt = await mustToken("--grant", "roomList,video.roomRecord", "--grant", "sip.call");
    assert.deepEqual(payload(jwt)["video"], { roomList: true, roomRecord: true });
    assert.deepEqual(payload(jwt)["sip"], { call: true });
    assert.equal((await twirp(lk.url(1), "livekit.RoomService/ListRooms", {}, { token: jwt })).status, 200);
    assert.equal((await twirp(lk.url(1), "livekit.SIP/CreateSIPParticipant", {}, { token: jwt })).status, 200);
  });

  test("scopes a room-admin token to --room", async () => {
    const jwt = await mustToken("--room", "my-room", "--grant", "roomAdmin");
    assert.equal((await twirp(lk.url(0), "livekit.RoomService/ListParticipants", { room: "my-room" }, { token: jwt })).status, 200);
    assert.equal((await twirp(lk.url(0), "livekit.RoomService/ListParticipants", { room: "other" }, { token: jwt })).status, 403);
  });

  test("sets identity, name, API key and lifetime as asked, and defaults to six hours", async () => {
    const claims = payload(await mustToken("--identity", "alice", "--name", "Alice", "--api-key", "APItest", "--ttl", "10m"));
    assert.deepEqual([claims["sub"], claims["jti"], claims["name"], claims["iss"]], ["alice", "alice", "Alice", "APItest"]);
    assert.equal((claims["exp"] as number) - (claims["nbf"] as number), 600);
    const defaults = payload(await mustToken());
    assert.equal(defaults["iss"], "devkey");
    assert.equal((defaults["exp"] as number) - (defaults["nbf"] as number), 6 * 3600);
  });

  test("signs with the server's secret: --api-secret, else LK_TEST_SERVER_API_SECRET, else secret", async () => {
    const byDefault = await mustToken("--grant", "roomList");
    assert.equal((await twirp(other.url(0), "livekit.RoomService/ListRooms", {}, { token: byDefault })).status, 401);
    const ran = await token(["--grant", "roomList"], { LK_TEST_SERVER_API_SECRET: "another-secret" });
    assert.equal((await twirp(other.url(0), "livekit.RoomService/ListRooms", {}, { token: ran.stdout.trim() })).status, 200);
    const flagged = await mustToken("--grant", "roomList", "--api-secret", "another-secret");
    assert.equal((await twirp(other.url(0), "livekit.RoomService/ListRooms", {}, { token: flagged })).status, 200);
  });

  test("signs --mock in as the lk.mock attribute, which the signal endpoints then follow", async () => {
    const value = '{"signal":"validate_500"}';
    const jwt = await mustToken("--identity", "alice", "--room", "r", "--grant", "roomJoin", "--mock", value);
    assert.deepEqual(payload(jwt)["attributes"], { "lk.mock": value });
    const validate = await fetch(`${lk.url(0)}/rtc/validate?access_token=${jwt}`);
    assert.equal(validate.status, 500);
  });

  test("refuses a misspelt grant, a malformed --mock and a bad --ttl with one line, printing no token", async () => {
    for (const [args, pattern] of [
      [["--grant", "roomAdmn"], /^token: unknown grant "roomAdmn" \(did you mean "roomAdmin"\?\); grants are roomCreate, /],
      [
        ["--mock", '{"signal":"hapy"}'],
        /^token: --mock: invalid lk\.mock attribute: unknown signal mode "hapy" \(did you mean "happy"\?\)/,
      ],
      [["--ttl", "soon"], /^token: invalid --ttl: "soon"/],
      [["--room", "a", "--room", "b"], /^token: --room is given twice$/],
      [["--rom", "a"], /^token: unknown argument "--rom"/],
    ] as const) {
      const ran = await token(args);
      assert.equal(ran.code, 1, args.join(" "));
      assert.equal(ran.stdout, "");
      const lines = ran.stderr.trimEnd().split("\n");
      assert.equal(lines.length, 1, ran.stderr);
      assert.match(lines[0]!, pattern);
    }
  });

  test("--help lists every flag and the grants", async () => {
    const ran = await token(["--help"]);
    assert.equal(ran.code, 0);
    for (const flag of [
      "--grant",
      "--room",
      "--destination-room",
      "--identity",
      "--name",
      "--ttl",
      "--api-key",
      "--api-secret",
      "--mock",
    ]) {
      assert.match(ran.stdout, new RegExp(`^  ${flag} <value>$`, "m"));
    }
    assert.match(ran.stdout, /LK_TEST_SERVER_API_SECRET/);
    assert.match(ran.stdout, /sip\.admin, sip\.call/);
  });
});
