// `npm run check:protocol`: the protocol versions released after the pin, and the newest published
// version of each SDK the conformance suite runs, beside what each is pinned to now. It informs and
// never fails: a registry that does not answer is named as such, and CI prints this on every run.
import { join } from "node:path";
import { describeProtocol, describeSdk, type NewestVersion, type Pin } from "../describe-versions.js";
import { goPins, mavenPins, npmPins, requirementPins } from "./conformance-pins.js";
import { goModuleVersions, protocolModule } from "./fetch-protocol.js";
import { readProtocolPin, repoRoot } from "./protocol-pin.js";
import { newestGoModule, newestMavenArtifact, newestNpmPackage, newestPypiPackage } from "./registry-lookups.js";

interface Sdk {
  readonly name: string;
  readonly registry: string;
  readonly pins: readonly Pin[];
  readonly newest: () => Promise<NewestVersion>;
}

const sdks: readonly Sdk[] = [
  {
    name: "github.com/livekit/server-sdk-go/v2",
    registry: "Go module proxy",
    pins: goPins("github.com/livekit/server-sdk-go/v2", ["test/conformance/go", "test/webhooks/go"]),
    newest: () => newestGoModule("github.com/livekit/server-sdk-go/v2"),
  },
  ...["livekit-server-sdk", "livekit-client"].map((name) => ({
    name,
    registry: "npm",
    pins: npmPins(name),
    newest: () => newestNpmPackage(name),
  })),
  {
    name: "livekit-api",
    registry: "PyPI",
    pins: requirementPins("livekit-api", "test/conformance/python/requirements.txt"),
    newest: () => newestPypiPackage("livekit-api"),
  },
  {
    name: "io.livekit:livekit-server",
    registry: "Maven Central",
    pins: mavenPins("io.livekit", "livekit-server", join(repoRoot, "test/conformance/jvm")),
    newest: () => newestMavenArtifact("io.livekit:livekit-server"),
  },
];

const versions = (() => {
  try {
    return goModuleVersions(protocolModule);
  } catch (err) {
    return err as Error;
  }
})();
console.log(describeProtocol(protocolModule, readProtocolPin(), versions));
const answers = await Promise.all(sdks.map(async (sdk) => ({ sdk, newest: await sdk.newest().catch((err: unknown) => err as Error) })));
for (const { sdk, newest } of answers) console.log(describeSdk(sdk.name, sdk.registry, sdk.pins, newest));
