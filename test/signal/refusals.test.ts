// Every malformed lk.mock is refused the same way on the wire: validate answers 400 and the
// WebSocket upgrade is refused with 400, both with a plain-text body naming the problem; nothing is
// a 500 or a connection hung up, however deep the value nests (docs/spec/signal.md#strict-lk-mock).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { maxAttributeDepth } from "../../src/signal/attribute/attribute-json.js";
import { useServer } from "../support/server.js";
import { malformedMocks } from "./malformed-mocks.js";
import { mockToken } from "./mock-token.js";
import { handshakeLines, rawHandshake } from "./raw-websocket.js";
import { signalPaths } from "./signal-client.js";

const server = useServer();

async function bothAnswers(
  mock: Record<string, unknown> | string,
  path: string,
): Promise<{ validate: [number, string]; upgrade: [number, string] }> {
  const token = await mockToken(mock);
  const validate = await fetch(`${server.url()}${path}/validate?access_token=${token}`);
  const upgrade = await rawHandshake(`${server.url()}${path}?access_token=${token}`, handshakeLines());
  return { validate: [validate.status, await validate.text()], upgrade: [upgrade.status, upgrade.body] };
}

describe("a malformed lk.mock on the wire", { concurrency: 8 }, () => {
  for (const [name, mock, message] of malformedMocks) {
    test(`${name}: validate and the upgrade answer 400 naming it`, async () => {
      const { validate, upgrade } = await bothAnswers(mock, signalPaths[name.length % 2]!);
      assert.equal(validate[0], 400);
      assert.equal(upgrade[0], 400);
      assert.equal(upgrade[1], validate[1]);
      assert.match(validate[1].replace(/^invalid lk\.mock attribute: /, ""), message);
    });
  }

  // The token travels in the URL; 5,000 levels keep it within Node's default header limit, and
  // were enough to overflow the stack when the old reader quoted the value back.
  for (const depth of [maxAttributeDepth + 1, 5_000]) {
    test(`an attribute nested ${depth} levels deep: 400 naming the nesting limit`, async () => {
      const mock = `{"signal":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;
      const { validate, upgrade } = await bothAnswers(mock, "/rtc");
      const expected = new RegExp(`^invalid lk\\.mock attribute: the value nests deeper than ${maxAttributeDepth} levels`);
      assert.equal(validate[0], 400);
      assert.match(validate[1], expected);
      assert.deepEqual(upgrade, validate);
    });
  }
});
