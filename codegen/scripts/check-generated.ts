// `npm run check:generated`: regenerate and fail on any difference from what is committed, so
// generated/ can never drift from the pin, the tables or the generator.
import { execFileSync } from "node:child_process";
import { repoRoot } from "./protocol-pin.js";

execFileSync(process.execPath, ["--import", "tsx", "codegen/scripts/generate.ts"], { cwd: repoRoot, stdio: "inherit" });
const changes = execFileSync("git", ["status", "--porcelain", "--untracked-files=all", "--", "generated"], {
  cwd: repoRoot,
  encoding: "utf8",
});
if (changes.trim() !== "") {
  console.error("check:generated: generated/ differs from what the pipeline produces:");
  console.error(changes.trimEnd());
  console.error("run `npm run generate` and commit the result");
  process.exit(1);
}
console.log("check:generated: generated/ is up to date");
