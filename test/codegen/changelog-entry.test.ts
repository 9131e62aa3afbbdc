// The changelog line a protocol bump adds.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { withProtocolEntry } from "../../codegen/changelog-entry.js";

const line = (from: string, to: string): string =>
  `- LiveKit protocol ${from} → ${to}: [what changed for users of the mock](protocol/${to}.md).`;

describe("withProtocolEntry", () => {
  test("a missing changelog is made, with the entry under Unreleased", () => {
    assert.equal(withProtocolEntry(undefined, "v1.0.0", "v1.1.0"), `# Changelog\n\n## Unreleased\n\n${line("v1.0.0", "v1.1.0")}\n`);
  });

  test("Unreleased is made above the released versions, after the title's paragraph", () => {
    const text = "# Changelog\n\nWhat changed.\n\n## 0.1.0\n\n- first\n";
    assert.equal(
      withProtocolEntry(text, "v1.0.0", "v1.1.0"),
      `# Changelog\n\nWhat changed.\n\n## Unreleased\n\n${line("v1.0.0", "v1.1.0")}\n\n## 0.1.0\n\n- first\n`,
    );
  });

  test("a section named unreleased in any form takes the entry as its first item, after its paragraph", () => {
    const text = "# Changelog\n\n## 0.1.0 (unreleased)\n\nThe first version.\n\n- serves every RPC\n\n## 0.0.1\n\n- old\n";
    assert.equal(
      withProtocolEntry(text, "v1.0.0", "v1.1.0"),
      `# Changelog\n\n## 0.1.0 (unreleased)\n\nThe first version.\n\n${line("v1.0.0", "v1.1.0")}\n- serves every RPC\n\n## 0.0.1\n\n- old\n`,
    );
  });

  test("a new entry goes first under an existing Unreleased, above other entries", () => {
    const text = "# Changelog\n\n## Unreleased\n\n- something else\n";
    assert.equal(
      withProtocolEntry(text, "v1.0.0", "v1.1.0"),
      `# Changelog\n\n## Unreleased\n\n${line("v1.0.0", "v1.1.0")}\n- something else\n`,
    );
  });

  test("bumping to the same version again replaces its line instead of adding one", () => {
    const once = withProtocolEntry(undefined, "v1.0.0", "v1.1.0");
    assert.equal(withProtocolEntry(once, "v1.0.0", "v1.1.0"), once);
    assert.equal(withProtocolEntry(once, "v0.9.0", "v1.1.0"), once.replace("v1.0.0 →", "v0.9.0 →"));
  });
});
