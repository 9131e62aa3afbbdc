// /_test/methods and /_test/schema describe the running server; the schema is the one the strict
// parser enforces, so the docs' example headers must validate and a misspelled field must not.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { methodStubs, protocolVersion } from "../../generated/mock/index.js";
import { useServer } from "../support/server.js";

const lk = useServer();

const docs = ["README.md", ...readdirSync(new URL("../../docs/", import.meta.url)).map((name) => `docs/${name}`)]
  .filter((path) => path.endsWith(".md"))
  .map((path) => readFileSync(new URL(`../../${path}`, import.meta.url), "utf8"))
  .join("\n");
const docHeaders = [...docs.matchAll(/X-Lk-Mock: (\{[^'\\]*?\})'/g)].map((m) => m[1]!);

async function getJson(path: string): Promise<{ status: number; type: string | null; body: unknown }> {
  const response = await fetch(`${lk.url(1)}${path}`);
  return { status: response.status, type: response.headers.get("content-type"), body: await response.json() };
}

async function compiledSchema(): Promise<(value: unknown) => boolean> {
  const { body } = await getJson("/_test/schema");
  return new Ajv2020({ strict: false }).compile(body as object);
}

describe("GET /_test/methods", () => {
  test("lists every generated RPC with its types, grant and natural latency, and the protocol version", async () => {
    const { status, type, body } = await getJson("/_test/methods");
    assert.equal(status, 200);
    assert.equal(type, "application/json");
    const listing = body as {
      protocolVersion: string;
      methods: { key: string; input: string; output: string; grant: unknown; naturalLatency: unknown }[];
    };
    assert.equal(listing.protocolVersion, protocolVersion);
    assert.deepEqual(listing.methods.map((m) => m.key).sort(), methodStubs.map((s) => s.key).sort());
    const create = listing.methods.find((m) => m.key === "livekit.SIP/CreateSIPParticipant")!;
    assert.equal(create.input, "livekit.CreateSIPParticipantRequest");
    assert.equal(create.output, "livekit.SIPParticipantInfo");
    assert.deepEqual(create.grant, { enforced: true, required: ["sip.call"], roomScope: "none" });
    assert.deepEqual(create.naturalLatency, { ms: 11000, whenTrue: "wait_until_answered" });
    const listRooms = listing.methods.find((m) => m.key === "livekit.RoomService/ListRooms")!;
    assert.equal(listRooms.naturalLatency, null);
  });
});

describe("GET /_test/schema", () => {
  test("is a draft 2020-12 schema of a closed object with every field described", async () => {
    const { status, body } = await getJson("/_test/schema");
    assert.equal(status, 200);
    const schema = body as { $schema: string; additionalProperties: boolean; properties: Record<string, { description?: string }> };
    assert.equal(schema.$schema, "https://json-schema.org/draft/2020-12/schema");
    assert.equal(schema.additionalProperties, false);
    for (const [name, property] of Object.entries(schema.properties)) {
      assert.ok((property.description ?? "").length > 10, `${name} has no description`);
    }
  });

  test("accepts every example header in the README and docs/, and the server accepts them too", async () => {
    const validate = await compiledSchema();
    assert.ok(docHeaders.length >= 8, `found only ${docHeaders.length} example headers in the docs`);
    for (const header of docHeaders) {
      assert.ok(validate(JSON.parse(header)), `the schema rejects the docs example ${header}`);
      const response = await fetch(`${lk.url(3)}/settings/regions`, { headers: { "X-Lk-Mock": header } });
      assert.notEqual(response.status, 400, `the server rejects the docs example ${header}`);
    }
  });

  test("rejects a misspelled field, as the server does", async () => {
    const validate = await compiledSchema();
    const typo = { failRegion: [0] };
    assert.equal(validate(typo), false);
    const response = await fetch(`${lk.url(0)}/settings/regions`, { headers: { "X-Lk-Mock": JSON.stringify(typo) } });
    assert.equal(response.status, 400);
  });

  test("rejects what the parser rejects: a wrong type, an unknown mode, a sipStatus without code", async () => {
    const validate = await compiledSchema();
    for (const bad of [{ failStatus: "503" }, { failMode: "dorp" }, { sipStatus: { status: "Busy" } }, { failStatus: 700 }]) {
      assert.equal(validate(bad), false, `the schema accepts ${JSON.stringify(bad)}`);
      const response = await fetch(`${lk.url(0)}/settings/regions`, { headers: { "X-Lk-Mock": JSON.stringify(bad) } });
      assert.equal(response.status, 400, `the server accepts ${JSON.stringify(bad)}`);
    }
  });
});
