// The checks the real server makes on SIP records and calls before it stores or places anything,
// in its order and with its words (livekit protocol's livekit/sip.go and sip_validation.go, as
// livekit-server v1.13.5 builds them). Each returns the problem's text, or undefined when there
// is none; the handlers decide the Twirp code.
import type { Duration } from "@bufbuild/protobuf/wkt";
import type { ListUpdate } from "../../../generated/livekit_models_pb.js";
import type {
  CreateSIPParticipantRequest,
  Destination,
  SIPDispatchRuleInfo,
  SIPInboundTrunkInfo,
  SIPMediaConfig,
  SIPOutboundConfig,
  SIPOutboundTrunkInfo,
} from "../../../generated/livekit_sip_pb.js";
import { destinationCountries } from "./destination-countries.js";

type Problem = string | undefined;

/** RFC 3261 token characters (a header name). */
const tokenChars = /^[0-9A-Za-z\-.!%*_+`'~]$/;

/** A rune as Go ranges over it: a lone surrogate is an invalid byte, read as U+FFFD. */
function runes(text: string): number[] {
  return [...text].map((char) => {
    const code = char.codePointAt(0)!;
    return code >= 0xd800 && code <= 0xdfff ? 0xfffd : code;
  });
}

function bytes(text: string): number {
  return Buffer.byteLength(text);
}

// Crucial headers a user may not set, and their compact forms.
const forbiddenHeaders = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "allow",
  "allow-events",
  "call-id",
  "contact",
  "content-encoding",
  "content-length",
  "content-type",
  "cseq",
  "event",
  "expires",
  "from",
  "max-forwards",
  "record-route",
  "refer-to",
  "reply-to",
  "k",
  "l",
  "m",
  "o",
  "r",
  "t",
  "u",
  "v",
]);

/** ValidateHeaderName. */
function headerNameProblem(name: string, restrictNames: boolean): Problem {
  if (name === "") return "header name cannot be empty";
  if (bytes(name) > 255) return "header name too long (max 255 characters)";
  for (const rune of runes(name)) {
    if (rune >= 128) {
      return `header name ${name} contains invalid characters: char ${rune} out of range, consider explicilty adding utf8 characters`;
    }
    if (!tokenChars.test(String.fromCharCode(rune))) return `header name ${name} contains invalid characters: char ${rune} not allowed`;
  }
  if (restrictNames && forbiddenHeaders.has(name.toLowerCase())) return `header name ${name} not supported`;
  return undefined;
}

/** ValidateHeaderValue's hard failures (a malformed name-addr is only logged). */
function headerValueProblem(name: string, value: string): Problem {
  if (value === "") return undefined;
  if (bytes(value) > 1024) return `header ${name}: value too long (max 1024 characters)`;
  for (const rune of runes(value)) {
    if (rune >= 128) continue;
    if (rune !== 0x09 && (rune < 0x20 || rune > 0x7e)) return `header ${name}: value: char ${rune} not allowed`;
  }
  return undefined;
}

/** validateHeaders: the first bad header (Go ranges over a map; we take the request's order). */
export function headersProblem(headers: Readonly<Record<string, string>>): Problem {
  for (const [name, value] of Object.entries(headers)) {
    const nameProblem = headerNameProblem(name, true);
    if (nameProblem !== undefined) return `invalid header name: ${nameProblem}`;
    const valueProblem = headerValueProblem(name, value);
    if (valueProblem !== undefined) return `invalid header value for ${name}: ${valueProblem}`;
  }
  return undefined;
}

/** validateAttributesToHeaders (its values) and validateHeaderToAttributes (its keys). */
function headerNamesProblem(names: Iterable<string>): Problem {
  for (const name of names) {
    const problem = headerNameProblem(name, false);
    if (problem !== undefined) return `invalid header name: ${problem}`;
  }
  return undefined;
}

function mappingsProblem(info: {
  readonly attributesToHeaders: Readonly<Record<string, string>>;
  readonly headersToAttributes: Readonly<Record<string, string>>;
}): Problem {
  return headerNamesProblem(Object.values(info.attributesToHeaders)) ?? headerNamesProblem(Object.keys(info.headersToAttributes));
}

/** validateHostnameFormat: a host name or IP, not a SIP URI. */
function hostnameProblem(value: string, field: string): Problem {
  if (value.includes("transport=")) return `${field} should not contain transport parameter`;
  if (/[@;]/.test(value) || value.startsWith("sip:") || value.startsWith("sips:"))
    return `${field} should be a hostname or IP, not SIP URI`;
  return undefined;
}

/** livekit.MaxSIPMediaTimeout, 10 minutes, in nanoseconds. */
const maxMediaTimeoutNs = 600n * 1_000_000_000n;

function durationNs(duration: Duration): bigint {
  return duration.seconds * 1_000_000_000n + BigInt(duration.nanos);
}

/** SIPMediaConfig.Validate. */
export function mediaProblem(media: SIPMediaConfig | undefined): Problem {
  if (media === undefined) return undefined;
  for (const codec of media.codecs) {
    if (codec.name === "") return "missing codec name";
    if (/[ \t\n\r]/.test(codec.name)) return "invalid codec name";
    if (codec.name.includes("/")) return "codec name must not contain '/'";
  }
  if (media.mediaTimeout !== undefined) {
    const ns = durationNs(media.mediaTimeout);
    if (ns < 0n) return "media_timeout must not be negative";
    if (ns > maxMediaTimeoutNs) return "media_timeout must not exceed 10m0s";
  }
  return undefined;
}

/** ListUpdate.Validate. */
export function listUpdateProblem(update: ListUpdate | undefined): Problem {
  if (update === undefined) return undefined;
  const change = update.set.length + update.add.length + update.remove.length > 0;
  if (!update.clear && !change) return "unsupported list update operation";
  if (update.clear && change) return "cannot clear and change the list at the same time";
  if (update.set.length > 0 && update.add.length + update.remove.length > 0) return "cannot set and change the list at the same time";
  if ([...update.set, ...update.add, ...update.remove].includes("")) return "empty element in the list";
  return undefined;
}

/** The security rule of SIPInboundTrunkInfo.ValidateResult: a psrpc error of its own. */
export const inboundSecurity = "for security, one of the fields must be set: AuthUsername+AuthPassword, AllowedAddresses or Numbers";

/** SIPInboundTrunkInfo.ValidateResult; `security` tells the first rule apart (it is a psrpc error). */
export function inboundTrunkProblem(info: SIPInboundTrunkInfo): Problem {
  const hasAuth = info.authUsername !== "" || info.authPassword !== "";
  if (!hasAuth && info.allowedAddresses.length === 0 && info.numbers.length === 0) return inboundSecurity;
  return mediaProblem(info.media) ?? headersProblem(info.headers) ?? mappingsProblem(info);
}

/** SIPOutboundTrunkInfo.ValidateResult. */
export function outboundTrunkProblem(info: SIPOutboundTrunkInfo): Problem {
  if (info.numbers.length === 0) return "no trunk numbers specified";
  if (info.address === "") return "no outbound address specified";
  return (
    hostnameProblem(info.address, "trunk address") ??
    hostnameProblem(info.fromHost, "from_host") ??
    headersProblem(info.headers) ??
    mappingsProblem(info) ??
    mediaProblem(info.media)
  );
}

/** SIPOutboundConfig.Validate (a trunk given inline to CreateSIPParticipant). */
function outboundConfigProblem(config: SIPOutboundConfig): Problem {
  if (config.hostname === "") return "no outbound hostname specified";
  return hostnameProblem(config.hostname, "trunk hostname") ?? hostnameProblem(config.fromHost, "from_host") ?? mappingsProblem(config);
}

/** SIPDispatchRuleInfo.Validate. */
export function dispatchRuleProblem(info: SIPDispatchRuleInfo): Problem {
  if (info.rule === undefined) return "missing rule";
  return mediaProblem(info.media);
}

/** CreateSIPParticipantRequest.ValidateResult. */
export function createParticipantProblem(req: CreateSIPParticipantRequest): Problem {
  if (req.sipTrunkId === "" && req.trunk === undefined && req.sipNumber === "") return "missing sip trunk id and sip number";
  if (req.trunk !== undefined) {
    const problem = outboundConfigProblem(req.trunk);
    if (problem !== undefined) return problem;
  }
  if (req.sipCallTo === "") return "missing sip callee number";
  if (req.sipCallTo.includes("@")) return "SipCallTo should be a phone number or SIP user, not a full SIP URI";
  if (req.roomName === "") return "missing room name";
  if (req.displayName !== undefined) {
    if (bytes(req.displayName) > 128) return "DisplayName too long (max 128 characters)";
    if (!goUnquotable(req.displayName)) return "DisplayName must be a valid quoted string: invalid syntax";
  }
  return destinationProblem(req.destination) ?? headersProblem(req.headers) ?? mediaProblem(req.media);
}

const countryProblem = "country must be a valid ISO 3166-1 alpha-2 code (2-letter like 'US', 'IN', 'UK')";

/** Destination.Validate: a country is an upper-case code of a country (x/text's ParseRegion and IsCountry). */
function destinationProblem(destination: Destination | undefined): Problem {
  if (destination === undefined) return undefined;
  if (destination.city !== "" && destination.country === "" && destination.region === "") {
    return "if city is specified, country or region must also be specified";
  }
  if (destination.country !== "" && !destinationCountries.has(destination.country)) return countryProblem;
  return undefined;
}

/** Whether strconv.Unquote accepts `"<text>"`: no bare quote or newline, and only Go's escapes. */
function goUnquotable(text: string): boolean {
  if (text.includes("\n")) return false;
  const escape = /\\(?:[abfnrtv\\"]|x[0-9A-Fa-f]{2}|[0-7]{3}|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})/y;
  for (let i = 0; i < text.length;) {
    const char = text[i]!;
    if (char === '"') return false;
    if (char !== "\\") {
      i++;
      continue;
    }
    escape.lastIndex = i;
    const match = escape.exec(text);
    if (match === null || !validEscape(match[0])) return false;
    i += match[0].length;
  }
  return true;
}

function validEscape(escape: string): boolean {
  const kind = escape[1]!;
  if (/[0-7]/.test(kind)) return Number.parseInt(escape.slice(1), 8) <= 255;
  if (kind !== "u" && kind !== "U") return true;
  const code = Number.parseInt(escape.slice(2), 16);
  return code <= 0x10ffff && (code < 0xd800 || code > 0xdfff);
}

/**
 * TransferSIPParticipantRequest.ValidateResult, which also rewrites `transfer_to` as the server
 * passes it on (a SIP URI in angle brackets, a TEL URI bare); returns the problem or that value.
 */
export function transferProblem(req: {
  readonly roomName: string;
  readonly participantIdentity: string;
  readonly transferTo: string;
  readonly headers: Readonly<Record<string, string>>;
}): { readonly problem: string } | { readonly transferTo: string } {
  if (req.roomName === "") return { problem: "missing room name" };
  if (req.participantIdentity === "") return { problem: "missing participant identity" };
  if (req.transferTo === "") return { problem: "missing transfer to" };
  const inner = req.transferTo.startsWith("<") && req.transferTo.endsWith(">") ? req.transferTo.slice(1, -1) : req.transferTo;
  const sip = inner.startsWith("sip:") || inner.startsWith("sips:");
  if (!sip && !inner.startsWith("tel:")) return { problem: "transfer_to must be a valid SIP(s) or TEL URI (sip:, sips: or tel:)" };
  const problem = headersProblem(req.headers);
  if (problem !== undefined) return { problem };
  return { transferTo: sip ? `<${inner}>` : inner };
}
