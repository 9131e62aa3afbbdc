// One line per request on stdout, saying what the mock answered and why: the first thing to read
// when an SDK test goes red. `silent` costs nothing per request.
import type { Logger } from "../shared/log.js";
import type { LogFormat, LogLevel } from "./config.js";

export type { Logger, RequestOutcome } from "../shared/log.js";

const rank: Record<LogLevel, number> = { silent: 0, error: 1, info: 2, debug: 3 };

export function createLogger(
  level: LogLevel,
  format: LogFormat,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Logger {
  const enabled = (at: LogLevel): boolean => rank[level] >= rank[at];
  const line = (at: LogLevel, fields: Record<string, unknown>, text: string): void => {
    if (format === "json") write(`${JSON.stringify({ time: new Date().toISOString(), level: at, ...fields })}\n`);
    else write(`${text}\n`);
  };
  return {
    requestsEnabled: enabled("info"),
    request(outcome) {
      if (!enabled("info")) return;
      const code = outcome.code === undefined ? "" : ` ${outcome.code}`;
      line("info", { ...outcome }, `${outcome.region} ${outcome.target} ${outcome.status}${code} ${outcome.latencyMs}ms ${outcome.why}`);
    },
    info(message) {
      if (enabled("info")) line("info", { msg: message }, message);
    },
    error(message) {
      if (enabled("error")) line("error", { msg: message }, message);
    },
  };
}
