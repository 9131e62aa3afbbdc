// The head of an answer as Go's net/http writes it: status line with Go's reason phrase, the
// handler's headers, `Date`, then the framing headers.
import type { HeaderFields } from "./http-response.js";
import { statusLine } from "./status-text.js";

let dateText = "";
let dateValidUntil = 0;

/** Go's `Date` header (http.TimeFormat), rebuilt once a second. */
function currentDate(): string {
  const now = Date.now();
  if (now >= dateValidUntil) {
    dateText = new Date(now).toUTCString();
    dateValidUntil = now - (now % 1000) + 1000;
  }
  return dateText;
}

export interface Framing {
  /** Bytes the body has (or claims to have); "chunked" announces a chunked body; undefined writes no length. */
  readonly length: number | "chunked" | undefined;
  /** "close": the connection ends after this answer; "keep-alive": said for HTTP/1.0 clients. */
  readonly connection: "close" | "keep-alive" | undefined;
}

export function formatHead(status: number, headers: HeaderFields, framing: Framing): string {
  let head = statusLine(status) + headerLines(headers);
  head += `Date: ${currentDate()}\r\n`;
  if (framing.length === "chunked") head += "Transfer-Encoding: chunked\r\n";
  else if (framing.length !== undefined) head += `Content-Length: ${framing.length}\r\n`;
  if (framing.connection === "close") head += "Connection: close\r\n";
  else if (framing.connection === "keep-alive") head += "Connection: keep-alive\r\n";
  return `${head}\r\n`;
}

/** An interim (1xx) head as Go writes one: the handler's headers so far, no `Date`, no framing. */
export function formatInterimHead(status: number, headers: HeaderFields): string {
  return `${statusLine(status)}${headerLines(headers)}\r\n`;
}

function headerLines(headers: HeaderFields): string {
  let lines = "";
  for (const name in headers) lines += `${name}: ${headers[name]}\r\n`;
  return lines;
}
