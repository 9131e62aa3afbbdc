// The keys a test chooses and later names in a URL path (`/_test/journal/<key>`,
// `/_test/state/<key>`): short and URL-safe, so they never need escaping.
export const pathKeyPattern = /^[A-Za-z0-9._~-]{1,64}$/;

/** The rule in plain words, for refusals. */
export const pathKeyRule = "1 to 64 characters of A-Z, a-z, 0-9, . _ ~ -";
