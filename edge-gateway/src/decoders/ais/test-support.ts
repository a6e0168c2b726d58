/**
 * Test-only helpers for the AIS decoder tests: framing with correct checksums and a bit writer
 * for payloads no public corpus holds. Independent of the decoder under test.
 */

function xorHex(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum ^= text.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** `!<body>*hh` with its NMEA checksum, behind an optional tag block `\<tag>*hh\`. */
export function sentence(body: string, tag?: string): string {
  const prefix = tag === undefined ? '' : `\\${tag}*${xorHex(tag)}\\`;
  return `${prefix}!${body}*${xorHex(body)}`;
}

/** Armours `[value, bits]` fields (two's complement for negatives) into a payload and fill bits. */
export function armour(fields: readonly (readonly [value: number, bits: number])[]): {
  payload: string;
  fillBits: number;
} {
  let bits = '';
  for (const [value, width] of fields) {
    const unsigned = value < 0 ? 2 ** width + value : value;
    bits += unsigned.toString(2).padStart(width, '0').slice(-width);
  }
  const fillBits = (6 - (bits.length % 6)) % 6;
  bits += '0'.repeat(fillBits);
  let payload = '';
  for (let i = 0; i < bits.length; i += 6) {
    const v = parseInt(bits.slice(i, i + 6), 2);
    payload += String.fromCharCode(v < 40 ? v + 48 : v + 56);
  }
  return { payload, fillBits };
}

/** Six-bit ASCII text field of `chars` characters, '@'-padded, as armour() fields. */
export function textFields(text: string, chars: number): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < chars; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 64;
    out.push([code >= 64 ? code - 64 : code, 6]);
  }
  return out;
}
