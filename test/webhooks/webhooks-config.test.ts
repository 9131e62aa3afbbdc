// The `webhooks` object is read by two strict parsers, the control header's and lk.mock's, each
// from its own field table: both tables must describe the same fields, required alike.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { controlFields } from "../../src/control/control-fields.js";
import { signalFields } from "../../src/signal/attribute/signal-fields.js";
import { webhooksConfigFields } from "../../src/webhooks/webhooks-config.js";

const expected = {
  names: Object.keys(webhooksConfigFields).sort(),
  required: Object.entries(webhooksConfigFields)
    .filter(([, required]) => required)
    .map(([name]) => name)
    .sort(),
};

describe("the webhooks object", () => {
  test("has the same fields, required alike, in the control header", () => {
    const value = controlFields.webhooks.value;
    assert.deepEqual({ names: Object.keys(value.properties).sort(), required: [...value.required].sort() }, expected);
  });

  test("has the same fields, required alike, in lk.mock", () => {
    const value = signalFields.webhooks.value;
    assert.deepEqual({ names: Object.keys(value.properties).sort(), required: [...value.required].sort() }, expected);
  });
});
