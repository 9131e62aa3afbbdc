import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { createTokenVerifier } from "../../src/auth/verify-token.js";
import { signToken, testSecret } from "../support/tokens.js";
import { useServer } from "../support/server.js";
import { mockToken } from "./mock-token.js";

const server = useServer();
const validatePaths = ["/rtc/validate", "/rtc/v1/validate"] as const;

async function validate(
  path: string,
  token: string | undefined,
  init: RequestInit = {},
): Promise<{ status: number; body: string; cors: string | null }> {
  const url = new URL(path, server.url(1));
  if (token !== undefined) url.searchParams.set("access_token", token);
  const res = await fetch(url, init);
  return { status: res.status, body: await res.text(), cors: res.headers.get("access-control-allow-origin") };
}

for (const path of validatePaths) {
  describe(`GET ${path}`, () => {
    test("a happy token answers 200 success", async () => {
      assert.deepEqual(await validate(path, await mockToken()), { status: 200, body: "success", cors: "*" });
    });

    test("every WebSocket mode answers 200 success", async () => {
      for (const signal of [
        "happy",
        "no_first_message",
        "no_pong",
        "close_before_join",
        "close_when_connected",
        "drop_when_connected",
        "leave_when_connected",
        "leave_first_message",
        "leave_during_reconnect",
        "drop_on_close",
      ]) {
        assert.deepEqual(
          await validate(path, await mockToken({ signal, leaveAction: "RECONNECT" })),
          { status: 200, body: "success", cors: "*" },
          signal,
        );
      }
    });

    test("validate_500 answers 500 internal server error", async () => {
      assert.deepEqual(await validate(path, await mockToken({ signal: "validate_500" })), {
        status: 500,
        body: "internal server error",
        cors: "*",
      });
    });

    test("validate_service_not_found answers 404 without the room marker", async () => {
      assert.deepEqual(await validate(path, await mockToken({ signal: "validate_service_not_found" })), {
        status: 404,
        body: "404 page not found",
        cors: "*",
      });
    });

    test("room_not_found answers 404 requested room does not exist", async () => {
      assert.deepEqual(await validate(path, await mockToken({ signal: "room_not_found" })), {
        status: 404,
        body: "requested room does not exist",
        cors: "*",
      });
    });

    test("a missing, malformed, expired or wrongly signed token answers 401 with the verifier's reason", async () => {
      const verifier = createTokenVerifier(testSecret);
      for (const token of ["", "not-a-jwt", await signToken({ expiresIn: -120 }), await signToken({ secret: "other" })]) {
        const verified = await verifier.verify(token);
        assert.equal(verified.ok, false);
        const reason = verified.ok ? "" : verified.reason;
        assert.ok(reason !== "");
        assert.deepEqual(
          await validate(path, token === "" ? undefined : token),
          { status: 401, body: `invalid token: ${reason}`, cors: "*" },
          token,
        );
      }
    });

    test("an lk.mock attribute with a typo answers 400 naming the problem", async () => {
      const answer = await validate(path, await mockToken({ signal: "room_not_fund" }));
      assert.equal(answer.status, 400);
      assert.equal(answer.cors, "*");
      assert.match(answer.body, /^invalid lk\.mock attribute: unknown signal mode "room_not_fund" \(did you mean "room_not_found"\?\)/);
      const notJson = await validate(path, await mockToken("room_not_found"));
      assert.equal(notJson.status, 400);
      assert.match(notJson.body, /^invalid lk\.mock attribute: "room_not_found" is not JSON/);
    });
  });
}

describe("the validate endpoint", () => {
  test("answers any method, with the same CORS header", async () => {
    const token = await mockToken({ signal: "room_not_found" });
    for (const method of ["POST", "OPTIONS", "PUT", "DELETE"]) {
      assert.deepEqual(
        await validate("/rtc/validate", token, { method }),
        { status: 404, body: "requested room does not exist", cors: "*" },
        method,
      );
    }
  });

  test("takes the token from a Bearer header", async () => {
    const token = await mockToken({ signal: "validate_500" });
    const res = await fetch(new URL("/rtc/validate", server.url()), { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 500);
    assert.equal(await res.text(), "internal server error");
  });

  test("takes the token from a urlencoded or multipart form body", async () => {
    const token = await mockToken({ signal: "room_not_found" });
    const urlencoded = await validate("/rtc/validate", undefined, { method: "POST", body: new URLSearchParams({ access_token: token }) });
    assert.equal(urlencoded.status, 404);
    const form = new FormData();
    form.set("access_token", token);
    const multipart = await validate("/rtc/validate", undefined, { method: "POST", body: form });
    assert.equal(multipart.status, 404);
  });

  test("prefers the access_token parameter over the Authorization header", async () => {
    const res = await fetch(new URL(`/rtc/validate?access_token=${await mockToken({ signal: "validate_500" })}`, server.url()), {
      headers: { Authorization: `Bearer ${await mockToken({ signal: "room_not_found" })}` },
    });
    assert.equal(res.status, 500);
  });

  test("ignores X-Lk-Mock headers", async () => {
    const res = await fetch(new URL(`/rtc/validate?access_token=${await mockToken()}`, server.url(0)), {
      headers: { "X-Lk-Mock": JSON.stringify({ failRegions: [0], failStatus: 503 }) },
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), "success");
  });
});
