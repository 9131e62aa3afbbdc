// POST /_test/webhooks: sends one webhook event now and answers how its delivery went, so a test
// can drive its handler without an API call. The body is `{url, event, apiKey?, apiSecret?,
// journal?, …fields}` (webhooks/on-demand-request.ts); the answer waits for the last attempt.
import { sendJson } from "../http/answers.js";
import { BodyReadError, type HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import { isJsonReadError, readJson } from "../shared/read-json.js";
import { UnknownWebhookEventError } from "../webhooks/webhook-events.js";
import { WebhookTargetError } from "../webhooks/webhook-target.js";
import { WebhooksConfigError } from "../webhooks/webhooks-config.js";
import type { ListenerContext } from "./listener-context.js";

export async function handleTestWebhooks(req: HttpRequest, res: HttpResponse, ctx: ListenerContext): Promise<Outcome> {
  if (req.method !== "POST") return refuse(res, 405, `${req.method} is not allowed: POST a JSON body`, { Allow: "POST" });
  let body: Buffer;
  try {
    body = await req.body();
  } catch (err) {
    if (!(err instanceof BodyReadError)) throw err;
    res.closeAfterAnswer();
    return refuse(res, 400, err.message);
  }
  // Loaded here, not at start-up: the samples need the protocol's descriptors.
  const { parseOnDemandRequest, WebhookFieldsError } = await import("../webhooks/on-demand-request.js");
  let request;
  let destination;
  try {
    request = parseOnDemandRequest(readJson(body.toString("utf8")));
    destination = ctx.webhooks.destination(request.config);
  } catch (err) {
    if (err instanceof WebhookTargetError) return refuse(res, 400, `url ${err.message}`);
    if (err instanceof WebhookFieldsError || err instanceof UnknownWebhookEventError || err instanceof WebhooksConfigError) {
      return refuse(res, 400, err.message);
    }
    if (isJsonReadError(err)) return refuse(res, 400, `the body is not valid JSON (${err.message})`);
    throw err;
  }
  const journal = request.journal === undefined ? {} : { journal: { journal: ctx.journal, key: request.journal } };
  const [delivery] = await ctx.webhooks.notify(destination, [request.event], { region: ctx.region.name, ...journal });
  sendJson(res, 200, JSON.stringify(delivery));
  return { kind: "success", why: `webhook ${delivery!.event} ${delivery!.id}: ${delivery!.sent ? "sent" : "not sent"}` };
}

function refuse(res: HttpResponse, status: number, error: string, headers: Record<string, string> = {}): Outcome {
  sendJson(res, status, JSON.stringify({ error }), headers);
  return { kind: "success", why: error };
}
