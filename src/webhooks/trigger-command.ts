// `livekit-test-server trigger <event> --forward-to <url>`: one signed event sent to a local
// handler without a running server, as payment providers' CLIs do it. The event is the sample for
// its name (sample-events.ts) with `--data` laid over it; delivery retries as the notifier does.
import type { JsonObject } from "@bufbuild/protobuf";
import { readJson } from "../shared/read-json.js";
import { newEventId } from "./event-id.js";
import { instant } from "./event-shapes.js";
import { notifierPolicy, postWebhook, type DeliveryPolicy } from "./post-webhook.js";
import { onDemandEvent } from "./sample-events.js";
import { signWebhook } from "./sign-webhook.js";
import { redact } from "./webhook-notifier.js";
import { WebhookFieldsError } from "./sample-events.js";
import { parseWebhookEventName, UnknownWebhookEventError, webhookEventNames, type WebhookEventName } from "./webhook-events.js";
import { parseWebhookUrl, WebhookTargetError } from "./webhook-target.js";

export class TriggerUsageError extends Error {
  override name = "TriggerUsageError";
}

export interface TriggerArgs {
  readonly event: WebhookEventName;
  readonly forwardTo: URL;
  readonly apiKey: string;
  readonly apiSecret: string;
  /** WebhookEvent fields (protojson) laid over the sample. */
  readonly data: JsonObject;
}

interface TriggerFlag {
  readonly flag: string;
  readonly env?: string;
  readonly default?: string;
  readonly description: string;
}

// The SDKs' WebhookReceiver examples read LIVEKIT_API_KEY / LIVEKIT_API_SECRET, so a handler and
// the trigger configured from the same environment agree without flags.
const triggerFlags: readonly TriggerFlag[] = [
  { flag: "--forward-to", description: "URL of the webhook handler to post the event to (required)" },
  { flag: "--api-key", env: "LIVEKIT_API_KEY", default: "devkey", description: "API key the event is signed for (the token's iss)" },
  { flag: "--api-secret", env: "LIVEKIT_API_SECRET", default: "secret", description: "API secret that signs the event" },
  { flag: "--data", description: 'WebhookEvent fields as protojson, laid over the sample event, e.g. {"room":{"name":"my-room"}}' },
];

export type ParsedTrigger = { readonly help: true } | { readonly help: false; readonly args: TriggerArgs };

export function parseTriggerArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedTrigger {
  const given = new Map<string, string>();
  let event: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--help" || arg === "-h") return { help: true };
    if (!arg.startsWith("-")) {
      if (event !== undefined) throw new TriggerUsageError(`one event at a time: got ${JSON.stringify(event)} and ${JSON.stringify(arg)}`);
      event = arg;
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (!triggerFlags.some((f) => f.flag === name))
      throw new TriggerUsageError(`unknown argument ${JSON.stringify(arg)} (see trigger --help)`);
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1);
    if (value === undefined) throw new TriggerUsageError(`${name} needs a value`);
    given.set(name, value);
  }
  if (event === undefined) throw new TriggerUsageError(`name the event to send, one of ${webhookEventNames.join(", ")}`);
  const value = (flag: string): string | undefined => {
    const spec = triggerFlags.find((f) => f.flag === flag)!;
    const fromEnv = spec.env === undefined ? undefined : env[spec.env];
    return given.get(flag) ?? (fromEnv !== undefined && fromEnv !== "" ? fromEnv : spec.default);
  };
  const forwardTo = value("--forward-to");
  if (forwardTo === undefined) throw new TriggerUsageError("--forward-to <url> is required");
  return {
    help: false,
    args: {
      event: parseWebhookEventName(event),
      forwardTo: parseWebhookUrl(forwardTo),
      apiKey: nonEmpty("--api-key", value("--api-key")!),
      apiSecret: nonEmpty("--api-secret", value("--api-secret")!),
      data: parseData(value("--data")),
    },
  };
}

function nonEmpty(flag: string, value: string): string {
  if (value === "") throw new TriggerUsageError(`${flag} must not be empty`);
  return value;
}

function parseData(text: string | undefined): JsonObject {
  if (text === undefined) return {};
  let json: unknown;
  try {
    json = readJson(text);
  } catch (err) {
    throw new TriggerUsageError(`--data is not valid JSON (${(err as Error).message})`);
  }
  if (json === null || typeof json !== "object" || Array.isArray(json))
    throw new TriggerUsageError("--data must be a JSON object of WebhookEvent fields");
  return json as JsonObject;
}

export function triggerHelpText(): string {
  const rows = triggerFlags.map((f) => {
    const fallback = f.env === undefined ? "" : `\n      env ${f.env}, default ${f.default}`;
    return `  ${f.flag} <value>\n      ${f.description}${fallback}`;
  });
  return `usage: livekit-test-server trigger <event> --forward-to <url> [flags]\n\nSends one signed webhook event to a handler, as a LiveKit server would, with its retries.\nExits 0 when the handler answers 2xx.\n\nevents: ${webhookEventNames.join(", ")}\n\nflags:\n${rows.join("\n")}\n  --help\n      print this help\n`;
}

/**
 * The whole subcommand: `argv` after `trigger`. Progress goes to `out` a line at a time, a mistake
 * to `err` as one line; resolves with the exit code.
 */
export async function triggerCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  out: (line: string) => void,
  err: (line: string) => void,
): Promise<number> {
  let parsed: ParsedTrigger;
  try {
    parsed = parseTriggerArgs(argv, env);
  } catch (error) {
    const mistake = [TriggerUsageError, UnknownWebhookEventError, WebhookFieldsError, WebhookTargetError].some(
      (type) => error instanceof type,
    );
    if (!mistake) throw error;
    err(`trigger: ${(error as Error).message}`);
    return 1;
  }
  if (parsed.help) {
    out(triggerHelpText().trimEnd());
    return 0;
  }
  try {
    return await runTrigger(parsed.args, out);
  } catch (error) {
    // --data is decoded against WebhookEvent only when the event is built.
    if (!(error instanceof WebhookFieldsError)) throw error;
    err(`trigger: ${error.message}`);
    return 1;
  }
}

/** Sends the event; writes one line per step to `write` and returns the exit code. */
export async function runTrigger(
  args: TriggerArgs,
  write: (line: string) => void,
  policy: DeliveryPolicy = notifierPolicy,
): Promise<number> {
  const at = new Date();
  const event = onDemandEvent(args.event, args.data, instant(at));
  if (event.id === "") event.id = newEventId();
  if (event.createdAt === 0n) event.createdAt = BigInt(Math.floor(at.getTime() / 1000));
  const signed = await signWebhook(event, { apiKey: args.apiKey, apiSecret: args.apiSecret }, at);
  const target = redact(args.forwardTo);
  write(`trigger: ${event.event} ${event.id} to ${target}, signed for API key ${args.apiKey}`);
  const result = await postWebhook(args.forwardTo, signed, policy, (attempt) => {
    const answer = attempt.status === undefined ? `no answer: ${attempt.error}` : `${attempt.status}`;
    const retry = attempt.retryInMs === undefined ? "" : `, retry in ${attempt.retryInMs} ms`;
    write(`trigger: attempt ${attempt.attempt}/${attempt.attempts}: ${answer} (${attempt.latencyMs} ms)${retry}`);
  });
  if (result.status !== undefined && result.status >= 200 && result.status < 300) {
    write(`trigger: delivered, the handler answered ${result.status}`);
    return 0;
  }
  const tries = `${result.attempts.length} attempt${result.attempts.length === 1 ? "" : "s"}`;
  write(
    result.status === undefined
      ? `trigger: not delivered after ${tries}`
      : `trigger: not accepted, the handler answered ${result.status} after ${tries}`,
  );
  return 1;
}
