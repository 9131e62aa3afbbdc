// /settings/regions (docs/spec/regions.md#settings-regions): the region list, `regionsStatus`, the
// pin filter, and what does not affect it.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { create, toJsonString } from "@bufbuild/protobuf";
import { RegionSettingsSchema } from "../../generated/livekit_rtc_pb.js";
import { regionSettingsJson } from "../../src/server/handle-regions.js";
import { createRegion } from "../../src/shared/region.js";
import { startServer } from "../../src/server/start-server.js";
import { useServer } from "../support/server.js";
import { assertTwirpError, get, type TwirpReply } from "../support/twirp.js";

describe("/settings/regions", () => {
  const t = useServer();
  const regions = (region = 0, headers: Record<string, string> = {}, method = "GET"): Promise<TwirpReply> =>
    get(t.url(region), "/settings/regions", { method, headers });
  const entry = (i: number): string => `{"region":"region-${i}","url":"${t.url(i)}"${i === 0 ? "" : `,"distance":"${i}"`}}`;

  it("lists every region in port order with its advertised URL and distance, byte for byte", async () => {
    const reply = await regions();
    assert.equal(reply.status, 200);
    assert.equal(reply.text, `{"regions":[${[0, 1, 2, 3].map(entry).join(",")}]}`);
    assert.match(t.url(0), /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it("answers with Content-Type application/json, Cache-Control max-age=0 and the listener's region", async () => {
    for (const i of [0, 1, 2, 3]) {
      const reply = await regions(i);
      assert.equal(reply.contentType, "application/json");
      assert.equal(reply.headers.get("cache-control"), "max-age=0");
      assert.equal(reply.region, String(i));
    }
  });

  it("answers any method and ignores the query string", async () => {
    for (const method of ["POST", "PUT", "DELETE"]) {
      assert.equal((await regions(0, {}, method)).status, 200, method);
    }
    const reply = await get(t.url(), "/settings/regions?region=2");
    assert.equal(JSON.parse(reply.text).regions.length, 4);
  });

  it("answers only the regionsStatus with an empty body and no headers of its own", async () => {
    for (const status of [500, 503, 404, 429]) {
      const reply = await regions(1, { "X-Lk-Mock": JSON.stringify({ regionsStatus: status }) });
      assert.equal(reply.status, status);
      assert.equal(reply.bytes.length, 0);
      assert.equal(reply.contentType, null);
      assert.equal(reply.region, null);
    }
  });

  it("answers normally when regionsStatus is 200", async () => {
    const reply = await regions(0, { "X-Lk-Mock": '{"regionsStatus":200}' });
    assert.equal(reply.status, 200);
    assert.equal(JSON.parse(reply.text).regions.length, 4);
  });

  it("reads regionsStatus from the legacy X-Lk-Mock-Regions-Status header, trimmed", async () => {
    const reply = await regions(0, { "X-Lk-Mock-Regions-Status": " 502 " });
    assert.equal(reply.status, 502);
    assert.equal(reply.bytes.length, 0);
  });

  it("keeps only the pinned regions, in original order with their original distance, ignoring unknown names", async () => {
    const reply = await regions(3, { "X-Lk-Mock": JSON.stringify({ pinnedRegions: ["region-2", "nowhere", "region-0"] }) });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, `{"regions":[${entry(0)},${entry(2)}]}`);
    assert.equal(reply.region, "3", "answered by a region that is not pinned");
  });

  it("answers {} when the pin filter leaves no region", async () => {
    const reply = await regions(0, { "X-Lk-Mock": JSON.stringify({ pinnedRegions: ["Region-0"] }) });
    assert.equal(reply.status, 200);
    assert.equal(reply.text, "{}");
  });

  it("is not affected by failRegions, delayMs, sipStatus or a missing token", async () => {
    const control = { failRegions: [0, 1, 2, 3], failMode: "drop", delayMs: 60_000, sipStatus: { code: 486 }, skipAuth: false };
    const started = performance.now();
    const reply = await regions(0, { "X-Lk-Mock": JSON.stringify(control) });
    assert.ok(performance.now() - started < 30_000, "no delay");
    assert.equal(reply.status, 200);
    assert.equal(JSON.parse(reply.text).regions.length, 4);
  });

  it("refuses an invalid control header with a 400 naming the field", async () => {
    const reply = await regions(0, { "X-Lk-Mock": '{"regionStatus":503}' });
    assertTwirpError(reply, {
      status: 400,
      code: "invalid_argument",
      msgStartsWith: "mock: invalid control",
      msgIncludes: ["regionStatus", "regionsStatus"],
    });
  });
});

describe("/settings/regions with another advertised host", () => {
  const t = useServer({ ports: [0, 0], advertiseHost: "https://localhost//" });

  it("advertises <host>:<port> for each region, without the host's trailing slashes", async () => {
    const ports = t.server.regions.map((r) => r.port);
    // The advertised URL is not where this listener is reached; connect on loopback directly.
    const reply = await get(`http://127.0.0.1:${ports[0]}`, "/settings/regions");
    assert.equal(
      reply.text,
      `{"regions":[{"region":"region-0","url":"https://localhost:${ports[0]}"},{"region":"region-1","url":"https://localhost:${ports[1]}","distance":"1"}]}`,
    );
  });
});

describe("the regions answer, written without the protocol's descriptors", () => {
  it("is what protobuf-es writes for the same livekit.RegionSettings, pinned or not", () => {
    const regions = [0, 1, 2, 3].map((i) => createRegion(i, 9999 + i, `http://example.test:${9999 + i}`));
    for (const pinned of [[], ["region-0"], ["region-2", "region-3"], ["region-9"]]) {
      const listed = pinned.length === 0 ? regions : regions.filter((r) => pinned.includes(r.name));
      const expected = toJsonString(
        RegionSettingsSchema,
        create(RegionSettingsSchema, { regions: listed.map((r) => ({ region: r.name, url: r.url, distance: BigInt(r.index) })) }),
      );
      assert.equal(regionSettingsJson(regions, pinned), expected);
    }
  });
});

describe("/settings/regions with advertised URLs", () => {
  const t = useServer({
    ports: [0, 0, 0],
    advertiseHost: "http://host.example",
    advertiseUrls: ["20000", "https://lk.example.com:443/", "http://10.1.2.3:20002"],
  });

  it("lists the advertised entry of each region: a port after the advertised host, a URL as given without trailing slashes", async () => {
    const reply = await get(`http://127.0.0.1:${t.server.regions[1]!.port}`, "/settings/regions");
    assert.equal(
      reply.text,
      '{"regions":[{"region":"region-0","url":"http://host.example:20000"},{"region":"region-1","url":"https://lk.example.com:443","distance":"1"},{"region":"region-2","url":"http://10.1.2.3:20002","distance":"2"}]}',
    );
    assert.equal(reply.region, "1", "still answered by the listener's own region");
  });

  it("filters advertised regions by pin like any other", async () => {
    const reply = await get(`http://127.0.0.1:${t.server.regions[0]!.port}`, "/settings/regions", {
      headers: { "X-Lk-Mock": JSON.stringify({ pinnedRegions: ["region-2"] }) },
    });
    assert.equal(reply.text, '{"regions":[{"region":"region-2","url":"http://10.1.2.3:20002","distance":"2"}]}');
  });
});

describe("advertised URLs that do not fit the regions", () => {
  it("refuses a list longer or shorter than the ports, or an entry that is neither a port nor a URL", async () => {
    const refused = (advertiseUrls: string[], ports = [0, 0]): Promise<unknown> =>
      startServer({ ports, bind: "127.0.0.1", logLevel: "silent", advertiseUrls });
    await assert.rejects(refused(["20000"]), {
      name: "ConfigError",
      message: "invalid --advertise-urls: 1 entry for 2 regions (one per --ports entry)",
    });
    await assert.rejects(refused(["1", "2", "3"]), { name: "ConfigError", message: /3 entries for 2 regions/ });
    await assert.rejects(refused(["20000", "localhost:20001"]), {
      name: "ConfigError",
      message: /"localhost:20001" is neither a port nor a URL/,
    });
    await assert.rejects(refused(["20000", "70000"]), { name: "ConfigError", message: /70000 is not a port number/ });
    await assert.rejects(refused(["20000", ""]), { name: "ConfigError", message: /"" is neither/ });
  });
});
