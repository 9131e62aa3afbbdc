// The ready file: written once every listener is bound, removed on shutdown. It tells a health
// check which addresses to probe whatever flags or env vars configured the server, which a
// Docker HEALTHCHECK (which sees neither) cannot otherwise know.
import { accessSync, constants, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { Region } from "../shared/region.js";

export interface ReadyFile {
  readonly pid: number;
  readonly healthUrls: readonly string[];
}

/** The ready file cannot be written; the message names the path and the reason. */
export class ReadyFileError extends Error {
  override name = "ReadyFileError";
}

/**
 * Throws a ReadyFileError when `path` cannot be written, before any port is bound: a typo in
 * the path must fail at once with one line, not after the server has announced itself.
 */
export function checkReadyFile(path: string): void {
  try {
    const existing = statSync(path, { throwIfNoEntry: false });
    if (existing?.isDirectory() === true) throw failure(path, "is a directory");
    if (existing !== undefined) {
      accessSync(path, constants.W_OK);
      return;
    }
    const directory = dirname(resolve(path));
    if (!statSync(directory).isDirectory()) throw failure(path, `${directory} is not a directory`);
    accessSync(directory, constants.W_OK);
  } catch (err) {
    throw err instanceof ReadyFileError ? err : failure(path, reasonOf(err));
  }
}

export function writeReadyFile(path: string, bind: string, regions: readonly Region[]): void {
  const host = probeHost(bind);
  const content: ReadyFile = { pid: process.pid, healthUrls: regions.map((r) => `http://${host}:${r.port}/_test/health`) };
  try {
    writeFileSync(path, `${JSON.stringify(content)}\n`);
  } catch (err) {
    throw failure(path, reasonOf(err));
  }
}

export function removeReadyFile(path: string): void {
  rmSync(path, { force: true });
}

function failure(path: string, reason: string): ReadyFileError {
  return new ReadyFileError(`cannot write --ready-file ${path}: ${reason}`);
}

/** `no such file or directory` from Node's `ENOENT: no such file or directory, open '/x'`. */
function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const match = /^[A-Z0-9_]+: (.*?)(?:, \w+ '.*')?$/s.exec(err.message);
  return match?.[1] ?? err.message;
}

/** Where a local probe reaches a listener bound to `bind`. */
function probeHost(bind: string): string {
  if (bind === "0.0.0.0" || bind === "") return "127.0.0.1";
  if (bind === "::") return "[::1]";
  return bind.includes(":") ? `[${bind}]` : bind;
}
