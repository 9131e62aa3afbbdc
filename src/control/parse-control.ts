// Builds a request's control settings: the legacy `X-Lk-Mock-*` headers form the base and the
// `X-Lk-Mock` JSON overlays it per field (REFERENCE §4.2). Unlike the original, every mistake is
// a 400 naming the field: a typo must fail a test, not quietly turn it into a happy path.
import type { JsonObject, JsonValue } from "@bufbuild/protobuf";
import { formatJsonPath, isJsonReadError, readJson, readJsonDocument, type JsonDocument } from "../shared/read-json.js";
import { closestName } from "../shared/closest-name.js";
import { ControlError, invalidControl } from "./control-error.js";
import { controlFields, failModes, maxDelayMs, type ControlFieldName, type ControlFieldSpec, type ValueSpec } from "./control-fields.js";

export type FailMode = (typeof failModes)[number];

/** What one region does instead of the flat fields (`regions` in the control table of docs/control-header.md). */
export interface RegionPlan {
  readonly failMode?: FailMode;
  readonly failStatus?: number;
  readonly failTwirpCode?: string;
  readonly failMeta?: Readonly<Record<string, string>>;
  readonly delayMs?: number;
}

export interface SipStatusControl {
  readonly code: number;
  readonly status: string;
}

/** Where this call's webhook events go (webhooks/webhooks-config.ts has the same fields). */
export interface WebhooksControl {
  readonly url: string;
  readonly apiKey: string;
  readonly apiSecret?: string;
}

export interface Control {
  readonly failRegions: readonly number[];
  readonly failMode: FailMode;
  /** undefined: 503. */
  readonly failStatus: number | undefined;
  /** "": derived from the status. */
  readonly failTwirpCode: string;
  /** undefined: the method's natural latency. */
  readonly delayMs: number | undefined;
  /** undefined: the normal 200 answer. */
  readonly regionsStatus: number | undefined;
  /** The override JSON, still to be decoded against the method's response type. */
  readonly response: JsonValue | undefined;
  readonly skipAuth: boolean;
  readonly sipStatus: SipStatusControl | undefined;
  readonly pinnedRegions: readonly string[];
  /** undefined: no webhooks. */
  readonly webhooks: WebhooksControl | undefined;
  /** How long the legacy `delay` failMode sleeps: X-Lk-Mock-Delay-Ms, else 30 s. */
  readonly legacyDelayMs: number;
  readonly failMeta: Readonly<Record<string, string>>;
  /** Epoch ms; undefined: no time limit on failing. */
  readonly failUntil: number | undefined;
  /** undefined: no count limit on failing. */
  readonly failFirst: number | undefined;
  /** Per-region plans, by region index. */
  readonly regions: ReadonlyMap<number, RegionPlan>;
  readonly slowBytesPerSec: number;
  readonly listSize: number;
  readonly journal: string | undefined;
  readonly echo: boolean;
  /** The world this request reads and changes; undefined: the server-wide one, if any. */
  readonly state: string | undefined;
}

export const defaultControl: Control = {
  failRegions: [],
  failMode: "status",
  failStatus: undefined,
  failTwirpCode: "",
  delayMs: undefined,
  regionsStatus: undefined,
  response: undefined,
  skipAuth: false,
  sipStatus: undefined,
  pinnedRegions: [],
  webhooks: undefined,
  legacyDelayMs: 30_000,
  failMeta: {},
  failUntil: undefined,
  failFirst: undefined,
  regions: new Map(),
  slowBytesPerSec: 64,
  listSize: 1,
  journal: undefined,
  echo: false,
  state: undefined,
};

/** Reads the first value of a (lower-case) request header. */
export type HeaderReader = (name: string) => string | undefined;

export const controlHeader = "X-Lk-Mock";
/** Every control header's lower-case name starts with this. */
export const controlHeaderPrefix = "x-lk-mock";
export const legacyDelayHeader = "X-Lk-Mock-Delay-Ms";

/** Every header the control is read from, lower-case. */
const controlHeaderNames: readonly string[] = [
  controlHeader,
  ...Object.values(controlFields as Readonly<Record<string, ControlFieldSpec>>).flatMap((spec) =>
    spec.legacyHeader === undefined ? [] : [spec.legacyHeader],
  ),
  legacyDelayHeader,
].map((name) => name.toLowerCase());
const controlHeaderSet = new Set(controlHeaderNames);

// A control is a pure function of its headers, and a suite sends the same few over and over: the
// last ones parsed are kept, shared read-only (nothing mutates a Control).
const parsed = new Map<string, Control>();
const parsedLimit = 256;

export function parseControl(header: HeaderReader): Control {
  let key = "";
  let any = false;
  for (const name of controlHeaderNames) {
    const value = header(name);
    if (value !== undefined) any = true;
    key += value === undefined ? "\u0000\n" : `${value}\n`;
  }
  if (!any) return defaultControl;
  const known = parsed.get(key);
  if (known !== undefined) return known;
  const control = parseControlUncached((name) => {
    // The memo's key is made of controlHeaderNames: a header read from elsewhere would be missed.
    if (!controlHeaderSet.has(name)) throw new Error(`parseControl reads ${name}, which is not among controlHeaderNames`);
    return header(name);
  });
  if (parsed.size >= parsedLimit) parsed.delete(parsed.keys().next().value!);
  parsed.set(key, control);
  return control;
}

/**
 * The control of a request given its `x-lk-mock*` header lines (lower-case names, arrival order),
 * as the HTTP layer collects them in one pass: the memo is keyed by the lines themselves.
 */
export function parseControlLines(lines: readonly (readonly [string, string])[]): Control {
  if (lines.length === 0) return defaultControl;
  let key = "";
  for (const [name, value] of lines) key += `${name}\u0000${value}\n`;
  const known = parsedLines.get(key);
  if (known !== undefined) return known;
  const control = parseControl((name) => lines.find(([n]) => n === name)?.[1]);
  if (parsedLines.size >= parsedLimit) parsedLines.delete(parsedLines.keys().next().value!);
  parsedLines.set(key, control);
  return control;
}

const parsedLines = new Map<string, Control>();

function parseControlUncached(header: HeaderReader): Control {
  const control = parseLegacyHeaders(header);
  const raw = header(controlHeader.toLowerCase());
  if (raw === undefined || raw.trim() === "") return control;
  let document: JsonDocument;
  try {
    document = readJsonDocument(raw);
  } catch (err) {
    // Go keeps the last of repeated keys; which one a test author meant is anyone's guess.
    if (isJsonReadError(err) && err.duplicateKey !== undefined) {
      throw invalidControl(`${controlHeader} has duplicate field ${JSON.stringify(formatJsonPath([...err.path, err.duplicateKey]))}`);
    }
    throw invalidControl(`${controlHeader} is not valid JSON (${(err as Error).message})`);
  }
  const json = document.value;
  if (json === null || typeof json !== "object" || Array.isArray(json)) {
    throw invalidControl(`${controlHeader} must be a JSON object, got ${describe(json)}`);
  }
  const names = Object.keys(controlFields) as ControlFieldName[];
  const seen = new Map<string, string>();
  for (const [key, value] of Object.entries(json)) {
    const name = matchKey(key, names);
    if (name === undefined) {
      const suggestion = closestName(key, names);
      throw invalidControl(
        `${controlHeader} has unknown field ${JSON.stringify(key)}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}; fields are ${names.join(", ")}`,
      );
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      throw invalidControl(`${controlHeader} sets field ${name} twice (${JSON.stringify(earlier)} and ${JSON.stringify(key)})`);
    }
    seen.set(name, key);
    const spec: ControlFieldSpec = controlFields[name];
    if (value === null) {
      if (spec.null === "resets") Object.assign(control, { [name]: defaultControl[name] });
      continue;
    }
    const problem = checkValue(spec.value, value, document.numberLiteral(json, key), document);
    if (problem !== undefined) throw invalidControl(`${controlHeader} field ${name} ${problem}`);
    Object.assign(control, { [name]: normalize(name, value) });
  }
  checkCombination(control);
  return control;
}

/** Rules that involve more than one field. */
function checkCombination(control: Control): void {
  if (control.failFirst !== undefined && control.journal === undefined) {
    throw invalidControl(`${controlHeader} field failFirst needs field journal: the count is kept per journal key`);
  }
  const intermediaryStatus = (mode: FailMode, status: number | undefined, where: string): void => {
    if (mode === "intermediary" && status !== undefined && status !== 502 && status !== 503 && status !== 504) {
      throw invalidControl(`${controlHeader} ${where}failMode intermediary answers 502, 503 or 504, but failStatus is ${status}`);
    }
  };
  intermediaryStatus(control.failMode, control.failStatus, "");
  for (const [index, plan] of control.regions) {
    intermediaryStatus(plan.failMode ?? control.failMode, plan.failStatus ?? control.failStatus, `regions["${index}"]: `);
  }
}

/**
 * The field `key` names: exactly, or else ignoring case, as Go's encoding/json matches keys (a Go
 * suite that marshals a struct without json tags sends `FailRegions`, and the original obeys it).
 */
function matchKey<K extends string>(key: string, names: readonly K[]): K | undefined {
  if ((names as readonly string[]).includes(key)) return key as K;
  const lower = key.toLowerCase();
  return names.find((n) => n.toLowerCase() === lower);
}

function normalize(name: ControlFieldName, value: unknown): unknown {
  if (name === "failMode") return (value as string).toLowerCase();
  if (name === "regions") {
    const plans = new Map<number, RegionPlan>();
    for (const [index, raw] of Object.entries(value as Record<string, Record<string, unknown>>)) {
      const plan: { -readonly [K in keyof RegionPlan]: RegionPlan[K] } = {};
      for (const [key, field] of Object.entries(raw)) {
        const known = matchKey(key, ["failMode", "failStatus", "failTwirpCode", "failMeta", "delayMs"] as const)!;
        Object.assign(plan, { [known]: known === "failMode" ? (field as string).toLowerCase() : field });
      }
      plans.set(Number(index), plan);
    }
    return plans;
  }
  if (name === "sipStatus") {
    const field = fieldReader(value);
    return { code: field("code") as number, status: (field("status") as string | undefined) ?? "" } satisfies SipStatusControl;
  }
  if (name === "webhooks") {
    const field = fieldReader(value);
    const apiSecret = field("apiSecret") as string | undefined;
    return {
      url: field("url") as string,
      apiKey: field("apiKey") as string,
      ...(apiSecret === undefined ? {} : { apiSecret }),
    } satisfies WebhooksControl;
  }
  return value;
}

/** Reads a field of a checked object value, whatever case its key was written in. */
function fieldReader(value: unknown): (wanted: string) => unknown {
  const object = value as Record<string, unknown>;
  return (wanted) => object[Object.keys(object).find((k) => matchKey(k, [wanted]) !== undefined) ?? wanted];
}

/**
 * Why `value` does not fit `spec`, or undefined when it does. `literal` is how a number was
 * written when that had a fraction or exponent: Go's encoding/json refuses `503.0` for an int
 * (REFERENCE §4.2), so it is no integer here either.
 */
function checkValue(spec: ValueSpec, value: unknown, literal: string | undefined, document: JsonDocument): string | undefined {
  switch (spec.type) {
    case "any":
      return undefined;
    case "boolean":
      return typeof value === "boolean" ? undefined : `must be true or false, got ${describe(value)}`;
    case "integer": {
      const range = rangeText(spec);
      if (typeof value !== "number" || !Number.isInteger(value)) return `must be an integer${range}, got ${describe(value)}`;
      if (literal !== undefined) return `must be an integer${range}, got ${literal}`;
      if ((spec.minimum !== undefined && value < spec.minimum) || (spec.maximum !== undefined && value > spec.maximum)) {
        return `must be an integer${range}, got ${value}`;
      }
      return undefined;
    }
    case "string": {
      if (typeof value !== "string") return `must be a string, got ${describe(value)}`;
      if (spec.enum !== undefined && !spec.enum.includes(value.toLowerCase())) {
        const suggestion = closestName(value, spec.enum);
        return `must be one of ${spec.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${JSON.stringify(value)}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}`;
      }
      if (spec.pattern !== undefined && !new RegExp(spec.pattern.source).test(value)) {
        return `must be ${spec.pattern.says}, got ${JSON.stringify(value)}`;
      }
      return undefined;
    }
    case "map": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return `must be an object, got ${describe(value)}`;
      for (const [key, item] of Object.entries(value)) {
        if (spec.keys !== undefined && !new RegExp(spec.keys.source).test(key)) {
          return `has key ${JSON.stringify(key)}, which is not ${spec.keys.says}`;
        }
        const problem = checkValue(spec.values, item, document.numberLiteral(value as JsonObject, key), document);
        if (problem !== undefined) return `[${JSON.stringify(key)}] ${problem}`;
      }
      return undefined;
    }
    case "array": {
      if (!Array.isArray(value)) return `must be an array of ${spec.items.type}s, got ${describe(value)}`;
      for (const [i, item] of value.entries()) {
        const problem = checkValue(spec.items, item, document.numberLiteral(value as JsonValue[], i), document);
        if (problem !== undefined) return `[${i}] ${problem}`;
      }
      return undefined;
    }
    case "object": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) return `must be an object, got ${describe(value)}`;
      const known = Object.keys(spec.properties);
      const present = new Set<string>();
      for (const [key, item] of Object.entries(value)) {
        const name = matchKey(key, known);
        if (name === undefined) {
          const suggestion = closestName(key, known);
          return `has unknown field ${JSON.stringify(key)}${suggestion === undefined ? "" : ` (did you mean ${JSON.stringify(suggestion)}?)`}`;
        }
        if (present.has(name)) return `sets field ${name} twice`;
        present.add(name);
        const problem = checkValue(spec.properties[name]!, item, document.numberLiteral(value as JsonObject, key), document);
        if (problem !== undefined) return `.${name} ${problem}`;
      }
      for (const key of spec.required) {
        if (!present.has(key)) return `needs field ${JSON.stringify(key)}`;
      }
      return undefined;
    }
  }
}

function rangeText(spec: { minimum?: number; maximum?: number }): string {
  if (spec.minimum !== undefined && spec.maximum !== undefined) return ` from ${spec.minimum} to ${spec.maximum}`;
  if (spec.maximum !== undefined) return ` of at most ${spec.maximum}`;
  if (spec.minimum !== undefined) return ` of at least ${spec.minimum}`;
  return "";
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

// ---- legacy headers: same fields, text values ------------------------------------------------

function parseLegacyHeaders(header: HeaderReader): Control {
  const control: { -readonly [K in keyof Control]: Control[K] } = { ...defaultControl };
  const read = (name: string): string | undefined => {
    const value = header(name.toLowerCase());
    return value === undefined || value === "" ? undefined : value;
  };

  const failRegions = read("X-Lk-Mock-Fail-Regions");
  if (failRegions !== undefined) {
    control.failRegions = failRegions.split(",").map((part) => {
      const trimmed = part.trim();
      if (!/^[+-]?\d+$/.test(trimmed)) {
        throw invalidLegacy("X-Lk-Mock-Fail-Regions", "must be comma-separated integers", failRegions);
      }
      return Number(trimmed);
    });
  }
  const failMode = read("X-Lk-Mock-Fail-Mode");
  if (failMode !== undefined) {
    const mode = failMode.toLowerCase();
    if (!(failModes as readonly string[]).includes(mode)) {
      throw invalidLegacy("X-Lk-Mock-Fail-Mode", `must be one of ${failModes.map((m) => JSON.stringify(m)).join(", ")}`, failMode);
    }
    control.failMode = mode as FailMode;
  }
  const failStatus = read("X-Lk-Mock-Fail-Status");
  if (failStatus !== undefined) control.failStatus = httpStatus("X-Lk-Mock-Fail-Status", failStatus);
  const failTwirpCode = read("X-Lk-Mock-Fail-Twirp-Code");
  if (failTwirpCode !== undefined) control.failTwirpCode = failTwirpCode;
  const regionsStatus = read("X-Lk-Mock-Regions-Status");
  if (regionsStatus !== undefined) control.regionsStatus = httpStatus("X-Lk-Mock-Regions-Status", regionsStatus);
  const response = read("X-Lk-Mock-Response");
  if (response !== undefined) {
    try {
      control.response = readJson(response);
    } catch (err) {
      throw invalidLegacy("X-Lk-Mock-Response", `must be JSON without repeated keys (${(err as Error).message})`, response);
    }
  }
  const skipAuth = read("X-Lk-Mock-Skip-Auth");
  if (skipAuth !== undefined) {
    const lower = skipAuth.toLowerCase();
    if (lower !== "true" && lower !== "false") throw invalidLegacy("X-Lk-Mock-Skip-Auth", 'must be "true" or "false"', skipAuth);
    control.skipAuth = lower === "true";
  }
  const delay = read(legacyDelayHeader);
  if (delay !== undefined) {
    const rule = `must be a whole number of milliseconds of at most ${maxDelayMs}`;
    if (!/^\+?\d+$/.test(delay) || Number(delay) > maxDelayMs) throw invalidLegacy(legacyDelayHeader, rule, delay);
    control.legacyDelayMs = Number(delay);
  }
  return control;
}

function httpStatus(name: string, value: string): number {
  const trimmed = value.trim();
  const status = Number(trimmed);
  if (!/^\d+$/.test(trimmed) || status < 100 || status > 599) {
    throw invalidLegacy(name, "must be an HTTP status from 100 to 599", value);
  }
  return status;
}

function invalidLegacy(name: string, rule: string, value: string): ControlError {
  return invalidControl(`header ${name} ${rule}, got ${JSON.stringify(value)}`);
}
