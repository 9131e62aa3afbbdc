// The plain answers handlers share: text, JSON, and Go's http.NotFound byte for byte.
import type { HeaderFields, HttpResponse } from "./http-response.js";

export function sendText(res: HttpResponse, status: number, body: string, headers: HeaderFields = {}): void {
  res.send(status, { "Content-Type": "text/plain; charset=utf-8", ...headers }, body);
}

export function sendJson(res: HttpResponse, status: number, json: string, headers: HeaderFields = {}): void {
  res.send(status, { "Content-Type": "application/json", ...headers }, json);
}

export function sendNotFound(res: HttpResponse): void {
  sendText(res, 404, "404 page not found\n", { "X-Content-Type-Options": "nosniff" });
}
