// The buf plugin entry point: reads a CodeGeneratorRequest on stdin, writes the response.
// A GeneratorError becomes the response's error, which buf prints and fails on.
import { create, createFileRegistry } from "@bufbuild/protobuf";
import { CodeGeneratorResponse_Feature, CodeGeneratorResponseSchema, FileDescriptorSetSchema } from "@bufbuild/protobuf/wkt";
import { runNodeJs } from "@bufbuild/protoplugin";
import { generateStubs } from "../generate-stubs.js";
import { isGeneratorError } from "../generator-error.js";
import { grantTable } from "../grant-table.js";
import { latencyTable } from "../latency-table.js";

runNodeJs({
  name: "protoc-gen-livekit-mock",
  version: "1",
  run(request) {
    const protocolVersion = process.env["LIVEKIT_PROTOCOL_VERSION"];
    if (protocolVersion === undefined || protocolVersion === "") {
      return create(CodeGeneratorResponseSchema, {
        error: "LIVEKIT_PROTOCOL_VERSION is not set: run the generator through `npm run generate`",
      });
    }
    const registry = createFileRegistry(create(FileDescriptorSetSchema, { file: request.protoFile }));
    const files = request.fileToGenerate.map((name) => registry.getFile(name)!);
    try {
      const sources = generateStubs({ files, protocolVersion, grantTable, latencyTable });
      return create(CodeGeneratorResponseSchema, {
        supportedFeatures: BigInt(CodeGeneratorResponse_Feature.PROTO3_OPTIONAL),
        file: sources.map((s) => ({ name: s.path, content: s.content })),
      });
    } catch (err) {
      if (isGeneratorError(err)) return create(CodeGeneratorResponseSchema, { error: err.message });
      throw err;
    }
  },
});
