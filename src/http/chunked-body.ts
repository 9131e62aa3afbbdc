// A chunked request body (RFC 9112 §7.1), decoded as bytes arrive: chunk extensions are ignored,
// trailers are read and dropped, as Go's chunked reader does. Fed incrementally, so a body that
// dribbles in costs linear time.

export type ChunkedStep =
  | { readonly kind: "more"; /** Offset up to which input was consumed. */ readonly consumed: number }
  | { readonly kind: "done"; readonly body: Buffer; readonly consumed: number }
  | { readonly kind: "refused"; readonly reason: string };

/** Go refuses a chunk-size line (with extensions) longer than this. */
const maxLineBytes = 4096;

export interface ChunkedDecoder {
  /** Consumes what it can of `buf[start, end)`; call again with the unconsumed rest plus new bytes. */
  feed(buf: Buffer, start: number, end: number): ChunkedStep;
}

export function createChunkedDecoder(maxBodyBytes: number): ChunkedDecoder {
  const parts: Buffer[] = [];
  let total = 0;
  let phase: "size" | "data" | "data-end" | "trailer" = "size";
  let remaining = 0;

  return {
    feed(buf, start, end) {
      let at = start;
      while (at < end) {
        if (phase === "data") {
          const take = Math.min(remaining, end - at);
          parts.push(buf.subarray(at, at + take));
          at += take;
          remaining -= take;
          if (remaining === 0) phase = "data-end";
          continue;
        }
        const newline = buf.indexOf(10, at);
        if (newline === -1 || newline >= end) {
          if (end - at > maxLineBytes) return { kind: "refused", reason: "a chunked body line is too long" };
          return { kind: "more", consumed: at };
        }
        const line = buf.toString("latin1", at, newline > at && buf[newline - 1] === 13 ? newline - 1 : newline);
        at = newline + 1;
        if (phase === "data-end") {
          if (line !== "") return { kind: "refused", reason: "a chunk's data is not followed by CRLF" };
          phase = "size";
        } else if (phase === "size") {
          const sizeText = line.split(";", 1)[0]!.trim();
          if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) return { kind: "refused", reason: `invalid chunk size ${JSON.stringify(sizeText)}` };
          const size = parseInt(sizeText, 16);
          if (size === 0) {
            phase = "trailer";
          } else {
            total += size;
            if (total > maxBodyBytes) return { kind: "refused", reason: "too-large" };
            remaining = size;
            phase = "data";
          }
        } else if (line === "") {
          return { kind: "done", body: parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts), consumed: at };
        }
      }
      return { kind: "more", consumed: at };
    },
  };
}
