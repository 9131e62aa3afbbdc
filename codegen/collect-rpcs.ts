// Walks descriptors for the services of one protobuf package. Pure: no I/O, no tables.
import type { DescFile, DescMethod, DescService } from "@bufbuild/protobuf";

export interface CollectedRpc {
  /** `<package>.<Service>/<Method>` */
  readonly key: string;
  readonly service: DescService;
  readonly method: DescMethod;
  readonly streaming: boolean;
}

export interface CollectedFile {
  readonly file: DescFile;
  readonly rpcs: readonly CollectedRpc[];
}

/** Every RPC of every service declared in `packageName` (exactly; sub-packages are other APIs). */
export function collectRpcs(files: readonly DescFile[], packageName: string): CollectedFile[] {
  const collected: CollectedFile[] = [];
  for (const file of files) {
    if (file.proto.package !== packageName || file.services.length === 0) continue;
    const rpcs: CollectedRpc[] = [];
    for (const service of file.services) {
      for (const method of service.methods) {
        rpcs.push({
          key: `${service.typeName}/${method.name}`,
          service,
          method,
          streaming: method.methodKind !== "unary",
        });
      }
    }
    collected.push({ file, rpcs });
  }
  return collected.sort((a, b) => a.file.name.localeCompare(b.file.name));
}
