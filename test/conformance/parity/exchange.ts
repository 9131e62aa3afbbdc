// Sends one parity case to one server over a fresh connection and normalizes the answer.
// node:http rather than fetch: it sends any method with a body, no implicit Content-Type, and a
// dropped connection is reported as such instead of being retried.
import { fromBinary, toJson, type JsonValue } from "@bufbuild/protobuf";
import { request, type IncomingHttpHeaders } from "node:http";
import type { Observation, ParityCase } from "./parity-case.js";

export interface Target {
  readonly name: "ours" | "original";
  readonly ports: readonly number[];
}

const requestTimeoutMs = 15_000;

export async function exchange(target: Target, c: ParityCase): Promise<Observation> {
  const started = performance.now();
  const raw = await send(target.ports[c.region]!, c);
  const elapsed = performance.now() - started;
  const observed: Record<string, unknown> = raw.kind === "response" ? observeResponse(target, c, raw) : { transport: raw.kind };
  if (c.minDelayMs !== undefined) observed["delayed"] = elapsed >= c.minDelayMs;
  return observed;
}

/** An interim (1xx) answer before the final one: its status and headers. */
type Interim = { readonly status: number; readonly headers: Readonly<Record<string, string>> };

type Raw =
  | { kind: "response"; status: number; headers: IncomingHttpHeaders; body: Buffer; interim: Interim[] }
  | { kind: "dropped" }
  | { kind: "timeout" };

function send(port: number, c: ParityCase): Promise<Raw> {
  return new Promise((resolve) => {
    const headers: Record<string, string | number> = { ...c.headers };
    if (c.body !== undefined) headers["Content-Length"] = c.body.length;
    const interim: Interim[] = [];
    const req = request(
      { host: "127.0.0.1", port, path: c.path, method: c.method, headers, agent: false, timeout: requestTimeoutMs },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({ kind: "response", status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), interim }),
        );
        res.on("error", () => resolve({ kind: "dropped" }));
      },
    );
    req.on("information", (info) => {
      const fields = Object.entries(info.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]);
      interim.push({ status: info.statusCode, headers: Object.fromEntries(fields.sort(([a], [b]) => (a! < b! ? -1 : 1))) });
    });
    req.on("timeout", () => {
      req.destroy();
      resolve({ kind: "timeout" });
    });
    req.on("error", () => resolve({ kind: "dropped" }));
    req.end(c.body === undefined ? undefined : Buffer.from(c.body));
  });
}

function observeResponse(target: Target, c: ParityCase, raw: Extract<Raw, { kind: "response" }>): Record<string, unknown> {
  const contentType = raw.headers["content-type"] ?? null;
  const observed: Record<string, unknown> = {
    transport: "response",
    status: raw.status,
    contentType,
    region: header(raw.headers, "x-lk-mock-region"),
    cacheControl: header(raw.headers, "cache-control"),
    nosniff: header(raw.headers, "x-content-type-options"),
  };
  if (raw.interim.length > 0) observed["informational"] = raw.interim;
  const text = raw.body.toString("utf8");
  if (contentType !== null && contentType.split(";")[0]!.trim() === "application/json") {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      observed["body"] = { unparsableJson: text };
      return observed;
    }
    if (isTwirpErrorBody(json)) {
      observed["code"] = json.code;
      observed["msg"] = json.msg;
      observed["meta"] = json.meta ?? null;
      observed["errorRaw"] = text;
    } else {
      observed["body"] = portsToRegions(target, json);
    }
    return observed;
  }
  if (contentType === "application/protobuf") {
    if (c.output === undefined) {
      observed["body"] = { bytes: raw.body.toString("hex") };
      return observed;
    }
    try {
      observed["body"] = toJson(c.output, fromBinary(c.output, raw.body));
    } catch (err) {
      observed["body"] = { undecodableProtobuf: raw.body.toString("hex"), error: (err as Error).message };
    }
    return observed;
  }
  observed["body"] = text;
  return observed;
}

function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name];
  return value === undefined ? null : Array.isArray(value) ? value.join(", ") : value;
}

function isTwirpErrorBody(json: unknown): json is { code: string; msg: string; meta?: Record<string, string> } {
  if (json === null || typeof json !== "object" || Array.isArray(json)) return false;
  const record = json as Record<string, unknown>;
  return (
    typeof record["code"] === "string" &&
    typeof record["msg"] === "string" &&
    Object.keys(record).every((k) => ["code", "msg", "meta"].includes(k))
  );
}

/** The two servers listen on different ports: `http://127.0.0.1:<port>` becomes `…:<region-i>`. */
function portsToRegions(target: Target, json: unknown): unknown {
  if (typeof json === "string") {
    return target.ports.reduce((s, port, i) => s.replace(new RegExp(`:${port}(?![0-9])`, "g"), `:<region-${i}>`), json);
  }
  if (Array.isArray(json)) return json.map((item) => portsToRegions(target, item));
  if (json !== null && typeof json === "object") {
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, portsToRegions(target, v)]));
  }
  return json as JsonValue;
}
