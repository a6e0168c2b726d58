/** Test-only helpers for the radar tests: NMEA framing with correct checksums, independent of the decoder. */

function xorHex(text: string): string {
  let sum = 0;
  for (let i = 0; i < text.length; i++) sum ^= text.charCodeAt(i);
  return sum.toString(16).toUpperCase().padStart(2, '0');
}

/** `$<body>*hh` with its NMEA checksum, behind an optional tag block `\<tag>*hh\`. */
export function radarSentence(body: string, tag?: string): string {
  const prefix = tag === undefined ? '' : `\\${tag}*${xorHex(tag)}\\`;
  return `${prefix}$${body}*${xorHex(body)}`;
}

