// What an answer of either server looks like once what may legitimately differ is taken out:
// protojson written either way (the real server writes proto names and every default, ours
// lowerCamelCase without defaults) is read with the method's schema and written back one way;
// ids are replaced by their shape and order of appearance (`RM_#1`), times and secrets by their
// shape; lists the real server reads from a map are sorted; values that depend on the real
// server's timing (participant counts and versions) are left out.
import { fromJson, toJson, type DescMessage, type JsonObject, type JsonValue } from "@bufbuild/protobuf";
import { stubModules } from "../../../generated/mock/method-table.js";
import { createMethodRoutes } from "../../../src/twirp/method-routes.js";
import type { MethodStub } from "../../../src/twirp/method-stub.js";

const routes = createMethodRoutes(stubModules);

/** The stub of a route key. */
export async function stubOf(key: string): Promise<MethodStub> {
  const route = await routes.route(key);
  if (route === undefined) throw new Error(`no such method ${key}`);
  return route.stub;
}

/** The output schema of a route key. */
export async function outputOf(key: string): Promise<DescMessage> {
  return (await stubOf(key)).method.output;
}

/** Numbers the ids of one sequence by prefix, in order of appearance, on one server. */
export interface IdNames {
  name(id: string): string;
  /** The id named `name` (`ST_#1`) so far, for a later request that refers to it. */
  id(name: string): string | undefined;
}

export function createIdNames(): IdNames {
  const seen = new Map<string, string>();
  const counts = new Map<string, number>();
  const byName = new Map<string, string>();
  return {
    name(id) {
      let named = seen.get(id);
      if (named === undefined) {
        const prefix = id.slice(0, id.indexOf("_"));
        const n = (counts.get(prefix) ?? 0) + 1;
        counts.set(prefix, n);
        named = `${prefix}_#${n}`;
        seen.set(id, named);
        byName.set(named, id);
      }
      return named;
    },
    id: (name) => byName.get(name),
  };
}

/** A Twirp answer: a success as its normalized message, an error as status, code, msg and meta. */
export async function normalizeAnswer(key: string, status: number, text: string, ids: IdNames): Promise<JsonValue> {
  let json: JsonValue;
  try {
    json = JSON.parse(text) as JsonValue;
  } catch {
    return { status, text };
  }
  if (status !== 200) {
    const error = json as { code?: string; msg?: string; meta?: JsonObject };
    // A conflict names the record it conflicts with: its id, by name.
    const msg = error.msg?.replace(idsInText, (id) => ids.name(id)) ?? null;
    return { status, code: error.code ?? null, msg, meta: error.meta ?? {} };
  }
  const schema = await outputOf(key);
  return { status, body: normalizeMessage(schema, json, ids) };
}

export function normalizeMessage(schema: DescMessage, json: JsonValue, ids: IdNames): JsonValue {
  const message = fromJson(schema, json, { ignoreUnknownFields: true });
  return shapes(toJson(schema, message), ids, "");
}

/**
 * Keys whose value depends on the real server's timing: the room's counts, which it refreshes every
 * few seconds, and a participant's version, which counts its internal changes (state, migration,
 * publisher) at moments that vary from run to run (a join's first listing is version 1 or 2).
 */
const timingDependent = new Set(["numParticipants", "numPublishers", "version"]);
const idPattern = /^[A-Z]{2,4}_[0-9A-Za-z]{12}$/;
const idsInText = /\b[A-Z]{2,4}_[0-9A-Za-z]{12}\b/g;
/** utils.RandomSecret: base62 of random bytes, 43 or 44 characters. */
const secretPattern = /^[0-9A-Za-z]{40,44}$/;
/** guid.New(""): an ingress's stream key, twelve characters of no prefix. */
const streamKeyPattern = /^[0-9A-Za-z]{12}$/;
/** Lists whose order the real server does not keep (it reads them from a map), by their sort key. */
const unordered: Readonly<Record<string, string>> = {
  rooms: "name",
  participants: "identity",
  otherParticipants: "identity",
  // SIP records come sorted by their random ids, ingresses and egresses from a map; a room's agent
  // dispatches from a map.
  items: "name",
  agentDispatches: "agentName",
};

function shapes(value: JsonValue, ids: IdNames, key: string): JsonValue {
  if (Array.isArray(value)) {
    const by = unordered[key];
    const sortKey = (item: JsonValue): string => String((item as JsonObject | null)?.[by ?? ""] ?? "");
    // Sorted before ids are numbered, so that both servers number them alike.
    const items = by === undefined ? value : [...value].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    return items.map((item) => shapes(item, ids, key));
  }
  if (value !== null && typeof value === "object") {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) if (!timingDependent.has(k)) out[k] = shapes(v, ids, k);
    return out;
  }
  if (typeof value === "string") {
    if (idPattern.test(value)) return ids.name(value);
    if (key === "turnPassword" && secretPattern.test(value)) return "<secret>";
    if (key === "streamKey" && streamKeyPattern.test(value)) return "<stream key>";
    if (isTimeKey(key) && isRecent(value)) return "<time>";
  }
  if (typeof value === "number" && isTimeKey(key) && isRecent(String(value))) return "<time>";
  return value;
}

function isTimeKey(key: string): boolean {
  return /(At|AtMs|Time|TimeMs)$/.test(key);
}

/** A Unix time in seconds, milliseconds or nanoseconds within a day of now. */
function isRecent(text: string): boolean {
  if (!/^\d+$/.test(text)) return false;
  const value = Number(text);
  const nowSeconds = Date.now() / 1000;
  return [value, value / 1e3, value / 1e9].some((seconds) => Math.abs(seconds - nowSeconds) < 86_400);
}
