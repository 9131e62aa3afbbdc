// The loop the one-shot measures share: every round, each server in turn (who goes first alternates),
// a fresh pinned server process for each, stopped whatever happens.
import { serverLabels, startServer, type RunningServer, type ServerKind, type ServerPaths, type StartOptions } from "./servers.js";
import { log } from "./log.js";

export interface RoundSettings {
  readonly paths: ServerPaths;
  readonly kinds: readonly ServerKind[];
  readonly rounds: number;
}

/** Runs `measure` once per round and server; `describe` makes its progress line. */
export async function eachServerRound<T>(
  name: string,
  settings: RoundSettings,
  start: StartOptions,
  measure: (server: RunningServer) => Promise<T>,
  describe: (result: T) => string,
): Promise<Map<ServerKind, T[]>> {
  const results = new Map(settings.kinds.map((kind) => [kind, [] as T[]]));
  for (let round = 0; round < settings.rounds; round++) {
    const order = round % 2 === 0 ? settings.kinds : [...settings.kinds].reverse();
    for (const kind of order) {
      const server = await startServer(kind, settings.paths, start);
      try {
        const result = await measure(server);
        results.get(kind)!.push(result);
        log(`${name} round ${round + 1}/${settings.rounds} ${serverLabels[kind]}: ${describe(result)}`);
      } finally {
        await server.stop();
      }
    }
  }
  return results;
}
