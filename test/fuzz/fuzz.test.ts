// Property-based fuzzing of everything a client controls, against the real server started in this
// process: a few thousand cases per run (see properties.ts for what each sends and expects).
// `npm run fuzz -- --runs N` runs the same properties as a long campaign against the built CLI.
import { after, before, describe, it } from "node:test";
import { startInProcessTarget, type FuzzTarget } from "./fuzz-target.js";
import { closeProperties, properties, type FuzzContext } from "./properties.js";
import { createRawHttpClient } from "./raw-http.js";
import { runProperty } from "./run-property.js";

describe("fuzzing", { timeout: 240_000 }, () => {
  let target: FuzzTarget | undefined;
  const client = createRawHttpClient();
  const context = (): FuzzContext => ({ target: target!, client });

  before(async () => {
    target = await startInProcessTarget();
  });
  after(async () => {
    client.close();
    await Promise.all([target?.close(), closeProperties()]);
  });

  for (const property of properties) {
    it(property.name, property.todo === undefined ? {} : { todo: property.todo }, async (t) => {
      await runProperty(context(), property, { numRuns: property.runs });
      if (property.report !== undefined) t.diagnostic(property.report());
    });
  }
});
