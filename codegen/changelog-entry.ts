// The changelog's line for a protocol bump, linking its change report. Pure text in, text out:
// a second bump to the same version replaces its line instead of adding another.

const title = "# Changelog";
const unreleased = "## Unreleased";

/** `changelog` with the bump's entry under "Unreleased" (made when missing); undefined makes a new file. */
export function withProtocolEntry(changelog: string | undefined, from: string, to: string): string {
  const entry = `- LiveKit protocol ${from} → ${to}: [what changed for users of the mock](protocol/${to}.md).`;
  const lines = (changelog ?? `${title}\n`).replace(/\n+$/, "").split("\n");
  const existing = lines.findIndex((line) => line.includes(`](protocol/${to}.md)`));
  if (existing !== -1) {
    lines[existing] = entry;
    return `${lines.join("\n")}\n`;
  }
  let heading = lines.indexOf(unreleased);
  if (heading === -1) {
    // Right after the title (and the paragraph under it, if any), before any released version.
    const firstSection = lines.findIndex((line, i) => i > 0 && line.startsWith("## "));
    const at = firstSection === -1 ? lines.length : firstSection;
    lines.splice(at, 0, ...(at > 0 && lines[at - 1] !== "" ? [""] : []), unreleased, "", ...(firstSection === -1 ? [] : [""]));
    heading = lines.indexOf(unreleased);
  }
  // Newest first, directly under the heading.
  lines.splice(heading + 2, 0, entry);
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n")}\n`;
}
