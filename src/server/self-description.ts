// GET /_test/methods and /_test/schema: what this server serves and how it is controlled, so a
// test author can look it up from the running process.
import { protocolVersion, skippedRpcs } from "../../generated/mock/method-table.js";
import { controlJsonSchema } from "../control/control-schema.js";
import { sendJson } from "../http/answers.js";
import type { HttpResponse } from "../http/http-response.js";
import type { Outcome } from "../shared/outcome.js";
import type { ListenerContext } from "./listener-context.js";

// Built on first use: the schema is the same for every server, the method list per server (its
// prefix is part of it), so several servers embedded in one process each describe themselves.
let schemaJson: string | undefined;
const methodsJsonByServer = new WeakMap<object, string>();

export async function handleSelfDescription(kind: "methods" | "schema", res: HttpResponse, ctx: ListenerContext): Promise<Outcome> {
  if (kind === "schema") {
    // The X-Lk-Mock schema stays the document's root; the lk.mock attribute's sits beside it, at
    // #/$defs/lkMock. It needs the signal protocol's descriptors, so it is imported on first use.
    if (schemaJson === undefined) {
      const { signalMockJsonSchema } = await import("../signal/attribute/signal-schema.js");
      schemaJson = JSON.stringify({ ...controlJsonSchema(), $defs: { lkMock: signalMockJsonSchema() } }, null, 2);
    }
    sendJson(res, 200, schemaJson);
    return { kind: "success", why: "control and lk.mock JSON Schemas" };
  }
  let methodsJson = methodsJsonByServer.get(ctx.routes);
  methodsJson ??= JSON.stringify(
    {
      protocolVersion,
      twirpPrefix: ctx.config.twirpPrefix,
      methods: (await ctx.routes.all()).map(({ stub }) => ({
        key: stub.key,
        input: stub.method.input.typeName,
        output: stub.method.output.typeName,
        grant: stub.grant,
        naturalLatency: stub.naturalLatency ?? null,
      })),
      skipped: skippedRpcs,
    },
    null,
    2,
  );
  methodsJsonByServer.set(ctx.routes, methodsJson);
  sendJson(res, 200, methodsJson);
  return { kind: "success", why: "method list" };
}
