// GET and DELETE /_test/journal/<key> on any port: what the journal holds under a key, and
// forgetting it. The journal is the server's, so every region answers the same.
import type { HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import { answerKeyed } from "./keyed-resource.js";
import type { ListenerContext } from "./listener-context.js";

export function handleJournal(req: HttpRequest, res: HttpResponse, ctx: ListenerContext, rawKey: string): Promise<Outcome> {
  return answerKeyed(req, res, rawKey, {
    noun: "journal",
    read(key) {
      const readout = ctx.journal.read(key);
      return { json: JSON.stringify(readout), why: `journal ${key}: ${readout.entries.length} entries` };
    },
    forget: (key) => JSON.stringify({ key, cleared: ctx.journal.clear(key) }),
  });
}
