// Request and response codecs for Twirp: JSON or binary protobuf, chosen by Content-Type. Every
// decode failure becomes a Twirp `malformed` error here and nowhere else.
import { isUtf8 } from "node:buffer";
import { create, fromJson, toBinary, toJson, type DescMessage, type JsonValue, type Message } from "@bufbuild/protobuf";
import { readJson } from "../shared/read-json.js";
import { firstInvalidUtf8 } from "../shared/utf8.js";
import { fromBinaryTolerant } from "./tolerant-binary.js";
import { TwirpError } from "./twirp-errors.js";

export type Codec = "json" | "binary";

/**
 * The media type before `;`, trimmed and lower-cased, as twirp matches it. An absent header means
 * binary (the original test server's default); anything else unknown is `undefined`.
 */
export function codecFromContentType(header: string | undefined): Codec | undefined {
  if (header === undefined || header.trim() === "") return "binary";
  const media = header.split(";", 1)[0]!.trim().toLowerCase();
  if (media === "application/json") return "json";
  if (media === "application/protobuf" || media === "application/x-protobuf") return "binary";
  return undefined;
}

export function contentTypeOf(codec: Codec): string {
  return codec === "json" ? "application/json" : "application/protobuf";
}

export function decodeRequest(schema: DescMessage, body: Buffer, codec: Codec): Message {
  if (codec === "binary") {
    try {
      return fromBinaryTolerant(schema, body);
    } catch (err) {
      throw new TwirpError("malformed", `the protobuf request could not be decoded: ${reason(err)}`);
    }
  }
  // An empty body is an empty message, as the original test server treats it; SDKs always send
  // at least `{}`, so only hand-written requests ever rely on this.
  if (body.length === 0) return create(schema);
  // `{}`, what SDKs send for calls without arguments, needs no parsing.
  if (body.length === 2 && body[0] === 0x7b && body[1] === 0x7d) return create(schema);
  // protojson refuses invalid UTF-8 (inside a string it is "invalid UTF-8", outside one a syntax
  // error), while toString() would quietly turn it into U+FFFD and accept it.
  if (!isUtf8(body)) {
    throw new TwirpError("malformed", `the json request could not be decoded: invalid UTF-8 at byte ${firstInvalidUtf8(body)}`);
  }
  let json: JsonValue;
  try {
    // Not JSON.parse: protojson refuses a repeated key (REFERENCE §2.2), JSON.parse keeps the last.
    json = readJson(body.toString("utf8"));
  } catch (err) {
    throw new TwirpError("malformed", `the json request could not be decoded: ${reason(err)}`);
  }
  try {
    return decodeJson(schema, json);
  } catch (err) {
    throw new TwirpError("malformed", `the json request could not be decoded: ${reason(err)}`);
  }
}

/** protojson Unmarshal as LiveKit configures it: both field names accepted, unknowns dropped. */
function decodeJson(schema: DescMessage, json: JsonValue): Message {
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw new Error(
      `expected a JSON object for ${schema.typeName}, got ${json === null ? "null" : Array.isArray(json) ? "an array" : typeof json}`,
    );
  }
  return fromJson(schema, json, { ignoreUnknownFields: true });
}

/** JSON as the mock writes it: lowerCamelCase names, defaults omitted, compact. */
export function encodeResponse(schema: DescMessage, message: Message, codec: Codec): string | Uint8Array {
  if (codec === "binary") return toBinary(schema, message);
  return JSON.stringify(toJson(schema, message));
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
