// The generator as one pure function: descriptors + decision tables → generated sources, or a
// GeneratorError listing every undecided or stale entry. Tests call it in-process on fixtures.
import type { DescFile } from "@bufbuild/protobuf";
import { checkGrantTable, checkLatencyTable } from "./check-tables.js";
import { collectRpcs } from "./collect-rpcs.js";
import { emitStubs, type GeneratedSource } from "./emit-stubs.js";
import { GeneratorError } from "./generator-error.js";
import type { GrantTable } from "./grant-table.js";
import type { LatencyTable } from "./latency-table.js";

export interface GenerateStubsInput {
  /** The files to generate for (their imports need not be listed). */
  readonly files: readonly DescFile[];
  readonly protocolVersion: string;
  readonly grantTable: GrantTable;
  readonly latencyTable: LatencyTable;
  /** The protobuf package whose services are the API; `livekit` unless a test says otherwise. */
  readonly packageName?: string;
}

export function generateStubs(input: GenerateStubsInput): GeneratedSource[] {
  const files = collectRpcs(input.files, input.packageName ?? "livekit");
  const rpcs = files.flatMap((f) => f.rpcs);
  const problems = [...checkGrantTable(rpcs, input.grantTable), ...checkLatencyTable(rpcs, input.latencyTable)];
  if (problems.length > 0) throw new GeneratorError(problems);
  return emitStubs(
    files,
    {
      grantOf: (rpc) => input.grantTable[rpc.service.typeName]![rpc.method.name]!,
      latencyOf: (rpc) => input.latencyTable[rpc.key],
    },
    input.protocolVersion,
  );
}
