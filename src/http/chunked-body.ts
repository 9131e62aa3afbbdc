// A chunked request body (RFC 9112 §7.1), decoded byte by byte as it arrives: a state machine that
// keeps its place between packets, so where TCP cut the bytes never changes the answer. What it
// accepts is what both Go's reader and llhttp accept, no more: chunk sizes of hex digits only,
// extensions that follow the grammar, CRLF everywhere, trailers that are header fields. Data is
// copied into one buffer that doubles, so memory stays within twice the body whatever the chunk
// sizes (docs/spec/http.md#chunked).
import { createByteBuffer } from "./byte-buffer.js";
import { hexValue } from "./hex-digit.js";

export type ChunkedStep =
  /** Every byte given was read; the body is not complete. */
  | { readonly kind: "more" }
  /** The body is complete; `end` is the offset just past it in the bytes given. */
  | { readonly kind: "done"; readonly body: Buffer; readonly end: number }
  /** `reason` is "too-large", or names what is malformed. */
  | { readonly kind: "refused"; readonly reason: string };

export interface ChunkedDecoder {
  feed(buf: Buffer, start: number, end: number): ChunkedStep;
}

/** Go reads a chunk-size line (size, extensions, CRLF) only when it fits its 4 KiB read buffer. */
const maxLineBytes = 4096;
/** Go reads trailers only when they end within its 4 KiB read buffer. */
const maxTrailerBytes = 4096;
/** Go's budget of bytes that are not data (sizes, extensions, CRLFs), past what a chunk earns. */
const maxExcessBytes = 16 * 1024;

const enum State {
  SizeStart,
  Size,
  ExtNameStart,
  ExtName,
  ExtValueStart,
  ExtToken,
  ExtQuoted,
  ExtQuotedEscape,
  ExtAfterQuoted,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  TrailerStart,
  TrailerName,
  TrailerValue,
  TrailerLf,
  FinalLf,
}

/** RFC 9110 tchar. */
const tchar = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") tchar[c.charCodeAt(0)] = 1;
const more: ChunkedStep = { kind: "more" };
/** Trailer fields that would change the framing: RFC 9110 §6.5.1 forbids them, llhttp refuses them. */
const framingFields = new Set(["content-length", "transfer-encoding"]);

export function createChunkedDecoder(maxBodyBytes: number): ChunkedDecoder {
  const data = createByteBuffer(1024);
  let state = State.SizeStart;
  let size = 0;
  let digits = 0;
  let remaining = 0;
  let lineBytes = 0;
  let excess = 0;
  let trailerBytes = 0;
  let trailerName = "";

  const refuse = (reason: string): ChunkedStep => ({ kind: "refused", reason });
  const byteName = (byte: number): string => `0x${byte.toString(16).padStart(2, "0")}`;

  return {
    feed(buf, start, end) {
      let at = start;
      while (at < end) {
        if (state === State.Data) {
          const take = Math.min(remaining, end - at);
          data.append(buf, at, at + take);
          at += take;
          remaining -= take;
          if (remaining === 0) state = State.DataCr;
          continue;
        }
        const byte = buf[at++]!;
        // The line's bytes with its CR; the LF would make it one byte more.
        if (state <= State.ExtAfterQuoted && ++lineBytes >= maxLineBytes) {
          return refuse(`a chunk-size line with its CRLF exceeds ${maxLineBytes} bytes`);
        }
        if (state >= State.TrailerStart && ++trailerBytes > maxTrailerBytes) return refuse(`the trailers exceed ${maxTrailerBytes} bytes`);
        switch (state) {
          case State.SizeStart:
          case State.Size: {
            const digit = hexValue(byte);
            if (digit >= 0) {
              if (++digits > 16) return refuse("a chunk size has more than 16 hex digits");
              size = size * 16 + digit;
              state = State.Size;
            } else if (state === State.Size && byte === 59) {
              state = State.ExtNameStart;
            } else if (state === State.Size && byte === 13) {
              state = State.SizeLf;
            } else {
              return refuse(`invalid byte ${byteName(byte)} in a chunk size`);
            }
            break;
          }
          case State.ExtNameStart:
            // llhttp reads an empty name before "=" or ";", but no ";" at the end of the line.
            if (tchar[byte] === 1) state = State.ExtName;
            else if (byte === 61) state = State.ExtValueStart;
            else if (byte !== 59) return refuse(`invalid byte ${byteName(byte)} in a chunk extension`);
            break;
          case State.ExtName:
            if (byte === 61) state = State.ExtValueStart;
            else if (byte === 59) state = State.ExtNameStart;
            else if (byte === 13) state = State.SizeLf;
            else if (tchar[byte] !== 1) return refuse(`invalid byte ${byteName(byte)} in a chunk extension`);
            break;
          case State.ExtValueStart:
            // Empty values (`;a=`, `;a=;b`) are read by llhttp and Go alike.
            if (byte === 34) state = State.ExtQuoted;
            else if (tchar[byte] === 1) state = State.ExtToken;
            else if (byte === 59) state = State.ExtNameStart;
            else if (byte === 13) state = State.SizeLf;
            else return refuse(`invalid byte ${byteName(byte)} in a chunk extension`);
            break;
          case State.ExtToken:
            if (byte === 59) state = State.ExtNameStart;
            else if (byte === 13) state = State.SizeLf;
            else if (tchar[byte] !== 1) return refuse(`invalid byte ${byteName(byte)} in a chunk extension`);
            break;
          case State.ExtQuoted:
            if (byte === 34) state = State.ExtAfterQuoted;
            else if (byte === 92) state = State.ExtQuotedEscape;
            else if (!textByte(byte)) return refuse(`invalid byte ${byteName(byte)} in a chunk extension`);
            break;
          case State.ExtQuotedEscape:
            if (!textByte(byte)) return refuse(`invalid byte ${byteName(byte)} in a chunk extension`);
            state = State.ExtQuoted;
            break;
          case State.ExtAfterQuoted:
            if (byte === 59) state = State.ExtNameStart;
            else if (byte === 13) state = State.SizeLf;
            else return refuse(`invalid byte ${byteName(byte)} after a quoted chunk extension`);
            break;
          case State.SizeLf: {
            if (byte !== 10) return refuse("a chunk-size line does not end with CRLF");
            // As Go counts it: the line and the CRLF after the data, less 16 bytes and twice the data.
            excess = Math.max(0, excess + lineBytes + 1 - 16 - 2 * size);
            if (excess > maxExcessBytes) return refuse("the chunk sizes and extensions are too large for the data they carry");
            lineBytes = 0;
            digits = 0;
            if (size === 0) {
              state = State.TrailerStart;
              break;
            }
            if (data.length + size > maxBodyBytes) return refuse("too-large");
            remaining = size;
            size = 0;
            state = State.Data;
            break;
          }
          case State.DataCr:
            if (byte !== 13) return refuse("a chunk's data is not followed by CRLF");
            state = State.DataLf;
            break;
          case State.DataLf:
            if (byte !== 10) return refuse("a chunk's data is not followed by CRLF");
            state = State.SizeStart;
            break;
          case State.TrailerStart:
            if (byte === 13) {
              state = State.FinalLf;
            } else if (tchar[byte] === 1) {
              trailerName = String.fromCharCode(byte);
              state = State.TrailerName;
            } else {
              return refuse("a trailer line is not a header field");
            }
            break;
          case State.TrailerName:
            if (byte === 58) {
              if (framingFields.has(trailerName.toLowerCase())) return refuse(`a trailer may not be ${trailerName}`);
              state = State.TrailerValue;
            } else if (tchar[byte] === 1) {
              trailerName += String.fromCharCode(byte);
            } else {
              return refuse("a trailer line is not a header field");
            }
            break;
          case State.TrailerValue:
            if (byte === 13) state = State.TrailerLf;
            else if (!textByte(byte)) return refuse(`invalid byte ${byteName(byte)} in a trailer value`);
            break;
          case State.TrailerLf:
            if (byte !== 10) return refuse("a trailer line does not end with CRLF");
            state = State.TrailerStart;
            break;
          case State.FinalLf:
            if (byte !== 10) return refuse("the trailers do not end with CRLF");
            return { kind: "done", body: data.take(), end: at };
        }
      }
      return more;
    },
  };
}

/** A tab, a space, a visible ASCII character or any byte above 0x7f. */
function textByte(byte: number): boolean {
  return byte === 9 || (byte >= 32 && byte !== 127);
}
