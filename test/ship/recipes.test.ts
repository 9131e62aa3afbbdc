// The CI recipes of docs/ci.md are the files in test/ship/recipes/, which image.test.ts runs against the
// built image (the GitHub Actions one excepted: no runner here). These checks keep the page showing
// exactly those files, and the untested one in step with the tested ones.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), "utf8");
const page = read("../../docs/ci.md");
const recipes = {
  "GitHub Actions": { file: read("./recipes/github-actions.yml"), fence: "yaml" },
  "Docker Compose": { file: read("./recipes/compose.yaml"), fence: "yaml" },
  Testcontainers: { file: read("./recipes/testcontainers.ts"), fence: "ts" },
};

describe("the CI recipes of docs/ci.md", () => {
  for (const [name, { file, fence }] of Object.entries(recipes)) {
    test(`shows the ${name} recipe file verbatim`, () => {
      assert.ok(page.includes(`\`\`\`${fence}\n${file}\`\`\``), `docs/ci.md lacks test/ship/recipes/ ${name} as it is`);
    });
  }

  test("map the four default region ports to host ports and advertise exactly those", () => {
    for (const name of ["GitHub Actions", "Docker Compose"] as const) {
      const file = recipes[name].file;
      const mapping = /"(\d+)-(\d+):9999-10002"/.exec(file);
      assert.ok(mapping !== null, `${name}: a port range mapped to 9999-10002`);
      const first = Number(mapping[1]);
      assert.equal(Number(mapping[2]), first + 3);
      const advertised = /LK_TEST_SERVER_ADVERTISE_URLS: "([^"]+)"/.exec(file)?.[1];
      assert.equal(advertised, [0, 1, 2, 3].map((i) => first + i).join(","), `${name}: advertises the mapped ports`);
    }
  });
});
