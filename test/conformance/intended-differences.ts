// Every way our server deliberately answers differently from the original Go test server, listed
// once. The parity matrix (parity.test.ts) asserts each of these AS a difference: a matching case
// must differ, only in the listed fields, and exactly as `check` describes. Any other difference
// fails the matrix.
import { sameAnswer, show } from "./parity/compare.js";
import { fields, type Field, type Observation, type ParityCase } from "./parity/parity-case.js";

export interface DifferenceContext {
  readonly case: ParityCase;
  /** The original's answer to the case's baseline, when the case names one. */
  readonly originalBaseline: Observation | undefined;
}

export interface IntendedDifference {
  readonly id: string;
  readonly matches: (c: ParityCase) => boolean;
  /** What differs. */
  readonly what: string;
  /** Why ours differs on purpose. */
  readonly reason: string;
  /** The only fields allowed to differ; at least one of them must. */
  readonly fields: readonly Field[];
  /** What is wrong with the observed difference, or undefined when it is as described. */
  readonly check: (ours: Observation, original: Observation, context: DifferenceContext) => string | undefined;
}

// Any observed field may differ, except whether the answer was delayed: timing never differs on purpose.
const anything: readonly Field[] = fields.filter((f) => f !== "delayed");

export const intendedDifferences: readonly IntendedDifference[] = [
  {
    id: "sip-busy-and-unavailable-code",
    matches: (c) => c.tags.has("sip:busy-or-unavailable"),
    what: "sipStatus 486 and 480: ours 429 resource_exhausted (google.rpc.Status code 8 in error_details); the original 412 failed_precondition (code 9)",
    reason:
      "REFERENCE §4.6 (table and the worked 486 body, which the issue names as a test case) wins; the oracle's protocol v1.53.1 maps BUSY_HERE and TEMPORARILY_UNAVAILABLE to FailedPrecondition (oracle/NOTES.md discrepancy 1)",
    fields: ["status", "code", "meta", "errorRaw"],
    check: (ours, original, { case: c }) =>
      firstProblem(
        expectError(ours, 429, "resource_exhausted", "ours"),
        expectError(original, 412, "failed_precondition", "original"),
        sameMeta(ours, original, ["sip_status", "sip_status_code"]),
        c.id === 'sipStatus 486 "Busy Here"' &&
          ours["errorRaw"] !==
            '{"code":"resource_exhausted","msg":"twirp error unknown: sip status: 486: Busy Here","meta":{"error_details":"CAgSGXNpcCBzdGF0dXMgNDg2OiBCdXN5IEhlcmUaNwoldHlwZS5nb29nbGVhcGlzLmNvbS9saXZla2l0LlNJUFN0YXR1cxIOCOYDEglCdXN5IEhlcmU=","sip_status":"Busy Here","sip_status_code":"486"}}\n'
          ? `ours is not REFERENCE §4.6's worked 486 body: ${show(ours["errorRaw"])}`
          : undefined,
      ),
  },
  {
    id: "sip-msg-prefix",
    matches: (c) => c.tags.has("sip:error"),
    what: 'SIP error msg: ours "twirp error unknown: sip status: …", the original "sip status: …" (no prefix)',
    reason:
      "REFERENCE §4.6 step 3 and its worked bodies keep the xtwirp prefix that SDK tests match; the oracle's protocol v1.53.1 rebuilds the error with Msg() and drops it (oracle/NOTES.md discrepancy 2)",
    fields: ["msg", "errorRaw"],
    check: (ours, original) =>
      ours["msg"] === `twirp error unknown: ${String(original["msg"])}` && String(original["msg"]).startsWith("sip status: ")
        ? undefined
        : `ours msg ${show(ours["msg"])} is not "twirp error unknown: " + the original's ${show(original["msg"])}`,
  },
  {
    id: "invalid-control",
    matches: (c) => c.tags.has("control:invalid"),
    what: "an invalid X-Lk-Mock (bad JSON, non-object, unknown key, one field set twice, wrong type, unknown failMode, out-of-range status, bad sipStatus) or unparsable legacy header: ours 400 invalid_argument `mock: invalid control: …`; the original ignores it",
    reason:
      'the issue\'s strict-input rule (REFERENCE "How we use it" §2): a silently ignored typo turns a failing test into a passing one',
    fields: anything,
    check: (ours, original, context) =>
      firstProblem(expectError(ours, 400, "invalid_argument", "ours", "mock: invalid control: "), originalIgnores(original, context)),
  },
  {
    id: "invalid-response-override",
    matches: (c) => c.tags.has("control:invalid-response"),
    what: "a response override that is not a JSON object or does not decode into the method's output type (a value of the wrong type, a field set under both its names, two members of a oneof): ours 400 invalid_argument `mock: invalid control: response …`; the original falls back to the populated reply",
    reason: 'strict input (REFERENCE "How we use it" §2): a mistyped override must not silently become the default reply',
    fields: anything,
    check: (ours, original, context) =>
      firstProblem(
        expectError(ours, 400, "invalid_argument", "ours", "mock: invalid control: response "),
        originalIgnores(original, context),
      ),
  },
  {
    id: "response-override-unknown-name",
    matches: (c) => c.tags.has("control:response-unknown-name"),
    what: 'a response override with a field the output message does not have (at any depth) or an unknown enum name: ours 400 invalid_argument naming it and where it sits, with the closest valid name (`mock: invalid control: unknown field "nmae" in response (protojson livekit.Room) (did you mean "name"?)`); the original drops the name and answers the rest',
    reason:
      'strict where we promise strictness (docs/spec/control.md#response-override): `{"nmae":"x"}` would otherwise pass as `{}`, and a test that meant to shape the answer would pass against an answer it never asked for',
    fields: anything,
    check: (ours, original, context) =>
      firstProblem(
        expectError(ours, 400, "invalid_argument", "ours", "mock: invalid control: "),
        /unknown field "[^"]+" in response|response[^ ]* has unknown [\w.]+ value/.test(String(ours["msg"]))
          ? undefined
          : `ours msg ${show(ours["msg"])} does not name the unknown field or enum value`,
        originalIgnores(original, context),
      ),
  },
  {
    id: "response-override-inexact-integer",
    matches: (c) => c.tags.has("control:response-inexact-integer"),
    what: "a response override with a 64-bit integer written as a JSON number beyond 2^53: ours 400 invalid_argument asking for a string; the original answers the number with every digit",
    reason:
      "the control header is read as JavaScript reads JSON, where such a number has already lost digits: answering another number than the one asked for would be a quiet change (docs/spec/control.md#response-override); a string keeps every digit, and is how protojson writes 64-bit integers",
    fields: anything,
    check: (ours, original) =>
      firstProblem(
        expectError(ours, 400, "invalid_argument", "ours", "mock: invalid control: response.creationTime is a JSON number beyond 2^53"),
        original["status"] === 200 && JSON.stringify(original["body"]) === '{"creationTime":"9007199254740993"}'
          ? undefined
          : `the original did not answer the exact number: ${show(original)}`,
      ),
  },
  {
    id: "undecodable-body",
    matches: (c) => c.tags.has("body:undecodable"),
    what: "a request body that does not decode (either codec; includes duplicate fields, trailing data, wrong value types): ours 400 malformed; the original ignores the error and keeps the fields decoded before it",
    reason:
      "what a real Twirp server answers (REFERENCE §1.1), and the issue's strict-input rule; the original swallows decode errors (§1.2)",
    fields: anything,
    check: (ours, original, context) => {
      const codec = context.case.headers["Content-Type"]?.includes("json") === true ? "json" : "protobuf";
      return firstProblem(
        expectError(ours, 400, "malformed", "ours", `the ${codec} request could not be decoded`),
        originalIgnores(original, context),
      );
    },
  },
  {
    id: "non-post-method",
    matches: (c) => c.tags.has("http:method"),
    what: 'HTTP methods other than POST under the Twirp prefix: ours 404 bad_route `unsupported method "GET" (only POST is allowed)`; the original processes them like POST',
    reason: "real Twirp behaviour (REFERENCE §1.1); the original does not check the method (§1.2)",
    fields: anything,
    check: (ours, original, context) =>
      firstProblem(
        expectError(ours, 404, "bad_route", "ours", `unsupported method ${JSON.stringify(context.case.method)} (only POST is allowed)`),
        ours["meta"] !== undefined &&
          (ours["meta"] as Record<string, string>)["twirp_invalid_route"] === `${context.case.method} ${context.case.path}`
          ? undefined
          : `ours meta ${show(ours["meta"])} lacks twirp_invalid_route`,
        originalIgnores(original, context),
      ),
  },
  {
    id: "unsupported-content-type",
    matches: (c) => c.tags.has("http:content-type"),
    what: "a Content-Type other than application/json, application/protobuf, application/x-protobuf (parameters and case aside) or none: ours 404 bad_route `unexpected Content-Type: …`; the original processes it (as JSON when the header contains `json`, else as protobuf)",
    reason:
      "real Twirp behaviour (REFERENCE §1.1, STYLE: content type matched on the media type); the original's substring match (§1.2) hides client bugs",
    fields: anything,
    check: (ours, original, context) =>
      firstProblem(
        expectError(ours, 404, "bad_route", "ours", "unexpected Content-Type: "),
        original["status"] === 200 ? undefined : `the original answered ${show(original["status"])}, not a processed request`,
        context.originalBaseline === undefined ? undefined : originalIgnores(original, context),
      ),
  },
  {
    id: "content-type-case",
    matches: (c) => c.tags.has("http:content-type-case"),
    what: "Content-Type `application/JSON` (any case): ours decodes and answers JSON; the original's case-sensitive `json` match treats it as protobuf",
    reason: "real Twirp lower-cases the media type (REFERENCE §1.1); the original's behaviour is an accident of `strings.Contains` (§1.2)",
    fields: ["contentType", "body"],
    check: (ours, original) =>
      ours["status"] === 200 &&
      ours["contentType"] === "application/json" &&
      original["status"] === 200 &&
      original["contentType"] === "application/protobuf"
        ? undefined
        : `expected ours 200 JSON and the original 200 protobuf, got ${show([ours["status"], ours["contentType"]])} and ${show([original["status"], original["contentType"]])}`,
  },
  {
    id: "permission-denied-msg",
    matches: (c) => c.tags.has("auth:missing-grant") || (c.tags.has("auth:room-mismatch") && !c.tags.has("service:unregistered")),
    what: "403 msg: ours `mock: permission_denied: <reason naming the grant or room>`; the original `mock: permission_denied`",
    reason: "the reason tells a test author which grant or room the token lacks; code, status and the msg prefix stay the original's",
    fields: ["msg"],
    check: (ours, original) =>
      firstProblem(
        expectError(ours, 403, "permission_denied", "ours", "mock: permission_denied: "),
        expectError(original, 403, "permission_denied", "original"),
        original["msg"] === "mock: permission_denied" ? undefined : `original msg ${show(original["msg"])}`,
      ),
  },
  {
    id: "unregistered-services",
    matches: (c) => c.tags.has("service:unregistered"),
    what: "RPCs the original does not register (AgentDispatchService, PhoneNumberService, CloudAgent, AgentSimulation, Replay): ours populated per §3 (AgentDispatch also room-checked like its siblings); the original an empty success",
    reason: 'REFERENCE "How we use it" §3: where the mock is incomplete we complete it (every RPC of every public livekit service)',
    fields: anything,
    check: (ours, original, { case: c }) => {
      // JSON `{}`, or an empty protobuf body decoded as the output type.
      const emptyOriginal = original["status"] === 200 && isDeepEqualJson(original["body"], {});
      if (!emptyOriginal) return `the original did not answer an empty success: ${show(original)}`;
      if (c.tags.has("auth:room-mismatch")) return expectError(ours, 403, "permission_denied", "ours", "mock: permission_denied: ");
      return ours["status"] === 200 && !isDeepEqualJson(ours["body"], {}) ? undefined : `ours is not a populated success: ${show(ours)}`;
    },
  },
  {
    id: "self-description-routes",
    matches: (c) => c.tags.has("route:self-description"),
    what: "GET /_test/methods and /_test/schema: ours describes its RPCs and the X-Lk-Mock JSON Schema; the original answers Go's 404",
    reason: "new behaviour the original lacks: SDK suites and editors can discover the served methods and validate control headers",
    fields: anything,
    check: (ours, original) =>
      ours["status"] === 200 && original["status"] === 404
        ? undefined
        : `expected ours 200 and the original 404, got ${show(ours["status"])} and ${show(original["status"])}`,
  },
];

function firstProblem(...problems: (string | undefined)[]): string | undefined {
  return problems.find((p) => p !== undefined);
}

function expectError(o: Observation, status: number, code: string, who: string, msgPrefix?: string): string | undefined {
  if (o["status"] !== status || o["code"] !== code)
    return `${who}: expected ${status} ${code}, got ${show(o["status"])} ${show(o["code"])} ${show(o["msg"])}`;
  if (msgPrefix !== undefined && !String(o["msg"]).startsWith(msgPrefix))
    return `${who}: msg ${show(o["msg"])} does not start with ${show(msgPrefix)}`;
  if (o["contentType"] !== "application/json" || o["region"] !== "")
    return `${who}: error headers ${show([o["contentType"], o["region"]])}`;
  return undefined;
}

function sameMeta(ours: Observation, original: Observation, keys: readonly string[]): string | undefined {
  const a = (ours["meta"] ?? {}) as Record<string, string>;
  const b = (original["meta"] ?? {}) as Record<string, string>;
  const differing = keys.filter((k) => a[k] !== b[k]);
  return differing.length === 0 ? undefined : `meta ${differing.join(", ")} differ: ours ${show(a)}, original ${show(b)}`;
}

/** The original treats the case as its baseline; without one, it must at least not refuse it. */
function originalIgnores(original: Observation, { case: c, originalBaseline }: DifferenceContext): string | undefined {
  if (originalBaseline === undefined) {
    return original["code"] === "invalid_argument" || original["code"] === "malformed" || original["code"] === "bad_route"
      ? `the original refused it too: ${show(original)}`
      : undefined;
  }
  const diffs = sameAnswer(original, originalBaseline);
  return diffs.length === 0
    ? undefined
    : `the original did not answer as for its baseline ${JSON.stringify(c.baseline)}: ${diffs.map((d) => `${d.field} ${show(d.ours)} vs ${show(d.original)}`).join("; ")}`;
}

function isDeepEqualJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
