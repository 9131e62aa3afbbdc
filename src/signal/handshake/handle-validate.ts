// `/rtc/validate` and `/rtc/v1/validate` (docs/spec/signal.md#validate): the plain-HTTP answer a
// client fetches when its WebSocket failed to open. Any method; every answer, errors included,
// allows any origin.
import { sendText } from "../../http/answers.js";
import type { HttpRequest } from "../../http/http-request.js";
import type { HttpResponse } from "../../http/http-response.js";
import type { Outcome } from "../../shared/outcome.js";
import type { SignalContext } from "../signal-context.js";
import { admitSignal, type Admission } from "./admit-signal.js";
import { readForm } from "./go-form.js";
import { createSignalJournal } from "../session/signal-journal.js";
import type { SignalMode } from "../attribute/signal-mode.js";

const cors = { "Access-Control-Allow-Origin": "*" };

const answers: Partial<Record<SignalMode, { readonly status: number; readonly body: string }>> = {
  validate_500: { status: 500, body: "internal server error" },
  validate_service_not_found: { status: 404, body: "404 page not found" },
  room_not_found: { status: 404, body: "requested room does not exist" },
};

export async function handleSignalValidate(req: HttpRequest, res: HttpResponse, ctx: SignalContext): Promise<Outcome> {
  const admission = await admitSignal(await readForm(req), req.header("authorization"), ctx.verifier, ctx.webhooks);
  const outcome = answer(admission, res);
  if (admission.kind === "admitted" && admission.mock.journal !== undefined) {
    const place = { region: ctx.region.name, path: req.path };
    createSignalJournal(ctx.journal).validate(admission.mock.journal, place, req.method, res.status, outcome.why);
  }
  return outcome;
}

function answer(admission: Admission, res: HttpResponse): Outcome {
  switch (admission.kind) {
    case "bad-token":
      sendText(res, 401, `invalid token: ${admission.reason}`, cors);
      return { kind: "success", why: `invalid token: ${admission.reason}` };
    case "bad-mock":
      sendText(res, 400, admission.problem, cors);
      return { kind: "success", why: admission.problem };
    case "admitted": {
      const { mode } = admission.mock;
      const answer = answers[mode] ?? { status: 200, body: "success" };
      sendText(res, answer.status, answer.body, cors);
      return { kind: "success", why: `signal mode ${mode}` };
    }
  }
}
