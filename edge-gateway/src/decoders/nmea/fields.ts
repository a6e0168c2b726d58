const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;

/** A non-empty string of decimal digits (at most 15) as a number, or -1. */
export function parseUnsignedInteger(text: string): number {
  if (text.length === 0 || text.length > 15) return -1;
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < DIGIT_0 || code > DIGIT_9) return -1;
    n = n * 10 + (code - DIGIT_0);
  }
  return n;
}

/** Digits with an optional fractional part (`1418169601.25`, `7`) as a number, or -1. */
export function parseUnsignedDecimal(text: string): number {
  return isDecimal(text, 0) ? Number(text) : -1;
}

/** A decimal with an optional leading sign (`-3.5`, `+2`, `0.0`) as a number, or NaN. */
export function parseSignedDecimal(text: string): number {
  const first = text.charCodeAt(0);
  return isDecimal(text, first === MINUS || first === PLUS ? 1 : 0) ? Number(text) : Number.NaN;
}

/** From `from` on: digits, then optionally a dot and more digits; at most 20 characters. */
function isDecimal(text: string, from: number): boolean {
  if (text.length > 20) return false;
  let whole = 0;
  let i = from;
  for (; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < DIGIT_0 || code > DIGIT_9) break;
    whole++;
  }
  if (whole === 0) return false;
  if (i === text.length) return true;
  if (text.charCodeAt(i) !== DOT || i === text.length - 1) return false;
  for (i++; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < DIGIT_0 || code > DIGIT_9) return false;
  }
  return true;
}
