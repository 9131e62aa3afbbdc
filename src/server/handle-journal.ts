// GET and DELETE /_test/journal/<key> on any port: what the journal holds under a key, and
// forgetting it. The journal is the server's, so every region answers the same. A GET may wait
// for entries (docs/spec/journal.md#wait), so that a test that just saw its client give up reads
// the call's entry without polling.
import type { JsonObject } from "@bufbuild/protobuf";
import { sendJson, sendText } from "../http/answers.js";
import type { HttpRequest } from "../http/http-request.js";
import type { HttpResponse } from "../http/http-response.js";
import { journalKeyProblem } from "../journal/journal.js";
import type { Outcome } from "../shared/outcome.js";
import type { ListenerContext } from "./listener-context.js";
import { JournalQueryError, parseJournalQuery, type JournalQuery } from "./journal-query.js";

export async function handleJournal(req: HttpRequest, res: HttpResponse, ctx: ListenerContext, rawKey: string): Promise<Outcome> {
  let key: string;
  try {
    key = decodeURIComponent(rawKey);
  } catch {
    key = rawKey;
  }
  const problem = journalKeyProblem(key);
  if (problem !== undefined) {
    sendText(res, 400, `invalid journal key: ${problem}\n`);
    return { kind: "success", why: "invalid journal key" };
  }
  let query: JournalQuery;
  try {
    query = parseJournalQuery(req.url, ctx.journal.limits.entriesPerKey);
  } catch (err) {
    if (!(err instanceof JournalQueryError)) throw err;
    sendText(res, 400, `${err.message}\n`);
    return { kind: "success", why: `journal ${key}: ${err.message}` };
  }
  switch (req.method) {
    case "GET":
    case "HEAD":
      return query.wait === undefined ? answerRead(res, ctx, key) : answerWait(res, ctx, key, query.wait);
    case "DELETE": {
      if (query.wait !== undefined) {
        sendText(res, 400, "wait and min apply to GET: a DELETE forgets the key at once\n");
        return { kind: "success", why: `journal ${key}: wait on a DELETE` };
      }
      const cleared = ctx.journal.clear(key);
      sendJson(res, 200, JSON.stringify({ key, cleared }));
      return { kind: "success", why: `journal ${key} cleared` };
    }
    default:
      sendText(res, 405, `method ${req.method} is not allowed on the journal: use GET or DELETE\n`, { Allow: "GET, HEAD, DELETE" });
      return { kind: "success", why: "journal: method not allowed" };
  }
}

function answerRead(res: HttpResponse, ctx: ListenerContext, key: string, wait?: { readonly reached: boolean } & JsonObject): Outcome {
  sendJson(res, 200, ctx.journal.readJson(key, wait === undefined ? {} : { wait }));
  const waited = wait === undefined ? "" : wait.reached ? " after its wait was met" : " after its wait ran out";
  return { kind: "success", why: `journal ${key} read${waited}` };
}

async function answerWait(res: HttpResponse, ctx: ListenerContext, key: string, wait: { ms: number; min: number }): Promise<Outcome> {
  const started = performance.now();
  const waiting = ctx.journal.waitFor(key, wait.min, wait.ms);
  const stop = res.onClientGone(waiting.cancel);
  const reached = await waiting.reached;
  stop();
  if (res.clientGone) return { kind: "client-gone", why: `client went away during the journal wait for ${key}` };
  const waitedMs = Math.round((performance.now() - started) * 1000) / 1000;
  return answerRead(res, ctx, key, { ...wait, reached, waitedMs });
}
