// One raw request shape of the framing differential, and the pieces shapes are built from. Every
// Twirp call in a shape is CreateRoom with a JSON body whose `name` the mock echoes, so the answer
// tells which bytes the handler took as the body.

export interface FramingShape {
  /** Unique, kebab-case. */
  readonly id: string;
  /** What the shape probes, for the report: "content-length", "chunked", "pipelining", … */
  readonly group: string;
  /** Written one after the other, with a pause between them. */
  readonly pieces: readonly string[];
  /** Send FIN after the last piece. */
  readonly halfClose?: boolean;
  /** The pause between pieces, 30 ms by default. */
  readonly pauseMs?: number;
}

export const twirpPath = "/twirp/livekit.RoomService/CreateRoom";
/** The body every Twirp call sends unless a shape says otherwise: 13 bytes, echoed as name "ab". */
export const body = '{"name":"ab"}';
/** The headers a Twirp call needs to reach the echo: JSON, and no token. */
export const twirpHeaders = ["Host: x", "Content-Type: application/json", 'X-Lk-Mock: {"skipAuth":true}'];

/** A request: the request line, `headers` as given, the blank line, then `rest` (a body, or more). */
export function request(line: string, headers: readonly string[], rest = ""): string {
  return `${line}\r\n${headers.map((h) => `${h}\r\n`).join("")}\r\n${rest}`;
}

/** A CreateRoom call carrying `payload` with its Content-Length (or the framing headers given). */
export function createRoom(
  payload = body,
  options: { version?: string; framing?: readonly string[]; extra?: readonly string[] } = {},
): string {
  const framing = options.framing ?? [`Content-Length: ${Buffer.byteLength(payload)}`];
  return request(`POST ${twirpPath} ${options.version ?? "HTTP/1.1"}`, [...twirpHeaders, ...(options.extra ?? []), ...framing], payload);
}

/** A CreateRoom call whose body is chunked as `chunked` says (sizes, extensions and trailers as given). */
export function chunkedCall(chunked: string, extra: readonly string[] = []): string {
  return createRoom(chunked, { framing: [...extra, "Transfer-Encoding: chunked"] });
}

/** `payload` as one chunk and the last chunk, with CRLFs where they belong. */
export function oneChunk(payload = body, sizeLine = Buffer.byteLength(payload).toString(16), end = "0\r\n\r\n"): string {
  return `${sizeLine}\r\n${payload}\r\n${end}`;
}

export function get(target: string, headers: readonly string[] = ["Host: x"], version = "HTTP/1.1"): string {
  return request(`GET ${target} ${version}`, headers);
}

export const regions = get("/settings/regions");
