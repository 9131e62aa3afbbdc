// Where webhooks may go. A test server reachable from a shared CI network would otherwise forward
// signed POSTs anywhere it is told to, so by default only loopback targets are accepted;
// `--webhook-allow-hosts` lists more (host names or IP addresses, or `*` for any).
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

/** Throws unless `url`'s host is loopback or listed in `allowHosts` (normalized by normalizeAllowedHost). */
export function checkWebhookHost(url: URL, allowHosts: readonly string[]): void {
  const host = url.hostname.replace(/\.$/, "");
  if (isLoopback(host) || allowHosts.includes("*") || allowHosts.includes(host)) return;
  throw new WebhookTargetError(
    `${url.protocol}//${url.host} is not a loopback address; webhooks go to loopback hosts only unless ${allowHostsOption} lists the host`,
  );
}

/** An entry of --webhook-allow-hosts in the form URL parsing gives hosts (lower-case, IPv6 in brackets). */
export function normalizeAllowedHost(entry: string): string {
  const trimmed = entry.trim();
  if (trimmed === "*") return trimmed;
  const bare = trimmed.replace(/^\[(.*)\]$/, "$1");
  try {
    const ipv6 = isIP(bare) === 6;
    if (bare === "" || (!ipv6 && /[:/@?#\s\\]/.test(bare))) throw new Error("not a bare host");
    return new URL(`http://${ipv6 ? `[${bare}]` : bare}/`).hostname.replace(/\.$/, "");
  } catch {
    throw new WebhookTargetError(`${JSON.stringify(entry)} is not a host name or IP address`);
  }
}

function isLoopback(host: string): boolean {
  if (host === "localhost") return true;
  const address = host.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(address);
  return family !== 0 && loopback.check(address, family === 6 ? "ipv6" : "ipv4");
}
