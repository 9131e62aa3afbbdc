// UTF-8 validity as Go's unicode/utf8 judges it (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), where a caller needs to know *where* bytes stop being valid: to name
// the offending byte, or to replace each bad byte on its own as Go's decoders do.

/** The length of the valid UTF-8 sequence starting at `i`, or 0 when none does (utf8.DecodeRune). */
export function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  if (b < 0x80) return 1;
  let need: number;
  // The allowed range of the second byte depends on the first (RFC 3629 table 3-7).
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) low = 0xa0;
    if (b === 0xed) high = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) low = 0x90;
    if (b === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const c = bytes[i + k];
    if (c === undefined || c < (k === 1 ? low : 0x80) || c > (k === 1 ? high : 0xbf)) return 0;
  }
  return need + 1;
}

/** The offset of the first byte that does not start a valid UTF-8 sequence; -1 if there is none. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}
