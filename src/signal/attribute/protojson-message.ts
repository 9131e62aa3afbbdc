// Decodes the protojson parts of `lk.mock` (a join, a scripted message, a reply) as strictly as Go's
// protojson.Unmarshal (shared/strict-protojson.ts), each refusal worded as the attribute's error.
import type { DescMessage, JsonValue, Message } from "@bufbuild/protobuf";
import { decodeStrictProtojson, ProtojsonError } from "../../shared/strict-protojson.js";
import type { JsonPath } from "../../shared/quote-json.js";
import { SignalMockError } from "./signal-mock-error.js";

/** `json` as a message of `schema`; `path` says where it sits in the attribute. Throws SignalMockError. */
export function decodeProtojson(schema: DescMessage, json: JsonValue, path: JsonPath): Message {
  try {
    return decodeStrictProtojson(schema, json, path);
  } catch (err) {
    if (err instanceof ProtojsonError) throw new SignalMockError(err.message);
    throw err;
  }
}
