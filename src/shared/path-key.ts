// The keys a test chooses and later names as a URL path segment (`/_test/journal/<key>`,
// `/_test/state/<key>`; docs/spec/journal.md#keys): 1 to 64 URL-safe characters, and neither `.`
// nor `..`, which every HTTP client resolves away before sending, so such a key could be written
// but never read. Written without lookahead so that any JSON Schema validator can run it.
export const pathKeyRule = {
  pattern: /^(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,63}|\.(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,62}|\.[A-Za-z0-9._~-]{1,62}))$/,
  says: "1 to 64 characters of A-Z, a-z, 0-9, . _ ~ -, other than . and ..",
} as const;

/** Why `key` cannot name a `noun` (`journal`, `world`), or undefined when it can. */
export function pathKeyProblem(key: string, noun: string): string | undefined {
  if (pathKeyRule.pattern.test(key)) return undefined;
  if (key === "." || key === "..") {
    return `${noun} key ${JSON.stringify(key)} could never be read back: HTTP clients resolve ${key} path segments away; choose another key`;
  }
  return `${noun} key ${JSON.stringify(key)} is not ${pathKeyRule.says}`;
}
