// Server settings and the one table of command-line flags (with their environment fallbacks and
// defaults) that parsing, validation and --help all read.
import { pathKeyProblem } from "../shared/path-key.js";
import {
  allowHostsOption,
  checkWebhookHost,
  normalizeAllowedHost,
  parseAllowHosts,
  parseWebhookUrl,
  WebhookTargetError,
} from "../webhooks/webhook-target.js";

export type LogLevel = "silent" | "error" | "info" | "debug";
export type LogFormat = "text" | "json";

export interface ServerConfig {
  /** One listener per port; a port's position is its region index. 0 picks a free port. */
  readonly ports: readonly number[];
  readonly advertiseHost: string;
  /**
   * What /settings/regions lists, one entry per port: a full URL, or a port appended to
   * advertiseHost. Empty: each listener's own port. For a container whose ports are mapped to others
   * on the host, where the listener's own port leads nowhere.
   */
  readonly advertiseUrls: readonly string[];
  readonly bind: string;
  readonly twirpPrefix: string;
  readonly apiSecret: string;
  readonly logLevel: LogLevel;
  readonly logFormat: LogFormat;
  /** When set, the CLI writes the health URLs here once every listener is bound. */
  readonly readyFile: string;
  /** Hosts besides loopback that webhooks may be posted to (`*`: any); see webhooks/webhook-target.ts. */
  readonly webhookAllowHosts: readonly string[];
  /**
   * The key of the server-wide world that every request without a `state` key of its own uses;
   * "": none (the stateless default).
   */
  readonly stateful: string;
  /** Where a world's state-change events go when it names no destination of its own; "": nowhere. */
  readonly webhookUrl: string;
  /** The key --webhook-url's events are signed for (with --api-secret). */
  readonly webhookApiKey: string;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}

/** The server-wide world's key when `--stateful` names none. */
export const defaultWorldKey = "default";

interface FlagSpec<K extends keyof ServerConfig> {
  readonly flag: string;
  readonly env: string;
  readonly default: string;
  /**
   * The value of the flag given alone (`--stateful`); such a flag takes a value only after `=`
   * and never consumes the next argument.
   */
  readonly bare?: string;
  readonly description: string;
  readonly key: K;
  /** From the flag's or env var's text. */
  parse(value: string): ServerConfig[K];
  /** Validates and normalizes a value however it was given (flag, env var, or startServer()). */
  check(value: ServerConfig[K]): ServerConfig[K];
}

function flag<K extends keyof ServerConfig>(spec: FlagSpec<K>): FlagSpec<K> {
  return spec;
}

export const flags = [
  flag({
    flag: "--ports",
    env: "LK_TEST_SERVER_PORTS",
    default: "9999,10000,10001,10002",
    description: "comma-separated listener ports; the n-th port serves region-<n>",
    key: "ports",
    parse: parsePorts,
    check: checkPorts,
  }),
  flag({
    flag: "--advertise-host",
    env: "LK_TEST_SERVER_ADVERTISE_HOST",
    default: "http://127.0.0.1",
    description: "scheme and host that /settings/regions puts before each port",
    key: "advertiseHost",
    parse: (value) => value,
    check: (value) => {
      if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+\/*$/i.test(value))
        throw new ConfigError(`invalid --advertise-host: ${JSON.stringify(value)} is not a URL like http://127.0.0.1`);
      // REFERENCE §4.4: trailing slashes are dropped before ":<port>" is appended.
      return value.replace(/\/+$/, "");
    },
  }),
  flag({
    flag: "--advertise-urls",
    env: "LK_TEST_SERVER_ADVERTISE_URLS",
    default: "",
    description:
      "comma-separated URLs or ports, one per region, that /settings/regions lists instead of each listener's own (a port is put after --advertise-host); for mapped container ports",
    key: "advertiseUrls",
    parse: (value) => (value.trim() === "" ? [] : value.split(",").map((entry) => entry.trim())),
    check: (urls) => urls.map(checkAdvertisedUrl),
  }),
  flag({
    flag: "--bind",
    env: "LK_TEST_SERVER_BIND",
    default: "0.0.0.0",
    description: "address every listener binds to",
    key: "bind",
    parse: (value) => value,
    check: (value) => {
      if (value.trim() === "" || /\s/.test(value)) throw new ConfigError(`invalid --bind: ${JSON.stringify(value)}`);
      return value;
    },
  }),
  flag({
    flag: "--twirp-prefix",
    env: "LK_TEST_SERVER_TWIRP_PREFIX",
    default: "/twirp",
    description: "path prefix of the Twirp API",
    key: "twirpPrefix",
    parse: (value) => value,
    check: (value) => {
      const prefix = value.replace(/\/+$/, "");
      if (!prefix.startsWith("/") || /\s/.test(prefix)) {
        throw new ConfigError(`invalid --twirp-prefix: ${JSON.stringify(value)} must be a path like /twirp`);
      }
      return prefix;
    },
  }),
  flag({
    flag: "--api-secret",
    env: "LK_TEST_SERVER_API_SECRET",
    default: "secret",
    description: "secret that verifies access tokens (any API key is accepted)",
    key: "apiSecret",
    parse: (value) => value,
    check: (value) => {
      if (value === "") throw new ConfigError("invalid --api-secret: it must not be empty");
      return value;
    },
  }),
  flag({
    flag: "--log-level",
    env: "LK_TEST_SERVER_LOG_LEVEL",
    default: "info",
    description: "silent | error | info (one line per request) | debug",
    key: "logLevel",
    parse: (value) => value as LogLevel,
    check: (value) => oneOf("--log-level", value, ["silent", "error", "info", "debug"] as const),
  }),
  flag({
    flag: "--log-format",
    env: "LK_TEST_SERVER_LOG_FORMAT",
    default: "text",
    description: "text | json (one JSON object per line)",
    key: "logFormat",
    parse: (value) => value as LogFormat,
    check: (value) => oneOf("--log-format", value, ["text", "json"] as const),
  }),
  flag({
    flag: "--ready-file",
    env: "LK_TEST_SERVER_READY_FILE",
    default: "",
    description: "file to write the health-check URLs to once every listener is bound (used by the Docker HEALTHCHECK)",
    key: "readyFile",
    parse: (value) => value,
    check: (value) => value,
  }),
  flag({
    flag: allowHostsOption,
    env: "LK_TEST_SERVER_WEBHOOK_ALLOW_HOSTS",
    default: "",
    description:
      "comma-separated hosts besides loopback that webhooks may be posted to: names, IP addresses, `*.example.com` for every subdomain of a name, `*` for any",
    key: "webhookAllowHosts",
    parse: (value) => allowHostsOr(() => parseAllowHosts(value)),
    check: (hosts) => allowHostsOr(() => hosts.map(normalizeAllowedHost)),
  }),
  flag({
    flag: "--stateful",
    env: "LK_TEST_SERVER_STATEFUL",
    default: "",
    bare: defaultWorldKey,
    description: `stateful mode: every request without a \`state\` key of its own reads and changes one server-wide world; \`--stateful\` alone names it "${defaultWorldKey}", \`--stateful=<key>\` picks the key (env: a key, or true)`,
    key: "stateful",
    parse: (value) => (value === "true" || value === "1" ? defaultWorldKey : value === "false" || value === "0" ? "" : value),
    check: (value) => {
      const problem = value === "" ? undefined : pathKeyProblem(value, "world");
      if (problem !== undefined) throw new ConfigError(`invalid --stateful: ${problem}`);
      return value;
    },
  }),
  flag({
    flag: "--webhook-url",
    env: "LK_TEST_SERVER_WEBHOOK_URL",
    default: "",
    description:
      "stateful mode: where a world's webhook events go when no request or token of the world named a `webhooks` destination (a loopback URL unless --webhook-allow-hosts lists its host)",
    key: "webhookUrl",
    parse: (value) => value,
    check: (value) => {
      if (value === "") return value;
      try {
        parseWebhookUrl(value);
      } catch (err) {
        throw new ConfigError(`invalid --webhook-url: ${(err as Error).message}`);
      }
      return value;
    },
  }),
  flag({
    flag: "--webhook-api-key",
    env: "LK_TEST_SERVER_WEBHOOK_API_KEY",
    default: "devkey",
    description: "the API key --webhook-url's events are signed for (with --api-secret), as a real server's webhook.api_key",
    key: "webhookApiKey",
    parse: (value) => value,
    check: (value) => {
      if (value === "") throw new ConfigError("invalid --webhook-api-key: it must not be empty (receivers look the secret up by it)");
      return value;
    },
  }),
] as const;

function allowHostsOr(read: () => string[]): string[] {
  try {
    return read();
  } catch (err) {
    if (err instanceof WebhookTargetError) throw new ConfigError(`invalid ${allowHostsOption}: ${err.message}`);
    throw err;
  }
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(`invalid ${name}: ${JSON.stringify(value)} is not one of ${allowed.join(", ")}`);
  }
  return value as T;
}

function checkAdvertisedUrl(entry: string): string {
  if (/^\d+$/.test(entry)) {
    const port = Number(entry);
    if (port < 1 || port > 65535) throw new ConfigError(`invalid --advertise-urls: ${entry} is not a port number`);
    return String(port);
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/\s]+\/*$/i.test(entry)) {
    throw new ConfigError(`invalid --advertise-urls: ${JSON.stringify(entry)} is neither a port nor a URL like http://127.0.0.1:20000`);
  }
  return entry.replace(/\/+$/, "");
}

/** The URL /settings/regions lists for region `index`, whose listener is bound to `port`. */
export function advertisedUrl(config: ServerConfig, index: number, port: number): string {
  const entry = config.advertiseUrls[index];
  if (entry === undefined) return `${config.advertiseHost}:${port}`;
  return /^\d+$/.test(entry) ? `${config.advertiseHost}:${entry}` : entry;
}

export function parsePorts(value: string): number[] {
  const parts = value.split(",").map((p) => p.trim());
  if (value.trim() === "" || parts.some((p) => p === ""))
    throw new ConfigError(`invalid --ports: ${JSON.stringify(value)} has an empty entry`);
  return parts.map((p) => {
    if (!/^\d+$/.test(p)) throw new ConfigError(`invalid --ports: ${JSON.stringify(p)} is not a port number`);
    return Number(p);
  });
}

function checkPorts(ports: readonly number[]): readonly number[] {
  if (ports.length === 0) throw new ConfigError("invalid --ports: at least one port is needed");
  for (const port of ports) {
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError(`invalid --ports: ${port} is not a port number`);
  }
  const duplicate = ports.find((p, i) => p !== 0 && ports.indexOf(p) !== i);
  if (duplicate !== undefined) throw new ConfigError(`invalid --ports: ${duplicate} is listed twice`);
  return ports;
}

export const defaultConfig: ServerConfig = resolveConfig(
  Object.fromEntries(flags.map((f) => [f.key, (f.parse as (v: string) => unknown)(f.default)])) as unknown as ServerConfig,
);

/** Every setting checked and normalized: the one gate for the CLI and for embedders alike. */
export function resolveConfig(config: ServerConfig): ServerConfig {
  const resolved: Record<string, unknown> = { ...config };
  for (const spec of flags) resolved[spec.key] = (spec.check as (v: unknown) => unknown)(config[spec.key]);
  const { ports, advertiseUrls, webhookUrl, webhookAllowHosts } = resolved as unknown as ServerConfig;
  if (webhookUrl !== "") {
    try {
      checkWebhookHost(parseWebhookUrl(webhookUrl), webhookAllowHosts);
    } catch (err) {
      if (err instanceof WebhookTargetError) throw new ConfigError(`invalid --webhook-url: ${err.message}`);
      throw err;
    }
  }
  // A shorter list would leave regions advertising ports that lead nowhere, the trap it is for.
  if (advertiseUrls.length !== 0 && advertiseUrls.length !== ports.length) {
    throw new ConfigError(
      `invalid --advertise-urls: ${advertiseUrls.length} ${advertiseUrls.length === 1 ? "entry" : "entries"} for ${ports.length} ${ports.length === 1 ? "region" : "regions"} (one per --ports entry)`,
    );
  }
  return resolved as unknown as ServerConfig;
}

export type ParsedArgs = { readonly help: true } | { readonly help: false; readonly config: ServerConfig };

/** Flags win, then non-empty environment variables, then defaults (REFERENCE §4.5). */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedArgs {
  const given = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { help: true };
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const spec: FlagSpec<keyof ServerConfig> | undefined = flags.find((f) => f.flag === name);
    if (spec === undefined) throw new ConfigError(`unknown argument ${JSON.stringify(arg)} (see --help)`);
    let value: string | undefined = eq !== -1 ? arg.slice(eq + 1) : (spec.bare ?? argv[++i]);
    if (value === undefined) throw new ConfigError(`${name} needs a value`);
    given.set(spec.flag, value);
  }
  const config: Record<string, unknown> = {};
  for (const spec of flags) {
    const fromEnv = env[spec.env];
    const value = given.get(spec.flag) ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : spec.default);
    config[spec.key] = (spec.parse as (v: string) => unknown)(value);
  }
  return { help: false, config: resolveConfig(config as unknown as ServerConfig) };
}

export function helpText(): string {
  const rows = flags.map(
    (f: FlagSpec<keyof ServerConfig>) =>
      `  ${f.flag}${f.bare === undefined ? " <value>" : "[=<value>]"}\n      ${f.description}\n      env ${f.env}, default ${f.default === "" ? "(none)" : f.default}`,
  );
  return `usage: livekit-test-server [flags]\n       livekit-test-server token [--grant <grant>] [--room <room>] [flags]\n       livekit-test-server trigger <event> --forward-to <url> [flags]\n       livekit-test-server --version\n\nA mock of the LiveKit server API for SDK test suites. \`token\` prints an access token the server\naccepts (see token --help); \`trigger\` sends one signed webhook event to a handler without a server\n(see trigger --help).\n\nflags (--flag value or --flag=value; a flag wins over its env var):\n${rows.join("\n")}\n  --help\n      print this help\n`;
}
