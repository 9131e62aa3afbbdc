// One request before a measured run, so that a server answering the wrong status (an expired token,
// a changed route) stops the run instead of being benchmarked as fast failures.
import { request as httpRequest } from "node:http";
import { BenchError } from "./bench-error.js";
import type { WrkRequest } from "./wrk.js";

export interface Answer {
  readonly status: number;
  readonly body: string;
}

export function send(baseUrl: string, request: WrkRequest, extraHeaders: Record<string, string> = {}): Promise<Answer> {
  const url = new URL(request.path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      url,
      { method: request.method, headers: { ...request.headers, ...extraHeaders }, agent: false, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
        res.on("error", reject);
      },
    );
    req.once("error", reject);
    req.once("timeout", () => req.destroy(new Error("timed out")));
    req.end(request.body);
  });
}

export async function expectStatus(
  what: string,
  baseUrl: string,
  request: WrkRequest,
  expected: number,
  extraHeaders: Record<string, string> = {},
): Promise<void> {
  const answer = await send(baseUrl, request, extraHeaders);
  if (answer.status !== expected) {
    throw new BenchError(
      `${what}: ${request.method} ${request.path} answered ${answer.status}, expected ${expected}: ${answer.body.slice(0, 300)}`,
    );
  }
}
