// Who may use the signal endpoints, and how their connection behaves (REFERENCE §6.1): the token
// is the `access_token` form value, else the Authorization header with `Bearer ` stripped; it is
// verified like an API token but needs no grant; its `lk.mock` attribute picks the mode.
import type { TokenClaims } from "../../auth/token-claims.js";
import { sendText } from "../../http/answers.js";
import type { HttpResponse } from "../../http/http-response.js";
import type { TokenResult, TokenVerifier } from "../../auth/verify-token.js";
import type { Destination, WebhookNotifier } from "../../webhooks/webhook-notifier.js";
import { WebhookTargetError } from "../../webhooks/webhook-target.js";
import { WebhooksConfigError } from "../../webhooks/webhooks-config.js";
import { formValue, type FormValues } from "./go-form.js";
import { parseSignalMock, SignalMockError, signalMockAttribute, type SignalMock } from "../attribute/signal-mode.js";

export type Admission =
  | { readonly kind: "bad-token"; readonly reason: string }
  | { readonly kind: "bad-mock"; readonly problem: string }
  | { readonly kind: "admitted"; readonly claims: TokenClaims; readonly mock: SignalMock; readonly webhooks?: Destination };

export function signalToken(form: FormValues, authorization: string | undefined): string {
  const token = formValue(form, "access_token");
  if (token !== "") return token;
  const header = authorization ?? "";
  return (header.startsWith("Bearer ") ? header.slice(7) : header).trim();
}

export function admitSignal(
  form: FormValues,
  authorization: string | undefined,
  verifier: TokenVerifier,
  notifier: WebhookNotifier,
): Admission | Promise<Admission> {
  const verified = verifier.verify(signalToken(form, authorization));
  return verified instanceof Promise ? verified.then((result) => admit(result, notifier)) : admit(verified, notifier);
}

function admit(verified: TokenResult, notifier: WebhookNotifier): Admission {
  if (!verified.ok) return { kind: "bad-token", reason: verified.reason };
  try {
    const mock = parseSignalMock(verified.claims.attributes[signalMockAttribute]);
    if (mock.webhooks === undefined) return { kind: "admitted", claims: verified.claims, mock };
    return { kind: "admitted", claims: verified.claims, mock, webhooks: notifier.destination(mock.webhooks) };
  } catch (err) {
    if (err instanceof SignalMockError) return { kind: "bad-mock", problem: err.message };
    if (err instanceof WebhookTargetError) return { kind: "bad-mock", problem: new SignalMockError(`webhooks.url ${err.message}`).message };
    if (err instanceof WebhooksConfigError) return { kind: "bad-mock", problem: new SignalMockError(err.message).message };
    throw err;
  }
}

/** An answer given instead of a WebSocket. */
export interface Refusal {
  readonly status: number;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  /** For the request log. */
  readonly why: string;
}

const plainText = { "Content-Type": "text/plain; charset=utf-8" };

/** What the original answers on the WebSocket paths instead of upgrading (REFERENCE §6.3), if anything. */
export function upgradeRefusal(admission: Admission): Refusal | undefined {
  switch (admission.kind) {
    case "bad-token":
      return { status: 401, body: "invalid token", headers: plainText, why: `invalid token: ${admission.reason}` };
    case "bad-mock":
      return { status: 400, body: admission.problem, headers: plainText, why: admission.problem };
    case "admitted": {
      const { mode } = admission.mock;
      if (mode === "validate_500") return { status: 500, body: "", headers: {}, why: `signal mode ${mode}` };
      if (mode === "validate_service_not_found" || mode === "room_not_found")
        return { status: 404, body: "", headers: {}, why: `signal mode ${mode}` };
      return undefined;
    }
  }
}

/** A refusal as Go's server writes it: Date and Content-Length added, the connection kept. */
export function sendRefusal(res: HttpResponse, refusal: Refusal): void {
  if (refusal.body === "") res.send(refusal.status, refusal.headers);
  else sendText(res, refusal.status, refusal.body, refusal.headers);
}
