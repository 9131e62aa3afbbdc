// Reading a request body from what a connection received, as it arrives: a Content-Length body
// (taken without a copy when it came whole), a chunked one, or one skipped unread.
import { createByteBuffer } from "./byte-buffer.js";
import { createChunkedDecoder } from "./chunked-body.js";
import { BodyReadError } from "./http-request.js";
import type { InputQueue } from "./input-queue.js";

export interface BodyReader {
  /** Reads what it can; the body once complete, an error when it cannot be read, undefined for more. */
  read(input: InputQueue): Buffer | BodyReadError | undefined;
}

export function tooLarge(limit: number): BodyReadError {
  return new BodyReadError("too-large", `the request body exceeds the ${limit}-byte limit`);
}

/** A body of exactly `length` bytes. */
export function createLengthReader(length: number): BodyReader {
  let remaining = length;
  let gathered: ReturnType<typeof createByteBuffer> | undefined;
  return {
    read(input) {
      if (gathered === undefined && input.length >= remaining) return input.take(remaining);
      // Copied as it arrives into one buffer the size of the body, so packets are not kept.
      gathered ??= createByteBuffer(Math.min(length, 64 * 1024));
      while (remaining > 0 && input.length > 0) {
        const piece = input.take(remaining);
        gathered.append(piece, 0, piece.length);
        remaining -= piece.length;
      }
      return remaining === 0 ? gathered.take() : undefined;
    },
  };
}

/** A chunked body of at most `limit` bytes. */
export function createChunkedReader(limit: number): BodyReader {
  const decoder = createChunkedDecoder(limit);
  return {
    read(input) {
      for (let front = input.front(); front !== undefined; front = input.front()) {
        const start = input.frontStart;
        const step = decoder.feed(front, start, front.length);
        if (step.kind === "refused") {
          return step.reason === "too-large"
            ? tooLarge(limit)
            : new BodyReadError("malformed", `the chunked request body is malformed: ${step.reason}`);
        }
        if (step.kind === "done") {
          input.skip(step.end - start);
          return step.body;
        }
        input.skip(front.length - start);
      }
      return undefined;
    },
  };
}

/** Skips `length` bytes; true once they are all gone. */
export function createSkipper(length: number): { skip(input: InputQueue): boolean } {
  let remaining = length;
  return {
    skip(input) {
      const count = Math.min(remaining, input.length);
      input.skip(count);
      remaining -= count;
      return remaining === 0;
    },
  };
}
