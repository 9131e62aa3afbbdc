// /_test/schema describes the lk.mock attribute beside the X-Lk-Mock header (at #/$defs/lkMock),
// derived from the same field table as the reader: what the schema accepts the server accepts,
// and a typo either of them refuses, the other refuses too.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { Ajv2020 } from "ajv/dist/2020.js";
import { parseSignalMock } from "../../src/signal/attribute/signal-mode.js";
import { signalFields } from "../../src/signal/attribute/signal-fields.js";
import { useServer } from "../support/server.js";
import { recipe, recipeNames } from "./readme-recipe.js";

const server = useServer();

async function schemas(): Promise<{ root: Record<string, unknown>; validate: (value: unknown) => boolean }> {
  const root = (await (await fetch(`${server.url()}/_test/schema`)).json()) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false });
  ajv.addSchema(root);
  const validate = ajv.getSchema(`${root["$id"] as string}#/$defs/lkMock`);
  assert.ok(validate !== undefined, "the schema has #/$defs/lkMock");
  return { root, validate: (value) => validate(value) as boolean };
}

const accepted = [
  {},
  { signal: "happy" },
  { signal: "leave_when_connected", leaveAction: "RECONNECT" },
  { joinDelayMs: 100, pingInterval: 1, pingTimeout: 2, join: { room: { metadata: "m" } } },
  {
    script: [
      { afterMs: 100, send: { roomUpdate: { room: { metadata: "m" } } } },
      { afterMs: 200, send: { refreshToken: "jwt" } },
      { afterMs: 300, close: { code: 4000, reason: "bye" } },
    ],
  },
  { script: [{ afterMs: 0, drop: true }] },
  { replies: { updateMetadata: { requestResponse: { reason: "NOT_ALLOWED" } }, ping: null } },
  { journal: "my-test.1" },
];

const refused = [
  { signal: "hapy" },
  { scrpit: [] },
  { script: [{ afterMs: 1 }] },
  { script: [{ afterMs: 1, drop: true, send: { refreshToken: "t" } }] },
  { script: [{ afterMs: -1, drop: true }] },
  { script: [{ afterMs: 1, send: { romUpdate: {} } }] },
  { script: [{ afterMs: 1, send: {} }] },
  { script: [{ afterMs: 1, drop: false }] },
  { replies: { updateMetdata: null } },
  { journal: "a b" },
  { pingInterval: -1 },
];

describe("GET /_test/schema, lk.mock part", () => {
  test("keeps the X-Lk-Mock schema at the root and adds lk.mock at #/$defs/lkMock with every field described", async () => {
    const { root } = await schemas();
    assert.equal(root["title"], "X-Lk-Mock");
    const lkMock = (
      root["$defs"] as Record<string, { properties: Record<string, { description: string }>; additionalProperties: boolean }>
    )["lkMock"]!;
    assert.equal(lkMock.additionalProperties, false);
    assert.deepEqual(Object.keys(lkMock.properties), Object.keys(signalFields));
    for (const [name, property] of Object.entries(lkMock.properties)) assert.ok(property.description.length > 10, name);
  });

  test("accepts what the server accepts", async () => {
    const { validate } = await schemas();
    for (const value of accepted) {
      assert.ok(validate(value), `the schema refuses ${JSON.stringify(value)}`);
      parseSignalMock(JSON.stringify(value));
    }
  });

  test("accepts every recipe in docs/signal.md", async () => {
    const { validate } = await schemas();
    for (const name of recipeNames) assert.ok(validate(recipe(name)), `the schema refuses the docs/signal.md recipe ${name}`);
  });

  test("refuses what the server refuses", async () => {
    const { validate } = await schemas();
    for (const value of refused) {
      assert.equal(validate(value), false, `the schema accepts ${JSON.stringify(value)}`);
      assert.throws(() => parseSignalMock(JSON.stringify(value)), /invalid lk\.mock attribute/);
    }
  });
});
