// Reads a JWT payload into LiveKit's claims exactly as the Go verifier does: Go's encoding/json
// decoding into golang-jwt's RegisteredClaims and livekit/protocol's ClaimGrants (REFERENCE §5.2).
// That means: keys match the field names exactly or else case-insensitively (Go's fold, in which
// "ſ" is an "s" and the Kelvin sign a "k"); a repeated key is decoded again into the same field,
// so the later value wins for strings, bools and lists while objects and maps merge; `null` resets
// pointers, maps and lists and leaves strings and bools alone; a value of the wrong JSON type fails
// the whole token; NumericDates accept a number or a quoted number and are converted to seconds
// the way Go converts them (so `exp: 1e20` overflows into the distant past, and is expired).
import { isUtf8 } from "node:buffer";
import { fromJson, type DescMessage, type JsonValue } from "@bufbuild/protobuf";
import { readJson } from "../shared/read-json.js";
import { goQuote, type GoJson } from "./go-json.js";

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

/** The registered claims, as golang-jwt reads them before the signature is checked. */
export interface RegisteredClaims {
  /** `sub`, else the legacy `jti`; "" when neither is set. */
  readonly identity: string;
  /**
   * Unix seconds as Go holds them after reading a NumericDate (truncated to whole seconds and
   * converted to int64, overflow included); undefined when absent or null. `exp` is required, but
   * its absence is reported by the verifier, after the signature check, as Go's does.
   */
  readonly exp: bigint | undefined;
  readonly nbf: bigint | undefined;
}

export interface TokenClaims extends RegisteredClaims {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly video: VideoGrant;
  readonly sip: SipGrant;
}

/** The claims do not decode into Go's structs; the message is Go's error text. */
export class ClaimError extends Error {
  override name = "ClaimError";
}

// livekit.RoomConfiguration pulls in the room, egress and agent descriptors, which nothing else
// needs at start-up; they are loaded the first time a token carries a roomConfig claim.
let roomConfigurationSchema: DescMessage | undefined;
let roomConfigurationLoading: Promise<void> | undefined;

/** Thrown by readClaims for a roomConfig claim until loadRoomConfigSchema has resolved. */
export class RoomConfigSchemaPending extends Error {
  override name = "RoomConfigSchemaPending";
}

export function loadRoomConfigSchema(): Promise<void> {
  roomConfigurationLoading ??= import("../../generated/livekit_room_pb.js").then((room) => {
    roomConfigurationSchema = room.RoomConfigurationSchema;
  });
  return roomConfigurationLoading;
}

// ---- the Go types the payload decodes into ---------------------------------------------------

export type FieldType =
  | "string"
  | "bool"
  /** *bool: null resets it. */
  | "boolPointer"
  | "stringSlice"
  | "stringMap"
  | "numericDate"
  /** jwt.ClaimStrings (`aud`): a string or a list of strings. */
  | "claimStrings"
  /** *auth.RoomConfiguration: protojson of livekit.RoomConfiguration. */
  | "roomConfig"
  | StructType;

export interface StructType {
  /** As Go names it in errors: `VideoGrant`, and with its package, `auth.VideoGrant`. */
  readonly name: string;
  readonly qualifiedName: string;
  readonly fields: Readonly<Record<string, FieldType>>;
  /** For the top-level struct: the embedded struct that declares each field. */
  readonly embeddedIn?: Readonly<Record<string, string>>;
}

function struct(name: string, fields: Record<string, FieldType>, embeddedIn?: Record<string, string>): StructType {
  return { name, qualifiedName: `auth.${name}`, fields, ...(embeddedIn === undefined ? {} : { embeddedIn }) };
}

const registeredFields: Record<string, FieldType> = {
  iss: "string",
  sub: "string",
  aud: "claimStrings",
  exp: "numericDate",
  nbf: "numericDate",
  iat: "numericDate",
  jti: "string",
};

// livekit/protocol auth/grants.go, as linked into the original (protocol v1.53.1).
const videoGrant = struct("VideoGrant", {
  roomCreate: "bool",
  roomList: "bool",
  roomRecord: "bool",
  roomAdmin: "bool",
  roomJoin: "bool",
  room: "string",
  canPublish: "boolPointer",
  canSubscribe: "boolPointer",
  canPublishData: "boolPointer",
  canPublishSources: "stringSlice",
  canUpdateOwnMetadata: "boolPointer",
  ingressAdmin: "bool",
  hidden: "bool",
  recorder: "bool",
  agent: "bool",
  canSubscribeMetrics: "boolPointer",
  canManageAgentSession: "boolPointer",
  destinationRoom: "string",
});

const grantFields: Record<string, FieldType> = {
  identity: "string",
  name: "string",
  kind: "string",
  kindDetails: "stringSlice",
  video: videoGrant,
  sip: struct("SIPGrant", { admin: "bool", call: "bool" }),
  agent: struct("AgentGrant", { admin: "bool", simulationAdmin: "bool", databaseAdmin: "bool", dispatchAdmin: "bool" }),
  inference: struct("InferenceGrant", { perform: "bool" }),
  observability: struct("ObservabilityGrant", { write: "bool" }),
  agentEndpoint: struct("AgentEndpointGrant", { call: "bool", agentName: "string", deployment: "string" }),
  agentThread: struct("AgentThreadGrant", {
    all: "bool",
    scope: "string",
    threadIds: "stringSlice",
    list: "bool",
    create: "bool",
    write: "bool",
    read: "bool",
    delete: "bool",
  }),
  roomConfig: "roomConfig",
  roomPreset: "string",
  sha256: "string",
  metadata: "string",
  attributes: "stringMap",
};

/** What ParseAPIToken decodes the payload into, before anything else. */
const registeredClaims: StructType = { name: "RegisteredClaims", qualifiedName: "jwt.RegisteredClaims", fields: registeredFields };

/** What Verify decodes the payload into: both structs embedded, their fields promoted. */
export const tokenClaims = struct(
  "tokenClaims",
  { ...registeredFields, ...grantFields },
  {
    ...Object.fromEntries(Object.keys(registeredFields).map((k) => [k, "RegisteredClaims"])),
    ...Object.fromEntries(Object.keys(grantFields).map((k) => [k, "ClaimGrants"])),
  },
);

// ---- reading ---------------------------------------------------------------------------------

/** A decoded struct: field name → value (a Map for map[string]string fields, a GoStruct for structs). */
export type GoStruct = Record<string, unknown>;

/**
 * The registered claims (ParseAPIToken's pass). Throws a ClaimError with Go's text when the
 * payload does not decode into jwt.RegisteredClaims.
 */
export function readRegisteredClaims(payload: GoJson, bytes: Uint8Array): RegisteredClaims {
  const value = decodeTop(payload, bytes, registeredClaims);
  return registeredOf(value);
}

/** Every claim (Verify's pass), once the registered ones have decoded. */
export function readClaims(payload: GoJson, bytes: Uint8Array): TokenClaims {
  return claimsOf(decodeTop(payload, bytes, tokenClaims));
}

/**
 * Every claim as Go decodes the payload (field name → value), for the rare reader that needs more
 * than TokenClaims holds: a stateful join (participant-grants.ts).
 */
export function readAllClaims(payload: GoJson, bytes: Uint8Array): GoStruct {
  return decodeTop(payload, bytes, tokenClaims);
}

/** The claims the server uses, from the decoded tokenClaims struct. */
export function claimsOf(value: GoStruct): TokenClaims {
  // Plain property reads: this runs for every new token.
  const video = (value["video"] as GoStruct | undefined) ?? noGrant;
  const sip = (value["sip"] as GoStruct | undefined) ?? noGrant;
  const attributes = value["attributes"] as Map<string, string> | undefined;
  const { identity, exp, nbf } = registeredOf(value);
  return {
    identity,
    exp,
    nbf,
    name: text(value["name"]),
    attributes: attributes === undefined ? {} : Object.fromEntries(attributes),
    video: {
      roomCreate: video["roomCreate"] === true,
      roomList: video["roomList"] === true,
      roomRecord: video["roomRecord"] === true,
      roomAdmin: video["roomAdmin"] === true,
      roomJoin: video["roomJoin"] === true,
      ingressAdmin: video["ingressAdmin"] === true,
      room: text(video["room"]),
      destinationRoom: text(video["destinationRoom"]),
    },
    sip: { admin: sip["admin"] === true, call: sip["call"] === true },
  };
}

const noGrant: GoStruct = {};

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function registeredOf(value: GoStruct): RegisteredClaims {
  const sub = (value["sub"] as string | undefined) ?? "";
  return {
    identity: sub !== "" ? sub : ((value["jti"] as string | undefined) ?? ""),
    exp: value["exp"] as bigint | undefined,
    nbf: value["nbf"] as bigint | undefined,
  };
}

function decodeTop(payload: GoJson, bytes: Uint8Array, type: StructType): GoStruct {
  const decoder = new Decoder(bytes);
  const value: GoStruct = {};
  // json.Unmarshal into a Claims interface: null leaves the zero claims, anything but an object
  // is a type error naming the struct.
  if (payload.kind === "object") decoder.members(payload, type, value, type.name, []);
  else if (payload.kind !== "null") decoder.typeError(payload, type.qualifiedName);
  if (decoder.firstTypeError !== undefined) throw new ClaimError(decoder.firstTypeError);
  return value;
}

/**
 * One json.Unmarshal. A type mismatch is remembered (the first one is the error) and decoding
 * goes on, as Go's does; an error from a type's own UnmarshalJSON is thrown at once, as Go
 * returns it at once.
 */
class Decoder {
  firstTypeError: string | undefined;
  constructor(private readonly bytes: Uint8Array) {}

  members(node: GoJson & { kind: "object" }, type: StructType, target: GoStruct, structName: string, stack: readonly string[]): void {
    for (const { key, value } of node.members) {
      const name = fieldFor(key, type);
      if (name === undefined) continue;
      const via = type.embeddedIn?.[name];
      const fieldStack = via === undefined ? [...stack, name] : [...stack, via, name];
      target[name] = this.value(value, type.fields[name]!, target[name], structName, fieldStack);
    }
  }

  value(node: GoJson, type: FieldType, current: unknown, structName: string, stack: readonly string[]): unknown {
    switch (type) {
      case "string":
        if (node.kind === "string") return node.value;
        if (node.kind !== "null") this.typeError(node, "string", structName, stack);
        return current;
      case "bool":
        if (node.kind === "bool") return node.value;
        if (node.kind !== "null") this.typeError(node, "bool", structName, stack);
        return current;
      case "boolPointer":
        if (node.kind === "bool") return node.value;
        if (node.kind === "null") return undefined;
        this.typeError(node, "bool", structName, stack);
        return current;
      case "stringSlice": {
        if (node.kind === "null") return undefined;
        if (node.kind !== "array") {
          this.typeError(node, "[]string", structName, stack);
          return current;
        }
        // Go decodes into the existing elements, so a null element keeps the earlier value.
        const earlier = (current as string[] | undefined) ?? [];
        return node.items.map((item, i) => this.value(item, "string", earlier[i] ?? "", structName, stack));
      }
      case "stringMap": {
        if (node.kind === "null") return undefined;
        if (node.kind !== "object") {
          this.typeError(node, "map[string]string", structName, stack);
          return current;
        }
        // A second `attributes` adds to the first.
        const map = (current as Map<string, string> | undefined) ?? new Map<string, string>();
        for (const member of node.members) map.set(member.key, this.value(member.value, "string", "", structName, stack) as string);
        return map;
      }
      case "numericDate":
        return node.kind === "null" ? undefined : numericDate(node, this.bytes);
      case "claimStrings":
        if (node.kind === "string" || node.kind === "null") return current;
        if (node.kind === "array" && node.items.every((i) => i.kind === "string")) return current;
        throw new ClaimError("invalid type for claim");
      case "roomConfig":
        if (node.kind === "null") return undefined;
        checkRoomConfig(this.bytes.subarray(node.start, node.end));
        return true;
      default: {
        if (node.kind === "null") return undefined;
        if (node.kind !== "object") {
          this.typeError(node, type.qualifiedName, structName, stack);
          return current;
        }
        // A second `video` object is decoded into the first: the grants merge.
        const target = (current as GoStruct | undefined) ?? {};
        this.members(node, type, target, type.name, stack);
        return target;
      }
    }
  }

  typeError(node: GoJson, goType: string, structName?: string, stack?: readonly string[]): void {
    if (this.firstTypeError !== undefined) return;
    const into = structName === undefined ? "Go value" : `Go struct field ${structName}.${stack!.join(".")}`;
    this.firstTypeError = `json: cannot unmarshal ${node.kind} into ${into} of type ${goType}`;
  }
}

/** The field a key sets: its exact name, else the first one equal under Go's case folding. */
export function fieldFor(key: string, type: StructType): string | undefined {
  if (Object.hasOwn(type.fields, key)) return key;
  let byFold = foldedFields.get(type);
  if (byFold === undefined) {
    byFold = new Map();
    for (const name of Object.keys(type.fields)) if (!byFold.has(goFold(name))) byFold.set(goFold(name), name);
    foldedFields.set(type, byFold);
  }
  return byFold.get(goFold(key));
}

// Every token with a key that is not a field name exactly (`iss`, `kind`, …) asks again.
const foldedFields = new WeakMap<StructType, Map<string, string>>();

/**
 * encoding/json's foldName: ASCII letters upper-cased, every other code point replaced by the
 * smallest one in its case-folding orbit. Field names are ASCII, so only the two code points whose
 * orbit reaches ASCII matter: U+017F (ſ, folds with S) and U+212A (Kelvin sign, folds with K).
 */
function goFold(key: string): string {
  if (printableAscii.test(key)) return key.toUpperCase();
  return key.replace(/[a-z\u017f\u212a]/g, (c) => (c === "\u017f" ? "S" : c === "\u212a" ? "K" : c.toUpperCase()));
}

const printableAscii = /^[\x20-\x7e]*$/;

// ---- the types with their own UnmarshalJSON --------------------------------------------------

/** golang-jwt's NumericDate.UnmarshalJSON, then time.Unix and Truncate(time.Second). */
function numericDate(node: GoJson, bytes: Uint8Array): bigint {
  let literal: string;
  if (node.kind === "number") literal = node.literal;
  else if (node.kind === "string") {
    // json.Number accepts a string only when it holds a valid JSON number.
    if (!/^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?$/.test(node.value)) {
      const item = goQuote(bytes.subarray(node.start, node.end));
      throw new ClaimError(`could not parse NumericData: json: invalid number literal, trying to unmarshal ${item} into Number`);
    }
    literal = node.value;
  } else {
    throw new ClaimError(`could not parse NumericData: json: cannot unmarshal ${node.kind} into Go value of type json.Number`);
  }
  const seconds = Number(literal);
  if (!Number.isFinite(seconds)) {
    throw new ClaimError(
      `could not convert json number value to float: strconv.ParseFloat: parsing ${goQuote(literal)}: value out of range`,
    );
  }
  return goUnixSeconds(seconds);
}

const int64Min = -(2n ** 63n);

/**
 * The whole Unix seconds of `time.Unix(int64(round), int64(frac*1e9))` after Truncate(Second).
 * A float outside the int64 range converts to the minimum int64 (what amd64 does; arm64
 * saturates instead, which ends up just as far in the past once Go adds its epoch offset).
 */
export function goUnixSeconds(seconds: number): bigint {
  const round = Math.trunc(seconds);
  let sec = round >= 2 ** 63 || round < -(2 ** 63) ? int64Min : BigInt(round);
  const nanos = Math.trunc((seconds - round) * 1e9);
  if (nanos < 0) sec -= 1n;
  return BigInt.asIntN(64, sec);
}

/** protojson.Unmarshal of the claim's raw bytes into livekit.RoomConfiguration. */
function checkRoomConfig(raw: Uint8Array): void {
  const schema = roomConfigurationSchema;
  if (schema === undefined) throw new RoomConfigSchemaPending("the roomConfig claim's schema is not loaded yet");
  if (!isUtf8(raw)) throw new ClaimError("proto: roomConfig: invalid UTF-8 in string");
  let json: JsonValue;
  try {
    // Not JSON.parse: protojson refuses a repeated field.
    json = readJson(Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString("utf8"));
  } catch (err) {
    throw new ClaimError(`proto: roomConfig: ${(err as Error).message}`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new ClaimError(`proto: roomConfig: unexpected token ${JSON.stringify(json)}`);
  }
  try {
    fromJson(schema, json, { ignoreUnknownFields: true });
  } catch (err) {
    throw new ClaimError(`proto: roomConfig: ${(err as Error).message}`);
  }
}
