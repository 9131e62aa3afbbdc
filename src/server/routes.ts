// The one table of paths a listener answers, in the original's order (docs/spec/http.md#routing).
// Matches are exact against the percent-decoded path, as Go's r.URL.Path; the query string never
// takes part.
export type Route =
  | { readonly kind: "regions" }
  | { readonly kind: "signal-validate" }
  | { readonly kind: "signal" }
  | { readonly kind: "twirp"; readonly key: string }
  | { readonly kind: "health" }
  | { readonly kind: "methods" }
  | { readonly kind: "schema" }
  | { readonly kind: "journal"; readonly key: string }
  | { readonly kind: "state"; readonly key: string }
  | { readonly kind: "webhooks" }
  /** `OPTIONS *`, which Go's server answers itself before any handler. */
  | { readonly kind: "server-options" }
  | { readonly kind: "not-found" };

const fixedRoutes: ReadonlyMap<string, Route> = new Map<string, Route>([
  ["/settings/regions", { kind: "regions" }],
  ["/rtc/validate", { kind: "signal-validate" }],
  ["/rtc/v1/validate", { kind: "signal-validate" }],
  ["/rtc", { kind: "signal" }],
  ["/rtc/v1", { kind: "signal" }],
  ["/", { kind: "health" }],
  ["/_test/health", { kind: "health" }],
  ["/_test/methods", { kind: "methods" }],
  ["/_test/schema", { kind: "schema" }],
  ["/_test/webhooks", { kind: "webhooks" }],
]);

const notFound: Route = { kind: "not-found" };
const serverOptions: Route = { kind: "server-options" };
const journalPrefix = "/_test/journal/";
const statePrefix = "/_test/state/";

/** Paths that the Twirp prefix comes before, as in the original. */
const afterPrefix: ReadonlySet<Route["kind"]> = new Set(["health", "methods", "schema", "webhooks"]);

export function matchRoute(method: string, path: string, twirpPrefix: string): Route {
  // Only the target `*` has the path "*" (a path from any other target starts with "/" or is empty).
  if (path === "*" && method === "OPTIONS") return serverOptions;
  const fixed = fixedRoutes.get(path);
  if (fixed !== undefined && !afterPrefix.has(fixed.kind)) return fixed;
  // The Twirp prefix comes before the health and /_test paths, as in the original.
  if (path.startsWith(`${twirpPrefix}/`)) return { kind: "twirp", key: path.slice(twirpPrefix.length + 1) };
  if (fixed !== undefined) return fixed;
  if (path.startsWith(journalPrefix)) return { kind: "journal", key: path.slice(journalPrefix.length) };
  if (path.startsWith(statePrefix)) return { kind: "state", key: path.slice(statePrefix.length) };
  return notFound;
}
