// GET and DELETE /_test/journal/<key> on any port: what the journal holds under a key, and
// forgetting it. The journal is the server's, so every region answers the same.
import { sendJson, sendText } from "../http/answers.js";
import type { HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import { journalKeyPattern } from "../journal/journal.js";
import type { Outcome } from "../shared/outcome.js";
import type { ListenerContext } from "./listener-context.js";

export function handleJournal(req: HttpRequest, res: HttpResponse, ctx: ListenerContext, rawKey: string): Outcome {
  let key: string;
  try {
    key = decodeURIComponent(rawKey);
  } catch {
    key = rawKey;
  }
  if (!journalKeyPattern.test(key)) {
    sendText(res, 400, `invalid journal key ${JSON.stringify(key)}: it must match ${journalKeyPattern.source}\n`);
    return { kind: "success", why: "invalid journal key" };
  }
  switch (req.method) {
    case "GET":
    case "HEAD": {
      const readout = ctx.journal.read(key);
      sendJson(res, 200, JSON.stringify(readout));
      return { kind: "success", why: `journal ${key}: ${readout.entries.length} entries` };
    }
    case "DELETE": {
      const cleared = ctx.journal.clear(key);
      sendJson(res, 200, JSON.stringify({ key, cleared }));
      return { kind: "success", why: `journal ${key} cleared` };
    }
    default:
      sendText(res, 405, `method ${req.method} is not allowed on the journal: use GET or DELETE\n`, { Allow: "GET, HEAD, DELETE" });
      return { kind: "success", why: "journal: method not allowed" };
  }
}
