// What a handler answered and why: the request log's raw material, whichever part answered.
// `status` is given when the answer did not go through the HTTP response (an upgrade's own writes).
export type Outcome = (
  | { readonly kind: "success"; readonly why: string }
  | { readonly kind: "error"; readonly code: string; readonly why: string }
  | { readonly kind: "pinned"; readonly why: string }
  | { readonly kind: "dropped"; readonly why: string }
  | { readonly kind: "client-gone"; readonly why: string }
  /** A connection broken on purpose (`failMode`): what the client got is named by `fault`. */
  | { readonly kind: "fault"; readonly fault: string; readonly why: string }
) & { readonly status?: number };
