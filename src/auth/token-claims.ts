// Reads a verified JWT payload into LiveKit's claims, as strictly as the Go verifier: a claim of
// the wrong JSON type fails the whole token (REFERENCE §5.2). Keys match case-insensitively, as
// Go's encoding/json does.
import { fromJson, type JsonObject } from "@bufbuild/protobuf";
import { RoomConfigurationSchema } from "../../generated/livekit_room_pb.js";

export interface VideoGrant {
  readonly roomCreate: boolean;
  readonly roomList: boolean;
  readonly roomRecord: boolean;
  readonly roomAdmin: boolean;
  readonly roomJoin: boolean;
  readonly ingressAdmin: boolean;
  readonly room: string;
  readonly destinationRoom: string;
}

export interface SipGrant {
  readonly admin: boolean;
  readonly call: boolean;
}

export interface TokenClaims {
  /** `sub`, else the legacy `jti`; "" when neither is set. */
  readonly identity: string;
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly video: VideoGrant;
  readonly sip: SipGrant;
  /** Unix seconds; required, but its absence is reported by the verifier, as Go's does. */
  readonly exp: number | undefined;
  readonly nbf: number | undefined;
}

export class ClaimError extends Error {
  override name = "ClaimError";
}

const videoBooleans = ["roomCreate", "roomList", "roomRecord", "roomAdmin", "roomJoin", "ingressAdmin", "hidden", "recorder", "agent"];
const videoOptionalBooleans = [
  "canPublish",
  "canSubscribe",
  "canPublishData",
  "canUpdateOwnMetadata",
  "canSubscribeMetrics",
  "canManageAgentSession",
];
const videoStrings = ["room", "destinationRoom"];

export function readClaims(payload: JsonObject): TokenClaims {
  const claims = new CaseInsensitive(payload, "claims");
  for (const name of ["iss", "sub", "jti", "name", "metadata", "kind", "roomPreset", "sha256"]) claims.string(name);
  for (const name of ["iat"]) claims.number(name);
  claims.stringArray("kindDetails");
  claims.audience();
  const roomConfig = claims.raw("roomConfig");
  if (roomConfig !== undefined && roomConfig !== null) {
    try {
      fromJson(RoomConfigurationSchema, roomConfig, { ignoreUnknownFields: true });
    } catch (err) {
      throw new ClaimError(`claim roomConfig is not a RoomConfiguration: ${(err as Error).message}`);
    }
  }
  const exp = claims.number("exp");

  const video = claims.object("video");
  const sip = claims.object("sip");
  for (const name of ["agent", "inference", "observability"]) {
    const grant = claims.object(name);
    for (const key of grant?.keys() ?? []) grant!.boolean(key);
  }
  for (const name of [...videoBooleans, ...videoOptionalBooleans]) video?.boolean(name);
  video?.stringArray("canPublishSources");

  return {
    identity: claims.string("sub") || claims.string("jti") || "",
    name: claims.string("name") ?? "",
    attributes: claims.stringMap("attributes"),
    video: {
      roomCreate: video?.boolean("roomCreate") ?? false,
      roomList: video?.boolean("roomList") ?? false,
      roomRecord: video?.boolean("roomRecord") ?? false,
      roomAdmin: video?.boolean("roomAdmin") ?? false,
      roomJoin: video?.boolean("roomJoin") ?? false,
      ingressAdmin: video?.boolean("ingressAdmin") ?? false,
      room: video?.string(videoStrings[0]!) ?? "",
      destinationRoom: video?.string(videoStrings[1]!) ?? "",
    },
    sip: { admin: sip?.boolean("admin") ?? false, call: sip?.boolean("call") ?? false },
    exp,
    nbf: claims.number("nbf"),
  };
}

/** Typed, case-insensitive access to one JSON object of the payload. */
class CaseInsensitive {
  constructor(
    private readonly json: JsonObject,
    private readonly path: string,
  ) {}

  keys(): string[] {
    return Object.keys(this.json);
  }

  raw(name: string): JsonObject[string] | undefined {
    if (name in this.json) return this.json[name];
    const lower = name.toLowerCase();
    const key = Object.keys(this.json).find((k) => k.toLowerCase() === lower);
    return key === undefined ? undefined : this.json[key];
  }

  string(name: string): string | undefined {
    return this.typed(name, "a string", (v): v is string => typeof v === "string");
  }

  boolean(name: string): boolean | undefined {
    return this.typed(name, "a boolean", (v): v is boolean => typeof v === "boolean");
  }

  number(name: string): number | undefined {
    const value = this.raw(name);
    // NumericDate: Go also decodes a quoted number.
    if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
    return this.typed(name, "a number", (v): v is number => typeof v === "number");
  }

  stringArray(name: string): string[] | undefined {
    return this.typed(name, "an array of strings", (v): v is string[] => Array.isArray(v) && v.every((i) => typeof i === "string"));
  }

  stringMap(name: string): Record<string, string> {
    return (
      this.typed(
        name,
        "an object of strings",
        (v): v is Record<string, string> =>
          typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((i) => typeof i === "string"),
      ) ?? {}
    );
  }

  object(name: string): CaseInsensitive | undefined {
    const value = this.typed(name, "an object", (v): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v));
    return value === undefined ? undefined : new CaseInsensitive(value, `${this.path}.${name}`);
  }

  audience(): void {
    const value = this.raw("aud");
    if (value === undefined || value === null || typeof value === "string") return;
    if (Array.isArray(value) && value.every((i) => typeof i === "string")) return;
    throw new ClaimError(`claim aud must be a string or an array of strings`);
  }

  private typed<T>(name: string, expected: string, is: (value: unknown) => value is T): T | undefined {
    const value = this.raw(name);
    // JSON null leaves a Go field at its zero value.
    if (value === undefined || value === null) return undefined;
    if (!is(value)) throw new ClaimError(`claim ${this.path === "claims" ? "" : `${this.path.slice(7)}.`}${name} must be ${expected}`);
    return value;
  }
}
