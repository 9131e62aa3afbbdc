// Reads the `lk.mock` attribute's JSON with what JSON.parse hides: how deep it nests (checked before
// anything recurses into it, so that thousands of levels are a clear refusal rather than a stack
// overflow), which keys repeat within one object, and how numbers were written (Go decodes `1.0`
// into no integer field, REFERENCE §6.1).
import type { JsonValue } from "@bufbuild/protobuf";
import { quote, type JsonPath } from "../../shared/quote-json.js";
import { SignalMockError } from "./signal-mock-error.js";

/**
 * Deepest nesting of objects and arrays accepted. The deepest useful value (a script step sending
 * a participant update with tracks, codecs and layers) nests about 12 levels.
 */
export const maxAttributeDepth = 64;

export type { JsonPath };

export interface AttributeJson {
  readonly value: JsonValue;
  /** Where a key appears twice within one object: the object's path and the key. */
  readonly duplicates: readonly { readonly path: JsonPath; readonly key: string }[];
  /** The source text of the number at `path` when it was written with a fraction or exponent. */
  numberLiteral(path: JsonPath): string | undefined;
}

// One JSON token: a string, a number-ish run, a literal or a structural character.
const token = /[ \t\n\r]*("(?:[^"\\]|\\.)*"|-?[0-9][0-9.eE+-]*|-|true|false|null|[{}[\]:,])/y;

interface Frame {
  readonly path: (string | number)[];
  readonly array: boolean;
  readonly keys: Set<string>;
  /** Arrays: index of the next element. Objects: the key whose value comes next, once its colon is read. */
  index: number;
  key: string | undefined;
  afterColon: boolean;
}

/** Throws SignalMockError when `raw` is not JSON or nests deeper than maxAttributeDepth. */
export function readAttributeJson(raw: string): AttributeJson {
  const duplicates: { path: JsonPath; key: string }[] = [];
  const literals = new Map<string, string>();
  const stack: Frame[] = [];
  // The scan below only trusts its tokens once JSON.parse has accepted the text, except for the
  // depth, which it must measure first: a string-aware bracket count is right for any input.
  const tokens: string[] = [];
  token.lastIndex = 0;
  let depth = 0;
  for (let m = token.exec(raw); m !== null; m = token.exec(raw)) {
    const t = m[1]!;
    if (t === "{" || t === "[") {
      if (++depth > maxAttributeDepth) {
        throw new SignalMockError(`the value nests deeper than ${maxAttributeDepth} levels (at character ${m.index + m[0].length - 1})`);
      }
    } else if (t === "}" || t === "]") {
      depth--;
    }
    tokens.push(t);
  }
  let value: JsonValue;
  try {
    value = JSON.parse(raw) as JsonValue;
  } catch (err) {
    throw new SignalMockError(`${quote(raw)} is not JSON (${(err as Error).message}); expected e.g. {"signal":"happy"}`);
  }

  const where = (frame: Frame | undefined): (string | number)[] => {
    if (frame === undefined) return [];
    return [...frame.path, frame.array ? frame.index : frame.key!];
  };
  for (const t of tokens) {
    const top = stack.at(-1);
    if (t === "{" || t === "[") {
      stack.push({ path: where(top), array: t === "[", keys: new Set(), index: 0, key: undefined, afterColon: false });
      continue;
    }
    if (t === "}" || t === "]") {
      stack.pop();
      continue;
    }
    if (top === undefined) continue;
    if (t === ",") {
      if (top.array) top.index++;
      else [top.key, top.afterColon] = [undefined, false];
      continue;
    }
    if (t === ":") {
      top.afterColon = true;
      continue;
    }
    if (!top.array && !top.afterColon) {
      const key = JSON.parse(t) as string;
      if (top.keys.has(key)) duplicates.push({ path: top.path, key });
      top.keys.add(key);
      top.key = key;
      continue;
    }
    if (/^-?[0-9]/.test(t)) {
      const at = JSON.stringify(where(top));
      // A later duplicate key wins, as in JSON.parse, so a plain number clears an earlier literal.
      if (/[.eE]/.test(t)) literals.set(at, t);
      else literals.delete(at);
    }
  }
  return { value, duplicates, numberLiteral: (path) => literals.get(JSON.stringify(path)) };
}
