// Bundles bench/ours-on-node-http.ts as package.json's `bundle` script bundles the CLI (same
// esbuild settings), so that both ways of serving run the same kind of code: one ESM file, lazy
// imports kept, the same worker-thread entry.
import { build } from "esbuild";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BenchError } from "./bench-error.js";

const repoRoot = fileURLToPath(new URL("..", import.meta.url));

/** The Node version package.json's `bundle` script builds the CLI for. */
async function cliTarget(): Promise<string> {
  const manifest = JSON.parse(await readFile(join(repoRoot, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const target = /--target=(\S+)/.exec(manifest.scripts.bundle ?? "")?.[1];
  if (target === undefined) throw new BenchError("package.json's bundle script names no --target for esbuild");
  return target;
}

/** Returns the path of the bundle, rebuilt on every run (it takes well under a second). */
export async function bundleOursOnNodeHttp(): Promise<string> {
  const outfile = join(repoRoot, ".cache/bench/ours-on-node-http.mjs");
  const target = await cliTarget();
  try {
    await build({
      entryPoints: [join(repoRoot, "bench/ours-on-node-http.ts")],
      outfile,
      bundle: true,
      platform: "node",
      format: "esm",
      target,
      minifyWhitespace: true,
      logLevel: "warning",
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
  } catch (error) {
    throw new BenchError(`cannot bundle bench/ours-on-node-http.ts: ${error instanceof Error ? error.message : String(error)}`);
  }
  return outfile;
}
