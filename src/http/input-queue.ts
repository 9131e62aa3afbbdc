// The bytes a connection received and has not read yet, kept as the packets they came in: reading
// takes from the front, so a packet is never copied to be joined with the next one.

export interface InputQueue {
  /** Bytes waiting. */
  readonly length: number;
  push(chunk: Buffer): void;
  /** The first packet with bytes waiting, and where they start in it; undefined when empty. */
  front(): Buffer | undefined;
  readonly frontStart: number;
  /** Marks the first `count` bytes waiting as read. */
  skip(count: number): void;
  /** The next `count` bytes (all waiting, at most), without a copy when they are in one packet. */
  take(count: number): Buffer;
}

const empty = Buffer.alloc(0);

export function createInputQueue(): InputQueue {
  const chunks: Buffer[] = [];
  /** Index of the first chunk with bytes waiting; earlier slots are cleared lazily. */
  let head = 0;
  let start = 0;
  let length = 0;

  function dropFront(): void {
    chunks[head] = empty;
    head++;
    start = 0;
    if (head === chunks.length) {
      chunks.length = 0;
      head = 0;
    } else if (head >= 1024 && head * 2 >= chunks.length) {
      // A queue that never empties still forgets the packets it read.
      chunks.splice(0, head);
      head = 0;
    }
  }

  return {
    get length() {
      return length;
    },
    get frontStart() {
      return start;
    },
    push(chunk) {
      if (chunk.length === 0) return;
      chunks.push(chunk);
      length += chunk.length;
    },
    front() {
      return head < chunks.length ? chunks[head] : undefined;
    },
    skip(count) {
      length -= count;
      while (count > 0) {
        const chunk = chunks[head]!;
        const left = chunk.length - start;
        if (count < left) {
          start += count;
          return;
        }
        count -= left;
        dropFront();
      }
    },
    take(count) {
      count = Math.min(count, length);
      if (count === 0) return empty;
      const chunk = chunks[head]!;
      if (chunk.length - start >= count) {
        const taken = chunk.subarray(start, start + count);
        length -= count;
        if (start + count === chunk.length) dropFront();
        else start += count;
        return taken;
      }
      const joined = Buffer.allocUnsafe(count);
      let filled = 0;
      while (filled < count) {
        const next = chunks[head]!;
        const part = Math.min(count - filled, next.length - start);
        next.copy(joined, filled, start, start + part);
        filled += part;
        length -= part;
        if (start + part === next.length) dropFront();
        else start += part;
      }
      return joined;
    },
  };
}
