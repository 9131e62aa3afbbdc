// HttpResponse.wait for any response: a timer that a departing client cuts short.
import type { HttpResponse } from "./http-response.js";

/** Resolves true after `ms`, or false as soon as the client of `res` has gone away. */
export function waitUnlessGone(res: Pick<HttpResponse, "clientGone" | "onClientGone">, ms: number): Promise<boolean> {
  if (res.clientGone) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      remove();
      resolve(true);
    }, ms);
    const remove = res.onClientGone(() => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}
