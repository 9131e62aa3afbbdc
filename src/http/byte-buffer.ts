// Bytes gathered from many small pieces into one buffer that doubles when full: appending costs
// linear time overall and the memory held stays within twice what was appended, however small the
// pieces (docs/spec/http.md#reading). A list of pieces would cost an object per piece.

export interface ByteBuffer {
  /** Bytes appended so far. */
  readonly length: number;
  /** Copies `source[start, end)` to the end. */
  append(source: Uint8Array, start: number, end: number): void;
  /** The bytes appended, without a copy (valid until the next append or clear). */
  view(): Buffer;
  /** The bytes appended (at most twice their size held), and the byte buffer is left empty. */
  take(): Buffer;
  clear(): void;
}

const empty = Buffer.alloc(0);

/** `initial` is the first capacity; a caller that knows the final size passes it. */
export function createByteBuffer(initial = 256): ByteBuffer {
  let store = empty;
  let length = 0;
  return {
    get length() {
      return length;
    },
    append(source, start, end) {
      const size = end - start;
      if (length + size > store.length) {
        const grown = Buffer.allocUnsafe(Math.max(initial, store.length * 2, length + size));
        store.copy(grown, 0, 0, length);
        store = grown;
      }
      store.set(source.subarray(start, end), length);
      length += size;
    },
    view() {
      return store.subarray(0, length);
    },
    take() {
      const taken = store.subarray(0, length);
      store = empty;
      length = 0;
      return taken;
    },
    clear() {
      store = empty;
      length = 0;
    },
  };
}
