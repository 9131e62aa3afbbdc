// The changelog's line for a protocol bump, linking its change report. Pure text in, text out:
// the line goes into the section of the version not yet released (made when there is none), and a
// second bump to the same version replaces its line instead of adding another.

const title = "# Changelog";

/** `changelog` with the bump's entry in its unreleased section; undefined makes a new file. */
export function withProtocolEntry(changelog: string | undefined, from: string, to: string): string {
  const entry = `- LiveKit protocol ${from} → ${to}: [what changed for users of the mock](protocol/${to}.md).`;
  const lines = (changelog ?? `${title}\n`).replace(/\n+$/, "").split("\n");
  const existing = lines.findIndex((line) => line.includes(`](protocol/${to}.md)`));
  if (existing !== -1) {
    lines[existing] = entry;
    return finish(lines);
  }
  let heading = lines.findIndex((line) => /^## .*\bunreleased\b/i.test(line));
  if (heading === -1) {
    // Above every released version, after the title and the paragraph under it.
    const firstSection = lines.findIndex((line, i) => i > 0 && line.startsWith("## "));
    heading = firstSection === -1 ? lines.length : firstSection;
    const blankBefore = lines[heading - 1] === "" ? [] : [""];
    lines.splice(heading, 0, ...blankBefore, "## Unreleased", "", ...(firstSection === -1 ? [] : [""]));
    heading += blankBefore.length;
  }
  const sectionEnd = lines.findIndex((line, i) => i > heading && line.startsWith("## "));
  const end = sectionEnd === -1 ? lines.length : sectionEnd;
  const firstItem = lines.findIndex((line, i) => i > heading && i < end && line.startsWith("- "));
  if (firstItem !== -1) lines.splice(firstItem, 0, entry);
  else lines.splice(end, 0, "", entry, "");
  return finish(lines);
}

function finish(lines: readonly string[]): string {
  return `${lines
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .replace(/\n+$/, "")}\n`;
}
