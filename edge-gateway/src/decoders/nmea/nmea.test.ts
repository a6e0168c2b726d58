import { describe, expect, it } from 'vitest';
import {
  formatHexByte,
  MAX_LINE_LENGTH,
  parseHexByte,
  parseSignedDecimal,
  parseUnsignedDecimal,
  parseUnsignedInteger,
  readNmeaLine,
  verifyNmeaChecksum,
  xorChecksum,
} from '.';

// The recorded RATTM of OpenCPN's Hakefjord.log (shared/fixtures/radar/ttm-tll-expected.json, opencpn-hakefjord-ttm).
const HAKEFJORD_TTM = '$RATTM,11,11.4,13.6,T,7.0,20.0,T,0.0,0.0,N,,Q,,154125.82,A,*17';

describe('NMEA 0183 framing shared by AIS and radar', () => {
  it('checks the XOR between the start character and the *', () => {
    expect(xorChecksum(HAKEFJORD_TTM, 1, HAKEFJORD_TTM.indexOf('*'))).toBe(0x17);
    expect(verifyNmeaChecksum(HAKEFJORD_TTM, 0)).toEqual({ ok: true, value: HAKEFJORD_TTM.indexOf('*') });
    expect(verifyNmeaChecksum(HAKEFJORD_TTM.replace('*17', '*18'), 0)).toEqual({ ok: false, reason: 'bad-checksum', detail: 'computed 17, sentence says 18' });
    expect(verifyNmeaChecksum(HAKEFJORD_TTM.replace('*17', '*G7'), 0).ok).toBe(false);
    expect(verifyNmeaChecksum(HAKEFJORD_TTM.slice(0, -3), 0)).toEqual({ ok: false, reason: 'missing-checksum' });
    expect([parseHexByte('*aF', 1), parseHexByte('*a', 1), formatHexByte(10)]).toEqual([0xaf, -1, '0A']);
  });

  it('splits a tag block off the sentence and reports where the sentence starts', () => {
    const tag = 's:rdr-haikou,c:1764201600';
    const line = `\\${tag}*${formatHexByte(xorChecksum(tag, 0, tag.length))}\\${HAKEFJORD_TTM}`;
    const r = readNmeaLine(`${line}\r\n`);
    expect(r).toEqual({
      ok: true,
      value: { line, start: line.indexOf('$'), tagBlock: { source: 'rdr-haikou', timeMs: 1_764_201_600_000, group: null, lineCount: null, text: null } },
    });
    expect(readNmeaLine(HAKEFJORD_TTM)).toEqual({ ok: true, value: { line: HAKEFJORD_TTM, start: 0, tagBlock: null } });
    expect(readNmeaLine(' \r').ok).toBe(false);
    expect(readNmeaLine('$'.repeat(MAX_LINE_LENGTH + 1))).toMatchObject({ ok: false, reason: 'line-too-long' });
    expect(readNmeaLine(`\\c:1*31${HAKEFJORD_TTM}`)).toMatchObject({ ok: false, reason: 'bad-tag-block' });
  });

  it.each([
    ['7', 7, 7, 7],
    ['0.0', -1, 0, 0],
    ['154125.82', -1, 154125.82, 154125.82],
    ['-4.5', -1, -1, -4.5],
    ['+2', -1, -1, 2],
    ['', -1, -1, Number.NaN],
    ['.5', -1, -1, Number.NaN],
    ['5.', -1, -1, Number.NaN],
    ['1.2.3', -1, -1, Number.NaN],
    ['1e3', -1, -1, Number.NaN],
    [' 1', -1, -1, Number.NaN],
    ['Infinity', -1, -1, Number.NaN],
  ])('reads numeric field %j strictly', (text, integer, unsigned, signed) => {
    expect(parseUnsignedInteger(text)).toBe(integer);
    expect(parseUnsignedDecimal(text)).toBe(unsigned);
    expect(parseSignedDecimal(text)).toBe(signed);
  });
});
