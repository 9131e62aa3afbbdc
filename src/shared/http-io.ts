// Small HTTP helpers shared by the handlers: bounded body reading, waiting that notices a client
// going away, and the plain answers.
import type { IncomingMessage, ServerResponse } from "node:http";

/** Why a body could not be read; the protocol handler decides how to answer it. */
export class BodyReadError extends Error {
  override name = "BodyReadError";
  constructor(
    readonly reason: "too-large" | "aborted",
    message: string,
  ) {
    super(message);
  }
}

/** Request bodies above this are refused; the largest LiveKit request is far below it. */
export const maxBodyBytes = 4 * 1024 * 1024;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) {
        req.removeAllListeners("data");
        req.resume();
        reject(new BodyReadError("too-large", `the request body exceeds the ${maxBodyBytes}-byte limit`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    // An aborted upload is the client's doing, not a server error.
    req.on("error", () => reject(new BodyReadError("aborted", "the client went away while sending the request body")));
  });
}

/** Resolves true after `ms`, or false as soon as the client has gone away. */
export function waitUnlessClosed(ms: number, res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onClose = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      res.off("close", onClose);
      resolve(true);
    }, ms);
    res.once("close", onClose);
  });
}

export function sendText(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(body);
  res.writeHead(status, { "Content-Type": "text/plain; charset=utf-8", "Content-Length": bytes.length, ...headers });
  res.end(bytes);
}

export function sendJson(res: ServerResponse, status: number, json: string, headers: Record<string, string> = {}): void {
  const bytes = Buffer.from(json);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": bytes.length, ...headers });
  res.end(bytes);
}

/** Go's http.NotFound, byte for byte. */
export function sendNotFound(res: ServerResponse): void {
  sendText(res, 404, "404 page not found\n", { "X-Content-Type-Options": "nosniff" });
}
