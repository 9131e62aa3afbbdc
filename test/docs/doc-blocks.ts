// The code blocks of the README and docs/, with what the comment before each says about it. The
// markers are described in CONTRIBUTING.md ("Writing docs"): `<!-- doc: … -->` on the line before
// a fence, with words (`no-server`, a JSON block's kind), `name=value` pairs (`file=…`) and a
// reason in parentheses (`no-run (needs a Docker engine)`).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const repo = fileURLToPath(new URL("../../", import.meta.url));

/** What a fence's language is checked as. */
export type BlockLanguage = "sh" | "ts" | "json" | "yaml" | "other";

export interface DocBlock {
  /** Path from the repository root, and the line of the opening fence (1-based). */
  readonly file: string;
  readonly line: number;
  /** The fence's info string as written, and the language it is checked as. */
  readonly info: string;
  readonly language: BlockLanguage;
  readonly text: string;
  /** The marker's words (`no-server`, `control`, …). */
  readonly words: readonly string[];
  /** The marker's `name=value` pairs. */
  readonly params: Readonly<Record<string, string>>;
  /** The text in parentheses, for `no-run`. */
  readonly reason: string | undefined;
  /** Problems with the marker itself (an unclosed comment, a word given twice). */
  readonly markerProblems: readonly string[];
}

const languages: Readonly<Record<string, BlockLanguage>> = {
  sh: "sh",
  bash: "sh",
  shell: "sh",
  console: "sh",
  ts: "ts",
  typescript: "ts",
  js: "ts",
  javascript: "ts",
  json: "json",
  yaml: "yaml",
  yml: "yaml",
};

/** README.md and every Markdown file under docs/, recursively. */
export function docFiles(): string[] {
  const found: string[] = ["README.md"];
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(repo, dir)).sort()) {
      const path = join(dir, name);
      if (statSync(join(repo, path)).isDirectory()) walk(path);
      else if (name.endsWith(".md")) found.push(path);
    }
  };
  walk("docs");
  return found;
}

export function docBlocks(file: string): DocBlock[] {
  const lines = readFileSync(join(repo, file), "utf8").split("\n");
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})(.*)$/.exec(lines[i]!);
    if (open === null) continue;
    const [, indent, fence, info] = open as unknown as [string, string, string, string];
    let end = i + 1;
    while (end < lines.length && !(lines[end]!.trimStart().startsWith(fence) && lines[end]!.trim() === fence)) end++;
    const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
    const marker = markerBefore(lines, i);
    const word = info.trim().split(/\s+/)[0]!.toLowerCase();
    blocks.push({
      file,
      line: i + 1,
      info: info.trim(),
      language: languages[word] ?? "other",
      text: body.length === 0 ? "" : `${body.join("\n")}\n`,
      ...parseMarker(marker),
    });
    i = end;
  }
  return blocks;
}

/** The `<!-- doc: … -->` comment ending on the line before the fence (blank lines between are not allowed). */
function markerBefore(lines: readonly string[], fenceLine: number): string | undefined {
  let end = fenceLine - 1;
  if (end < 0 || !lines[end]!.trimEnd().endsWith("-->")) return undefined;
  let start = end;
  while (start >= 0 && !lines[start]!.includes("<!--")) start--;
  if (start < 0) return undefined;
  const comment = lines.slice(start, end + 1).join(" ");
  const match = /<!--\s*doc:(.*?)-->\s*$/.exec(comment);
  return match === null ? undefined : match[1]!.trim();
}

function parseMarker(marker: string | undefined): Pick<DocBlock, "words" | "params" | "reason" | "markerProblems"> {
  const words: string[] = [];
  const params: Record<string, string> = {};
  const problems: string[] = [];
  if (marker === undefined) return { words, params, reason: undefined, markerProblems: problems };
  const reasonAt = marker.indexOf("(");
  let reason: string | undefined;
  let rest = marker;
  if (reasonAt !== -1) {
    if (!marker.endsWith(")")) problems.push(`the reason in parentheses must end the marker: ${marker}`);
    reason = marker.slice(reasonAt + 1, marker.lastIndexOf(")")).trim();
    rest = marker.slice(0, reasonAt);
  }
  for (const token of rest.split(/\s+/).filter((t) => t !== "")) {
    const eq = token.indexOf("=");
    if (eq === -1) {
      if (words.includes(token)) problems.push(`${token} is given twice`);
      words.push(token);
    } else {
      const name = token.slice(0, eq);
      if (name in params) problems.push(`${name}= is given twice`);
      params[name] = token.slice(eq + 1);
    }
  }
  return { words, params, reason, markerProblems: problems };
}

/** `docs/ci.md:12`, for test names and messages. */
export function where(block: DocBlock): string {
  return `${block.file}:${block.line}`;
}

export function repoPath(absolute: string): string {
  return relative(repo, absolute);
}
