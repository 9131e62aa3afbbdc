// The value of one hexadecimal digit, for chunk sizes and percent-escapes.

/** 0–15 for an ASCII hex digit (either case), -1 for anything else. */
export function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  if (code >= 65 && code <= 70) return code - 55;
  return -1;
}
