// What the mock answers an RPC by default, at either protocol version: the server's own populate
// logic run on the version's descriptors for an empty request, written as the mock writes JSON.
// The report shows it for every RPC a change touches, so a maintainer sees what a user's test now
// receives rather than a list of field numbers.
import { create, toJson, type DescMethod, type JsonValue, type Registry } from "@bufbuild/protobuf";
import { compilePopulatePlan, populate } from "../src/twirp/populate.js";

export interface PopulatedAnswer {
  readonly key: string;
  /** The answer at the old version; undefined when the RPC did not exist. */
  readonly before: JsonValue | undefined;
  /** The answer at the new version; undefined when the RPC is gone. */
  readonly after: JsonValue | undefined;
  /** Request fields the answer copies when a request sets them (populate's echo rule), new version. */
  readonly echoes: readonly string[];
}

export function populatedAnswers(keys: readonly string[], before: Registry, after: Registry): PopulatedAnswer[] {
  return keys.map((key) => {
    const now = findMethod(after, key);
    return {
      key,
      before: answerOf(findMethod(before, key), before),
      after: answerOf(now, after),
      echoes: now === undefined ? [] : echoedFields(now),
    };
  });
}

function answerOf(method: DescMethod | undefined, registry: Registry): JsonValue | undefined {
  if (method === undefined) return undefined;
  const answer = populate(compilePopulatePlan(method.output, method.input), create(method.input));
  return toJson(method.output, answer, { registry });
}

function echoedFields(method: DescMethod): string[] {
  return compilePopulatePlan(method.output, method.input).ops.flatMap((op) =>
    op.kind === "scalar" && op.source !== undefined ? [op.field.name] : [],
  );
}

function findMethod(registry: Registry, key: string): DescMethod | undefined {
  const slash = key.lastIndexOf("/");
  return registry.getService(key.slice(0, slash))?.methods.find((m) => m.name === key.slice(slash + 1));
}
