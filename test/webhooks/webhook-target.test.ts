// Webhooks go to loopback hosts only, unless --webhook-allow-hosts lists more.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { checkWebhookHost, normalizeAllowedHost, parseWebhookUrl, WebhookTargetError } from "../../src/webhooks/webhook-target.js";

const check = (url: string, allow: readonly string[] = []): void => checkWebhookHost(parseWebhookUrl(url), allow.map(normalizeAllowedHost));

describe("webhook targets", () => {
  test("loopback hosts are accepted in every spelling", () => {
    for (const url of [
      "http://127.0.0.1:3000/webhook",
      "http://127.8.9.10/",
      "http://127.1/",
      "http://localhost:8080/x",
      "http://LOCALHOST./x",
      "http://[::1]:9/",
      "http://[0:0:0:0:0:0:0:1]/",
      "http://[::ffff:127.0.0.1]/",
      "https://user:pw@127.0.0.1/hook?token=1",
    ]) {
      assert.doesNotThrow(() => check(url), url);
    }
  });

  test("any other host is refused with a message naming --webhook-allow-hosts", () => {
    for (const url of [
      "http://10.0.0.1/",
      "http://0.0.0.0:80/",
      "http://example.com/",
      "http://localhost.example.com/",
      "http://[::ffff:10.0.0.1]/",
      "http://[::2]/",
    ]) {
      assert.throws(
        () => check(url),
        (err: unknown) => err instanceof WebhookTargetError && /is not a loopback address.*--webhook-allow-hosts/.test(err.message),
        url,
      );
    }
  });

  test("hosts listed in --webhook-allow-hosts are accepted, matched as URL parsing spells them", () => {
    assert.doesNotThrow(() => check("http://Example.COM:8080/x", ["example.com"]));
    assert.doesNotThrow(() => check("http://10.0.0.1/", ["10.0.0.1"]));
    assert.doesNotThrow(() => check("http://[fd00::1]/", ["fd00:0:0:0:0:0:0:1"]));
    assert.doesNotThrow(() => check("http://[fd00::1]/", ["[fd00::1]"]));
    assert.throws(() => check("http://example.org/", ["example.com"]), WebhookTargetError);
  });

  test("`*` allows every host", () => {
    assert.doesNotThrow(() => check("http://203.0.113.9/", ["*"]));
  });

  test("a URL that is not absolute http(s) is refused", () => {
    assert.throws(() => parseWebhookUrl("127.0.0.1:3000/webhook"), /not an absolute URL|must be an http or https URL/);
    assert.throws(() => parseWebhookUrl("/webhook"), /not an absolute URL/);
    assert.throws(() => parseWebhookUrl("ftp://127.0.0.1/"), /must be an http or https URL/);
  });

  test("an allow-list entry that is not a bare host is refused", () => {
    for (const entry of ["http://example.com", "example.com:80", "exa mple.com", "", "a/b"]) {
      assert.throws(() => normalizeAllowedHost(entry), WebhookTargetError, entry);
    }
  });
});
