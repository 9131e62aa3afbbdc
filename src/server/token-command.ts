// `livekit-test-server token --grant roomAdmin --room my-room`: prints an access token the server
// accepts, so a curl in the docs (or a script) needs no code to sign one. The secret defaults to
// the server's (`--api-secret`, then LK_TEST_SERVER_API_SECRET, then `secret`), and an `lk.mock`
// value is checked with the signal endpoints' own parser before it is signed in.
import { grantFlags, signAccessToken, type AccessTokenInput } from "../auth/sign-token.js";
import { closestName } from "../shared/closest-name.js";
import { parseSignalMock, SignalMockError, signalMockAttribute } from "../signal/attribute/signal-mode.js";
import { flags } from "./config.js";

export class TokenUsageError extends Error {
  override name = "TokenUsageError";
}

interface TokenFlag {
  readonly flag: string;
  readonly description: string;
  readonly env?: string;
  readonly default?: string;
  /** May be given more than once; the values add up. */
  readonly repeated?: boolean;
}

const serverSecret = flags.find((f) => f.key === "apiSecret")!;

const tokenFlags: readonly TokenFlag[] = [
  {
    flag: "--grant",
    repeated: true,
    description: `a grant flag to set, comma-separated or repeated: ${grantFlags.map((g) => g.replace(/^video\./, "")).join(", ")}`,
  },
  { flag: "--room", description: "the room the token is for (video.room)" },
  { flag: "--destination-room", description: "the room ForwardParticipant and MoveParticipant may move to (video.destinationRoom)" },
  { flag: "--identity", description: "the participant identity (sub)" },
  { flag: "--name", description: "the participant name" },
  { flag: "--ttl", default: "6h", description: "how long the token is valid: seconds, or a number followed by s, m, h or d" },
  { flag: "--api-key", default: "devkey", description: "the API key (iss); the server accepts any" },
  {
    flag: "--api-secret",
    env: serverSecret.env,
    default: serverSecret.default,
    description: "the secret that signs the token, the server's",
  },
  { flag: "--mock", description: `the ${signalMockAttribute} attribute's JSON value, for a signal connection, e.g. {"signal":"no_pong"}` },
];

/** The token's contents, from the subcommand's arguments (those after `token`). */
export function parseTokenArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { readonly help: true } | { readonly help: false; readonly input: AccessTokenInput } {
  const given = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { help: true };
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const spec = tokenFlags.find((f) => f.flag === name);
    if (spec === undefined) throw new TokenUsageError(`unknown argument ${JSON.stringify(arg)} (see token --help)`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new TokenUsageError(`${name} needs a value`);
    if (given.has(name) && spec.repeated !== true) throw new TokenUsageError(`${name} is given twice`);
    given.set(name, [...(given.get(name) ?? []), value]);
  }
  const value = (flag: string): string | undefined => {
    const spec = tokenFlags.find((f) => f.flag === flag)!;
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    return given.get(flag)?.[0] ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : spec.default);
  };
  const video: Record<string, boolean | string> = {};
  const sip: Record<string, boolean> = {};
  for (const grant of (given.get("--grant") ?? []).flatMap((list) => list.split(",")).map((g) => g.trim())) {
    const [part, flag] = grantFlag(grant).split(".") as [string, string];
    if (part === "sip") sip[flag] = true;
    else video[flag] = true;
  }
  const room = value("--room");
  if (room !== undefined) video["room"] = room;
  const destinationRoom = value("--destination-room");
  if (destinationRoom !== undefined) video["destinationRoom"] = destinationRoom;
  const mock = value("--mock");
  const identity = value("--identity");
  const name = value("--name");
  return {
    help: false,
    input: {
      apiKey: nonEmpty("--api-key", value("--api-key")!),
      apiSecret: nonEmpty("--api-secret", value("--api-secret")!),
      ttlSeconds: parseTtl(value("--ttl")!),
      video,
      sip,
      ...(identity === undefined ? {} : { identity }),
      ...(name === undefined ? {} : { name }),
      ...(mock === undefined ? {} : { attributes: { [signalMockAttribute]: checkedMock(mock) } }),
    },
  };
}

/** `roomAdmin` or `video.roomAdmin` → `video.roomAdmin`; `sip.call` as it is. */
function grantFlag(grant: string): string {
  const named = grantFlags.find((g) => g === grant || g === `video.${grant}`);
  if (named !== undefined) return named;
  const short = grantFlags.map((g) => g.replace(/^video\./, ""));
  const closest = closestName(grant, short);
  const hint = closest === undefined ? "" : ` (did you mean ${JSON.stringify(closest)}?)`;
  throw new TokenUsageError(`unknown grant ${JSON.stringify(grant)}${hint}; grants are ${short.join(", ")}`);
}

function parseTtl(text: string): number {
  const match = /^(\d+)([smhd]?)$/.exec(text.trim());
  const seconds = match === null ? NaN : Number(match[1]) * { "": 1, s: 1, m: 60, h: 3600, d: 86400 }[match[2]!]!;
  if (!Number.isSafeInteger(seconds) || seconds <= 0) {
    throw new TokenUsageError(`invalid --ttl: ${JSON.stringify(text)} is not a duration like 600, 10m or 6h`);
  }
  return seconds;
}

function checkedMock(value: string): string {
  try {
    parseSignalMock(value);
  } catch (err) {
    if (err instanceof SignalMockError) throw new TokenUsageError(`--mock: ${err.message}`);
    throw err;
  }
  return value;
}

function nonEmpty(flag: string, value: string): string {
  if (value === "") throw new TokenUsageError(`${flag} must not be empty`);
  return value;
}

export function tokenHelpText(): string {
  const rows = tokenFlags.map((f) => {
    const fallback = [f.env === undefined ? "" : `env ${f.env}`, f.default === undefined ? "" : `default ${f.default}`]
      .filter((part) => part !== "")
      .join(", ");
    return `  ${f.flag} <value>\n      ${f.description}${fallback === "" ? "" : `\n      ${fallback}`}`;
  });
  return `usage: livekit-test-server token [flags]\n\nPrints an access token the server accepts, signed as LiveKit's SDKs sign them.\n\nflags:\n${rows.join("\n")}\n  --help\n      print this help\n`;
}

/** The whole subcommand: the token (or the help) to `out`, a mistake to `err` as one line; resolves with the exit code. */
export async function tokenCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  out: (text: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let parsed: ReturnType<typeof parseTokenArgs>;
  try {
    parsed = parseTokenArgs(argv, env);
  } catch (error) {
    if (!(error instanceof TokenUsageError)) throw error;
    err(`token: ${error.message}`);
    return 1;
  }
  if (parsed.help) out(tokenHelpText());
  else out(`${await signAccessToken(parsed.input)}\n`);
  return 0;
}
