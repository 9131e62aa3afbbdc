// Webhooks go to loopback hosts only, unless --webhook-allow-hosts lists more
// (docs/spec/webhooks.md#targets).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  checkWebhookHost,
  normalizeAllowedHost,
  parseAllowHosts,
  parseWebhookUrl,
  WebhookTargetError,
} from "../../src/webhooks/webhook-target.js";

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
    for (const entry of ["http://example.com", "example.com:80", "exa mple.com", "", "a/b", ".", "a..b", ".example.com", "%41.com"]) {
      assert.throws(() => normalizeAllowedHost(entry), WebhookTargetError, entry);
    }
  });

  test("*.name allows every subdomain of the name, at any depth, but not the name itself", () => {
    for (const url of ["http://a.example.com/", "http://a.b.example.com:8080/x", "http://A.Example.COM./"]) {
      assert.doesNotThrow(() => check(url, ["*.example.com"]), url);
    }
    for (const url of ["http://example.com/", "http://badexample.com/", "http://example.com.evil.org/", "http://10.0.0.1/"]) {
      assert.throws(() => check(url, ["*.Example.com."]), /is not a loopback address/, url);
    }
  });

  test("a * anywhere but as the whole entry or the first label of a name is refused, saying where it may stand", () => {
    for (const entry of ["*example.com", "a.*.com", "*.*.com", "ex*ample.com", "*.", "*.1.2.3.4", "*.[::1]"]) {
      assert.throws(
        () => normalizeAllowedHost(entry),
        (err: unknown) =>
          err instanceof WebhookTargetError &&
          /\* stands alone \(any host\) or as the first label of a name \(\*\.example\.com, every subdomain of example\.com\)$/.test(
            err.message,
          ),
        entry,
      );
    }
  });

  test("the option's value: empty means none, and an empty entry anywhere is refused with its position", () => {
    assert.deepEqual(parseAllowHosts(""), []);
    assert.deepEqual(parseAllowHosts("  "), []);
    assert.deepEqual(parseAllowHosts(" Example.com , 10.0.0.1,*.svc.local"), ["example.com", "10.0.0.1", "*.svc.local"]);
    for (const [value, position] of [
      ["a,", 2],
      [",a", 1],
      ["a,,b", 2],
      ["a, ,b", 2],
      [",", 1],
    ] as const) {
      assert.throws(
        () => parseAllowHosts(value),
        (err: unknown) => err instanceof WebhookTargetError && err.message === `entry ${position} is empty: remove the stray comma`,
        value,
      );
    }
  });
});
