import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AisDecoder, decodeAisText } from './decode-ais-text';
import { sentence } from './test-support';

const FIXTURES = new URL('../../../../../shared/fixtures/ais/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const T0 = 1_700_000_000_000;

function decodeFile(name: string) {
  const decoder = new AisDecoder();
  const lines = fixture(name).split('\n');
  const messages = lines.flatMap((line, i) => {
    const r = decoder.push(line, T0 + i);
    return r.ok && r.value ? [r.value] : [];
  });
  return { decoder, messages };
}

describe('AisDecoder', () => {
  it('stamps messages with their tag-block source and time (libais-tagblock.nmea)', () => {
    const { messages } = decodeFile('libais-tagblock.nmea');
    expect(messages.map((m) => [m.message.type, m.message.mmsi, m.source, m.sourceTimeMs, m.lines.length])).toEqual([
      [1, 224651000, 'rORBCOMM104', 1418172113000, 1],
      [5, 219005012, 'rORBCOMM008', 1418169601000, 2],
      [1, 224651000, 'rORBCOMM007', 1418171722000, 1],
      [1, 224651000, 'rORBCOMM007', 1418171561000, 1],
    ]);
    // The two-part message is complete when its second line arrives (line index 2).
    expect(messages[1]).toMatchObject({ receivedAtMs: T0 + 2, channel: 'A', talker: 'AI', formatter: 'VDM' });
    expect(messages[1]!.message).toMatchObject({ shipName: 'ROSINANTE', callsign: 'XPD5019' });
  });

  it('decodes a mixed stream and counts every rejected line by reason (pyais-mixed.txt)', () => {
    const { decoder, messages } = decodeFile('pyais-mixed.txt');
    expect(messages.map((m) => m.message.type)).toEqual([1, 1, 1, 1, 1, 1, 5, 5, 1, 1]);
    // The SAVDM type 5 is joined from two tag-block lines; its time comes from the first.
    expect(messages[7]).toMatchObject({ talker: 'SA', source: 'b003669710', sourceTimeMs: 1428621738000 });
    expect(decoder.stats).toEqual({
      lines: 36,
      decoded: 10,
      // GNSS/proprietary sentences, comments and junk; three tag blocks with a wrong `*A` checksum.
      rejected: { 'unsupported-sentence': 13, 'empty-line': 8, 'bad-tag-block-checksum': 3 },
      assembler: { completed: 10, fragments: 4, outOfOrder: 0, timedOut: 0, evicted: 0, superseded: 0, interrupted: 0, pending: 0 },
    });
  });

  it('leaves unmatched first fragments pending or superseded, never decoded (pyais-nmea_data_sample.txt)', () => {
    const { decoder, messages } = decodeFile('pyais-nmea_data_sample.txt');
    expect(messages).toHaveLength(778);
    expect(decoder.stats.rejected).toEqual({ 'empty-payload': 100 });
    expect(decoder.stats.assembler).toMatchObject({ superseded: 8, pending: 12 });
  });

  it('drops a message whose second fragment never comes, and times it out by observation time', () => {
    const d = new AisDecoder();
    expect(d.push('!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C', T0)).toEqual({ ok: true, value: null });
    expect(d.expire(T0 + 30_000)).toBe(0);
    const late = d.push('!AIVDM,2,2,1,A,88888888880,2*25', T0 + 45_000);
    expect(late).toMatchObject({ ok: false, reason: 'fragment-out-of-order' });
    expect(d.stats.assembler).toMatchObject({ timedOut: 1, pending: 0 });
    expect(d.stats.rejected).toEqual({ 'fragment-out-of-order': 1 });
  });

  it('rejects, with a reason, a payload that decodes to nothing it can trust', () => {
    const d = new AisDecoder();
    const r = d.push('!AIVDM,1,1,,A,H3KLehdt00000000?6ekkjm000000,0*2C', T0);
    expect(r).toMatchObject({ ok: false, reason: 'bad-part-number' });
  });

  it('never throws on mutated corpus lines', () => {
    const lines = fixture('gpsd-sample.aivdm').split('\n').filter((l) => l.startsWith('!'));
    let seed = 42;
    const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
    const d = new AisDecoder();
    for (let i = 0; i < 5_000; i++) {
      const line = lines[Math.floor(random() * lines.length)]!;
      const at = Math.floor(random() * line.length);
      const mutated = line.slice(0, at) + String.fromCharCode(Math.floor(random() * 128)) + line.slice(at + 1);
      // A throw fails the test; every line must come back as a result.
      const r = d.push(mutated, T0 + i);
      if (typeof r.ok !== 'boolean') throw new Error(`no result for ${mutated}`);
    }
    expect(d.stats.lines).toBe(5_000);
  });
});

describe('decodeAisText', () => {
  it('decodes a multi-line MQTT payload and reports rejected lines with their raw text', () => {
    const decoder = new AisDecoder();
    const bad = '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*24';
    const text = [
      '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23',
      '',
      bad,
      '$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D',
      sentence('AIVDM,1,1,,B,133sVfPP00PD>hRMDH@jNOvN20S8,0', 's:rx-7,c:1718000000'),
      '',
    ].join('\r\n');
    const result = decodeAisText(decoder, text, T0);
    expect(result.messages.map((m) => [m.message.mmsi, m.source, m.sourceTimeMs, m.receivedAtMs])).toEqual([
      [227006760, null, null, T0],
      [205448890, 'rx-7', 1718000000000, T0],
    ]);
    expect(result.rejections).toEqual([
      { reason: 'bad-checksum', detail: 'computed 23, sentence says 24', raw: `${bad}\r` },
      { reason: 'unsupported-sentence', detail: '$GPGGA', raw: '$GPGGA,184353.07,1929.045,S,02410.506,E,1,04,2.6,100.00,M,-33.9,M,,0000*6D\r' },
    ]);
  });

  it('joins a message whose fragments arrive in separate payloads', () => {
    const decoder = new AisDecoder();
    const first = decodeAisText(decoder, '!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C\n', T0);
    const second = decodeAisText(decoder, '!AIVDM,2,2,1,A,88888888880,2*25\n', T0 + 40);
    expect(first).toEqual({ messages: [], rejections: [] });
    expect(second.messages.map((m) => [m.message.type, m.message.mmsi, m.receivedAtMs])).toEqual([[5, 351759000, T0 + 40]]);
  });
});
