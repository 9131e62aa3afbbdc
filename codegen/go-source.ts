// Reads the few tables the mock mirrors out of the protocol module's Go source: a map literal, the
// cases of a switch, string constants, struct fields and their JSON names. Pure text readers for
// gofmt'ed code (which the module's sources are): enough to compare two versions of a table, not
// a Go parser. Each throws GoSourceError when the thing it looks for is gone, so a bump that
// moves a table is told so instead of reporting an empty one.

export class GoSourceError extends Error {
  override name = "GoSourceError";
}

export function isGoSourceError(err: unknown): err is GoSourceError {
  return err instanceof Error && err.name === "GoSourceError";
}

/** The text between the braces of `var <name> = map[…]…{ … }`. */
function mapLiteralBody(source: string, name: string): string {
  const start = new RegExp(`^var ${name} = map\\[[^\\]]+\\][^{]*\\{$`, "m").exec(source);
  if (start === null) throw new GoSourceError(`no map literal ${name} found`);
  const from = start.index + start[0].length;
  const end = source.indexOf("\n}", from);
  if (end === -1) throw new GoSourceError(`the map literal ${name} is not closed`);
  return source.slice(from, end);
}

/**
 * `Key: Value` entries of a map literal whose keys and values are qualified identifiers, with the
 * given prefixes removed: `SIPStatusCode_SIP_STATUS_BUSY_HERE: codes.FailedPrecondition` read
 * with prefixes `SIPStatusCode_` and `codes.` is `SIP_STATUS_BUSY_HERE → FailedPrecondition`.
 */
export function goMapEntries(source: string, name: string, keyPrefix: string, valuePrefix: string): Map<string, string> {
  const entries = new Map<string, string>();
  const line = new RegExp(`^\\s*${escape(keyPrefix)}(\\w+):\\s*${escape(valuePrefix)}(\\w+),`, "gm");
  for (const match of mapLiteralBody(source, name).matchAll(line)) entries.set(match[1]!, match[2]!);
  if (entries.size === 0) throw new GoSourceError(`the map literal ${name} has no ${keyPrefix}…: ${valuePrefix}… entries`);
  return entries;
}

/** The text of `func <signature> {…}` up to its closing brace at column 0. */
export function goFunction(source: string, signature: string): string {
  const start = source.indexOf(`\nfunc ${signature}`);
  if (start === -1) throw new GoSourceError(`no func ${signature} found`);
  const end = source.indexOf("\n}", start + 1);
  if (end === -1) throw new GoSourceError(`func ${signature} is not closed`);
  return source.slice(start + 1, end + 2);
}

/** `case <casePrefix>X: return <valuePrefix>Y` pairs of a switch in one function, X → Y. */
export function goSwitchReturns(functionText: string, casePrefix: string, valuePrefix: string): Map<string, string> {
  const pairs = new Map<string, string>();
  const pattern = new RegExp(`case ${escape(casePrefix)}(\\w+):\\s*return ${escape(valuePrefix)}(\\w+)`, "g");
  for (const match of functionText.matchAll(pattern)) pairs.set(match[1]!, match[2]!);
  if (pairs.size === 0) throw new GoSourceError(`no case ${casePrefix}…: return ${valuePrefix}… found`);
  return pairs;
}

/** Values of the string constants whose names start with `prefix`, in source order. */
export function goStringConstants(source: string, prefix: string): string[] {
  return [...source.matchAll(new RegExp(`^\\s*${escape(prefix)}\\w*\\s*=\\s*"([^"]*)"`, "gm"))].map((m) => m[1]!);
}

export interface GoStructField {
  /** The JSON name from the field's tag. */
  readonly json: string;
  readonly goType: string;
}

/** Every `type X struct {…}` of a file, with its fields that carry a json tag. */
export function goStructJsonFields(source: string): Map<string, GoStructField[]> {
  const structs = new Map<string, GoStructField[]>();
  for (const match of source.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const fields: GoStructField[] = [];
    for (const line of match[2]!.matchAll(/^\s*\w+\s+(\S+)\s+`[^`]*json:"([^",]*)[^`]*`/gm)) {
      if (line[2] !== "" && line[2] !== "-") fields.push({ json: line[2]!, goType: line[1]! });
    }
    structs.set(match[1]!, fields);
  }
  return structs;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
