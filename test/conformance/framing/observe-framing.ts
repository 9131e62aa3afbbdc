// Sends one framing shape to one server on a fresh connection and says what came of it: each final
// answer (its status, whether the server refused the bytes itself or a handler answered, and the
// body the handler saw), interim 100 Continues, and whether the connection stayed open.
import { connect } from "node:net";
import type { FramingShape } from "./framing-shape.js";

export type ServerKind = "ours" | "original" | "node";

export interface FramingAnswer {
  readonly status: number;
  /** "server": the HTTP layer refused the bytes; "handler": a request reached the handler. */
  readonly by: "server" | "handler";
  /**
   * For an echoed Twirp call: the `name` of the body the handler decoded, "(none)" when it decoded
   * none, "(refused)" when ours refused to read the body. Undefined for other answers.
   */
  readonly body?: string;
}

export interface FramingObservation {
  readonly answers: readonly FramingAnswer[];
  /** Interim 100 Continue answers. */
  readonly continues: number;
  /** Whether the connection was still open once the server went quiet. */
  readonly open: boolean;
}

/** How long a server may stay silent, after the last byte is sent or received, before it is judged done. */
const quietMs = 1500;

export async function observeFraming(port: number, kind: ServerKind, shape: FramingShape): Promise<FramingObservation> {
  const raw = await exchange(port, shape);
  const { answers, continues } = parseAnswers(raw.bytes, raw.open);
  return { answers: answers.map((a) => classify(kind, a)), continues, open: raw.open };
}

/** One line for reports: `200:ab 404! | open`. */
export function showObservation(o: FramingObservation): string {
  const answers = o.answers.map((a) => `${a.status}${a.by === "server" ? "!" : ""}${a.body === undefined ? "" : `:${a.body}`}`);
  return `${answers.length === 0 ? "(no answer)" : answers.join(" ")}${o.continues > 0 ? ` +${o.continues}×100` : ""} | ${o.open ? "open" : "closed"}`;
}

function exchange(port: number, shape: FramingShape): Promise<{ bytes: Buffer; open: boolean }> {
  return new Promise((resolve) => {
    const socket = connect({ host: "127.0.0.1", port });
    socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    let open = true;
    let timer: NodeJS.Timeout | undefined;
    let sending = true;
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ bytes: Buffer.concat(chunks), open });
    };
    const quiet = (): void => {
      clearTimeout(timer);
      if (!sending) timer = setTimeout(finish, quietMs);
    };
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      quiet();
    });
    socket.on("error", () => {});
    socket.on("close", () => {
      open = false;
      finish();
    });
    socket.on("connect", async () => {
      for (const [i, piece] of shape.pieces.entries()) {
        if (!open) return;
        if (i > 0) await new Promise((r) => setTimeout(r, shape.pauseMs ?? 30));
        socket.write(Buffer.from(piece, "latin1"));
      }
      if (shape.halfClose === true) socket.end();
      sending = false;
      quiet();
    });
  });
}

interface RawAnswer {
  readonly status: number;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

/** The answers in `bytes`: Content-Length, chunked or read-to-close bodies; 1xx counted apart. */
function parseAnswers(bytes: Buffer, open: boolean): { answers: RawAnswer[]; continues: number } {
  const answers: RawAnswer[] = [];
  let continues = 0;
  let at = 0;
  while (at < bytes.length) {
    const headEnd = bytes.indexOf("\r\n\r\n", at);
    if (headEnd === -1) break;
    const lines = bytes.toString("latin1", at, headEnd).split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0]!)?.[1] ?? 0);
    if (status === 0) break;
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(":");
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    at = headEnd + 4;
    if (status >= 100 && status < 200) {
      continues++;
      continue;
    }
    const length = headers.get("content-length");
    let body: Buffer;
    if (status === 204 || status === 304) {
      body = Buffer.alloc(0);
    } else if (length !== undefined) {
      body = bytes.subarray(at, at + Number(length));
      at += Number(length);
    } else if (headers.get("transfer-encoding")?.toLowerCase() === "chunked") {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = bytes.indexOf("\r\n", at);
        if (lineEnd === -1) break;
        const size = parseInt(bytes.toString("latin1", at, lineEnd), 16);
        at = lineEnd + 2;
        if (!(size > 0)) {
          at = bytes.indexOf("\r\n\r\n", at - 2) + 4;
          break;
        }
        parts.push(bytes.subarray(at, at + size));
        at += size + 2;
      }
      body = Buffer.concat(parts);
    } else {
      // Read to the end of the connection.
      body = open ? Buffer.alloc(0) : bytes.subarray(at);
      at = bytes.length;
    }
    answers.push({ status, headers, body });
  }
  return { answers, continues };
}

function classify(kind: ServerKind, answer: RawAnswer): FramingAnswer {
  const { status } = answer;
  const json = answer.headers.get("content-type")?.startsWith("application/json") === true ? parseJson(answer.body) : undefined;
  if (kind === "node") {
    // The echo server answers every request it was given with JSON; anything else is node:http's own.
    if (json === undefined) return { status, by: "server" };
    return { status, by: "handler", body: typeof json["name"] === "string" ? json["name"] : "(none)" };
  }
  if (json !== undefined) {
    const msg = typeof json["msg"] === "string" ? json["msg"] : undefined;
    if (msg?.startsWith("malformed HTTP request:") === true) return { status, by: "server" };
    // Ours refuses a body that does not decode where the original decodes none of it (the parity
    // matrix's intended difference undecodable-body): both mean the handler found no name in it.
    if (status === 400 && msg?.includes("request could not be decoded") === true) return { status: 200, by: "handler", body: "(none)" };
    if (msg !== undefined) return { status, by: "handler", body: "(refused)" };
    if (json["sid"] === "MOCK_SID") return { status, by: "handler", body: typeof json["name"] === "string" ? json["name"] : "(none)" };
    return { status, by: "handler" };
  }
  // Ours refuses in JSON (above); Go's own refusals are plain text, or empty, and close the connection.
  const goRefusal =
    kind === "original" &&
    answer.headers.get("connection")?.toLowerCase() === "close" &&
    /^(\d{3} [A-Za-z ]+(: .*)?|Unsupported transfer encoding|)$/.test(answer.body.toString("latin1"));
  return { status, by: goRefusal ? "server" : "handler" };
}

function parseJson(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString("utf8"));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
