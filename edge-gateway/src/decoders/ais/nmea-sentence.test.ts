import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_LINE_LENGTH, parseAisSentence, type NmeaRejectReason } from './nmea-sentence';
import { sentence } from './test-support';

const FIXTURES = new URL('../../../../../shared/fixtures/ais/', import.meta.url);
const fixtureLines = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8').split('\n');

describe('parseAisSentence', () => {
  it('resolves the fixtures folder to /work/shared beside the repo', () => {
    expect(FIXTURES.pathname).toMatch(/\/shared\/fixtures\/ais\/$/);
    expect(fixtureLines('libais-tagblock.nmea').length).toBeGreaterThan(4);
  });

  it('reads every field of a single-sentence AIVDM', () => {
    const r = parseAisSentence('!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23');
    expect(r).toEqual({
      ok: true,
      value: {
        line: '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23',
        tagBlock: null,
        talker: 'AI',
        formatter: 'VDM',
        fragmentCount: 1,
        fragmentNumber: 1,
        seqId: null,
        channel: 'A',
        payload: '13HOI:0P0000VOHLCnHQKwvL05Ip',
        fillBits: 0,
        trailer: null,
      },
    });
  });

  it.each([
    ['a fragment with sequence id and fill bits', '!AIVDM,2,2,1,A,88888888880,2*25', { fragmentCount: 2, fragmentNumber: 2, seqId: '1', fillBits: 2 }],
    ['own-ship VDO without channel', sentence('AIVDO,1,1,,,B>eq`d@0@4QsW4kDVD0L;wT0D100,0'), { formatter: 'VDO', channel: '' }],
    ['base-station talker BS', sentence('BSVDM,1,1,,B,13aL=c8P?w<tSF0l4Q@>4?wv0>`<,0'), { talker: 'BS' }],
    ['satellite talker SA', sentence('SAVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0'), { talker: 'SA' }],
    ['numeric channel 2', sentence('AIVDM,1,1,,2,15MrVH0000KH<:V:NtBLoqFP2H9:,0'), { channel: '2' }],
  ])('accepts %s', (_name, line, expected) => {
    const r = parseAisSentence(line);
    expect(r.ok && r.value).toMatchObject(expected);
  });

  it('tolerates CR/LF, surrounding whitespace and a lower-case checksum', () => {
    const line = '!AIVDM,1,1,,B,100h00PP0@PHFV`Mg5gTH?vNPUIp,0*3B';
    const lower = line.replace('*3B', '*3b');
    for (const [variant, trimmed] of [[`${line}\r\n`, line], [`  ${line}\t \n`, line], [lower, lower]] as const) {
      const r = parseAisSentence(variant);
      expect(r.ok && r.value.line).toBe(trimmed);
    }
  });

  it('keeps USCG metadata after the checksum as a trailer', () => {
    const line = fixtureLines('libais-test.aivdm').find((l) => l.startsWith('!AIVDM,1,1,,A,15B4FT5000JRP>PE6E68Nbkl0PS5'))!;
    const r = parseAisSentence(line);
    expect(r.ok && r.value.trailer).toBe(',b003669794,1272412827');
  });

  describe('tag blocks', () => {
    it('reads s:, c:, g: from the libais tag-block corpus and ignores vendor fields', () => {
      const [first] = fixtureLines('libais-tagblock.nmea');
      const r = parseAisSentence(first!);
      expect(r.ok && r.value.tagBlock).toEqual({
        source: 'rORBCOMM008',
        timeMs: 1418169601000,
        group: { sentence: 1, total: 2, id: '1604' },
        lineCount: null,
        text: null,
      });
      expect(r.ok && r.value.fragmentNumber).toBe(1);
    });

    it('reads n: and t:, and takes c: above 1e11 as milliseconds', () => {
      const r = parseAisSentence(sentence('AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0', 's:rx1,c:1718000000123,n:42,t:hello'));
      expect(r.ok && r.value.tagBlock).toEqual({ source: 'rx1', timeMs: 1718000000123, group: null, lineCount: 42, text: 'hello' });
    });

    it('validates the pyais tag blocks, two of which carry a wrong one-digit checksum', () => {
      const tagged = fixtureLines('pyais-mixed.txt').filter((l) => l.startsWith('\\'));
      expect(tagged.map((l) => { const r = parseAisSentence(l); return r.ok ? 'ok' : r.reason; })).toEqual([
        'bad-tag-block-checksum', // `*A` (XOR is 7E), and the sentence has no checksum either
        'ok',
        'ok',
        'bad-tag-block-checksum', // `*A`, XOR is 61
        'bad-tag-block-checksum', // `*A`, XOR is 1D
      ]);
    });
  });

  const valid = '!AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0*2F';
  const rejects: [string, string, NmeaRejectReason][] = [
    ['an empty line', '  \r\n', 'empty-line'],
    ['a line over 1,000 characters', sentence(`AIVDM,1,1,,A,${'1'.repeat(MAX_LINE_LENGTH)},0`), 'line-too-long'],
    ['a wrong checksum', valid.replace('*2F', '*2E'), 'bad-checksum'],
    ['a corrupted payload under the old checksum', valid.replace('15Mr', '15Ms'), 'bad-checksum'],
    ['no checksum (pyais-mixed line 23)', '!AIVDM,1,1,,B,15N4cJ005Jrek0H@9nDW5608EP,013', 'missing-checksum'],
    ['a one-digit checksum', valid.replace('*2F', '*F'), 'missing-checksum'],
    ['GNSS NMEA', '$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D', 'unsupported-sentence'],
    ['a corpus comment', '# !AIVDM,1,1,,A,U31<0OOP000CshrMdl600?wP00SL,0*43', 'unsupported-sentence'],
    ['another sentence with a bang', sentence('AIVDX,1,1,,A,1,0'), 'unsupported-sentence'],
    ['an extra field', sentence('AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0,1'), 'bad-field-count'],
    ['a missing field', sentence('AIVDM,1,1,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0'), 'bad-field-count'],
    ['fragment count 0', sentence('AIVDM,0,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0'), 'bad-fragment-count'],
    ['fragment 3 of 2', sentence('AIVDM,2,3,1,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0'), 'bad-fragment-number'],
    ['a two-digit sequence id', sentence('AIVDM,2,1,12,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0'), 'bad-sequence-id'],
    ['an empty payload (pyais sample)', '!AIVDM,1,1,,B,,0*25', 'empty-payload'],
    ['a payload character outside the armour set', sentence('AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9X,0'), 'bad-payload-char'],
    ['fill bits 6', sentence('AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,6'), 'bad-fill-bits'],
    ['empty fill bits', sentence('AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,'), 'bad-fill-bits'],
    ['an unterminated tag block', `\\s:rx1*00${valid}`, 'bad-tag-block'],
    ['a tag block without checksum', `\\s:rx1\\${valid}`, 'bad-tag-block'],
    ['a tag block with a bad c:', sentence('AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0', 'c:yesterday'), 'bad-tag-block'],
    ['a tag block with a bad g:', sentence('AIVDM,1,1,,A,15MrVH0000KH<:V:NtBLoqFP2H9:,0', 'g:3-2-7'), 'bad-tag-block'],
    ['a tag block with a wrong checksum', `\\s:rx1*00\\${valid}`, 'bad-tag-block-checksum'],
  ];

  it.each(rejects)('rejects %s', (_name, line, reason) => {
    const r = parseAisSentence(line);
    expect(r.ok ? 'accepted' : r.reason).toBe(reason);
  });

  it('never throws on arbitrary input', () => {
    const samples = ['!', '\\', '\\*', '!AIVDM', '!AIVDM,', '!AIVDM,*', '!AIVDM,1,1,,A,,0*', '\\g:1-2-\\!', '*'.repeat(50)];
    for (const s of samples) expect(() => parseAisSentence(s)).not.toThrow();
  });
});
