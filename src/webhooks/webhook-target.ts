// Where webhooks may go (docs/spec/webhooks.md#targets). A test server reachable from a shared CI
// network would otherwise forward signed POSTs anywhere it is told to, so by default only
// loopback targets are accepted; `--webhook-allow-hosts` lists more: host names, IP addresses,
// `*.name` for every subdomain of a name, or `*` for any.
//
// Wildcards are supported rather than refused: CI networks name their services under a domain
// the test does not control the rest of (`*.svc.cluster.local`, a compose project's domain), and
// a user who lists a domain already trusts every name under it.
import type { LookupAddress, LookupOptions } from "node:dns";
import { BlockList, isIP } from "node:net";

export const allowHostsOption = "--webhook-allow-hosts";

export class WebhookTargetError extends Error {
  override name = "WebhookTargetError";
}

const loopback = new BlockList();
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** The URL a webhook is posted to: absolute, http or https. */
export function parseWebhookUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WebhookTargetError(`${JSON.stringify(text)} is not an absolute URL like http://127.0.0.1:3000/webhook`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new WebhookTargetError(`${JSON.stringify(text)} must be an http or https URL`);
  }
  return url;
}

/** Throws unless `url`'s host is loopback or matches an entry of `allowHosts` (from normalizeAllowedHost). */
export function checkWebhookHost(url: URL, allowHosts: readonly string[]): void {
  const host = withoutRootDot(url.hostname);
  if (isLoopback(host) || allowHosts.some((entry) => matches(entry, host))) return;
  throw new WebhookTargetError(
    `${url.protocol}//${url.host} is not a loopback address; webhooks go to loopback hosts only unless ${allowHostsOption} lists the host`,
  );
}

/** The option's value: comma-separated entries; all white space means none. */
export function parseAllowHosts(value: string): string[] {
  if (value.trim() === "") return [];
  return value.split(",").map((entry, i) => {
    if (entry.trim() === "") throw new WebhookTargetError(`entry ${i + 1} is empty: remove the stray comma`);
    return normalizeAllowedHost(entry);
  });
}

/**
 * An entry of --webhook-allow-hosts in the form URL parsing gives hosts (lower-case, punycode,
 * IPv6 in brackets, no root dot): `*`, a host name, an IP address, or `*.` and a host name.
 */
export function normalizeAllowedHost(entry: string): string {
  const trimmed = entry.trim();
  if (trimmed === "*") return trimmed;
  if (trimmed.includes("*")) {
    const name = trimmed.startsWith("*.") ? trimmed.slice(2) : undefined;
    if (name === undefined || name.includes("*") || isIP(name.replace(/^\[(.*)\]$/, "$1")) !== 0 || hostName(name) === undefined) {
      throw new WebhookTargetError(
        `${JSON.stringify(entry)}: * stands alone (any host) or as the first label of a name (*.example.com, every subdomain of example.com)`,
      );
    }
    return `*.${hostName(name)!}`;
  }
  const bare = trimmed.replace(/^\[(.*)\]$/, "$1");
  if (isIP(bare) === 6) return new URL(`http://[${bare}]/`).hostname;
  const host = hostName(trimmed);
  if (host === undefined) throw new WebhookTargetError(`${JSON.stringify(entry)} is not a host name or IP address`);
  return host;
}

/**
 * `localhost` is loopback by name (RFC 6761 §6.3): it is connected to at 127.0.0.1 and ::1, never
 * looked up, so that neither /etc/hosts nor DNS (which `localhost.` with its root dot would reach)
 * can send a webhook elsewhere. undefined for every other host: the system resolves it.
 */
export function targetLookup(url: URL): typeof lookupLocalhost | undefined {
  return withoutRootDot(url.hostname) === "localhost" ? lookupLocalhost : undefined;
}

const localhostAddresses: readonly LookupAddress[] = [
  { address: "127.0.0.1", family: 4 },
  { address: "::1", family: 6 },
];

function lookupLocalhost(
  _hostname: string,
  options: LookupOptions,
  callback: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  const family = options.family === "IPv4" ? 4 : options.family === "IPv6" ? 6 : options.family;
  const addresses = localhostAddresses.filter((a) => family === undefined || family === 0 || a.family === family);
  if (options.all === true) callback(null, [...addresses]);
  else callback(null, addresses[0]!.address, addresses[0]!.family);
}

/** A host name as URL parsing spells it, or undefined when `text` is not one (IP literals are). */
function hostName(text: string): string | undefined {
  // Percent-escapes would be decoded by URL parsing: a confusing way to write a name, refused.
  if (text === "" || /[:/@?#%*\s\\[\]]/.test(text)) return undefined;
  let host: string;
  try {
    host = withoutRootDot(new URL(`http://${text}/`).hostname);
  } catch {
    return undefined;
  }
  return host === "" || host.split(".").includes("") ? undefined : host;
}

function matches(entry: string, host: string): boolean {
  if (entry === "*" || entry === host) return true;
  return entry.startsWith("*.") && host.endsWith(entry.slice(1)) && isIP(host) === 0;
}

/** One trailing dot names the same host from the DNS root. */
function withoutRootDot(host: string): string {
  return host.endsWith(".") ? host.slice(0, -1) : host;
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  const address = host.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(address);
  return family !== 0 && loopback.check(address, family === 6 ? "ipv6" : "ipv4");
}
