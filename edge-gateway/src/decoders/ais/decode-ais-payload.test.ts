import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeAisPayload, type AisMessage, type AisPayloadRejectReason } from './decode-ais-payload';
import { parseAisSentence } from './nmea-sentence';
import { unarmour } from './sixbit';
import { armour, sentence, textFields } from './test-support';

const FIXTURES = new URL('../../../../../shared/fixtures/ais/', import.meta.url);
const fixtureLine = (name: string, startsWith: string) =>
  readFileSync(new URL(name, FIXTURES), 'utf8').split('\n').find((l) => l.startsWith(startsWith))!;

/** Parses and de-armours the sentences of one message, then decodes it. */
function decodeLines(...lines: string[]) {
  const fragments = lines.map((line) => {
    const s = parseAisSentence(line);
    if (!s.ok) throw new Error(`${s.reason}: ${line}`);
    return s.value;
  });
  const payload = unarmour(fragments);
  if (!payload.ok) throw new Error(payload.reason);
  return decodeAisPayload(payload.value);
}

function decodeFields(fields: Parameters<typeof armour>[0]) {
  const payload = unarmour([armour(fields)]);
  if (!payload.ok) throw new Error(payload.reason);
  return decodeAisPayload(payload.value);
}

interface ClassARaw {
  sog?: number;
  rot?: number;
  lon?: number;
  lat?: number;
  cog?: number;
  heading?: number;
  radio?: number;
}

/** A class A report (ITU-R M.1371-5 Table 45) with the given raw field values; 168 bits unless the radio field is cut. */
const classA = (raw: ClassARaw, radioBits = 19): [number, number][] => [
  [1, 6], [0, 2], [211_707_860, 30], [0, 4], [raw.rot ?? 0, 8], [raw.sog ?? 0, 10], [1, 1],
  [raw.lon ?? 4_239_011, 28], [raw.lat ?? 30_463_944, 27], [raw.cog ?? 0, 12], [raw.heading ?? 0, 9],
  [14, 6], [1, 2], [0, 3], [0, 1], [raw.radio ?? 0, radioBits],
];

// Expected values are gpsdecode 3.22's for the same sentences (the .gpsdecode.jsonl references).
const decoded: [string, string[], Partial<AisMessage> & Record<string, unknown>][] = [
  [
    'message 1 with ROT, from the libais tag-block corpus',
    [fixtureLine('libais-tagblock.nmea', '\\s:rORBCOMM104').split('\\')[2]!],
    { type: 1, mmsi: 224651000, navStatus: 7, rotRaw: 0, rot: 0, sog: 1.2, accuracy: false, cog: 224.6, heading: 155, second: 51, maneuver: 0, raim: false, radio: 49152 },
  ],
  [
    'message 2 turning fast right (ROT_AIS 127)',
    ['!AIVDM,1,1,,B,25Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*60'],
    { type: 2, mmsi: 356302000, rot: null, rotRaw: 127, sog: 13.9, cog: 87.7, heading: 91, second: 41, radio: 49158 },
  ],
  [
    'message 1 turning fast left (ROT_AIS -127)',
    ['!AIVDM,1,1,,A,13`ddl0P@00HpkRNL1glKadL0>`<,0*61'],
    { type: 1, mmsi: 244002000, rot: null, rotRaw: -127, sog: 0, heading: 310 },
  ],
  [
    'message 1 with every field not available',
    ['!AIVDM,1,1,,A,13aL=c8P?w<tSF0l4Q@>4?wv0>`<,0*35'],
    { type: 1, mmsi: 244780460, navStatus: 8, rot: null, rotRaw: -128, sog: null, lon: null, lat: null, cog: null, heading: null, second: 63 },
  ],
  [
    'message 4 from a base station',
    ['!AIVDM,1,1,,B,402R3cQuur9F;0o<l<Q0lDi00<5@,0*2C'],
    { type: 4, mmsi: 2655150, year: 2015, month: 7, day: 20, hour: 9, minute: 22, second: 11, epfd: 1, radio: 49488 },
  ],
  [
    'message 4 with every field not available (time fields keep their sentinels)',
    ['!AIVDM,1,1,,A,402Fha0000Htt<tSF0l4Q@000d20,0*65'],
    { type: 4, mmsi: 2470052, year: 0, month: 0, day: 0, hour: 24, minute: 60, second: 60, lon: null, lat: null, epfd: 0 },
  ],
  [
    'message 11 (same layout as 4) with a USCG trailer',
    [fixtureLine('gpsd-sample.aivdm', '!AIVDM,1,1,,B,;4R33:1uUK2F`q?mOt@@GoQ00000,0*5D')],
    { type: 11, mmsi: 304137000, year: 2009, month: 5, day: 22, hour: 2, minute: 22, second: 40, accuracy: true, epfd: 1 },
  ],
  [
    'message 5 in two fragments with fill bits',
    ['!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C', '!AIVDM,2,2,1,A,88888888880,2*25'],
    {
      type: 5, mmsi: 351759000, aisVersion: 0, imo: 9134270, callsign: '3FOF8', shipName: 'EVER DIADEM', shipType: 70,
      toBow: 225, toStern: 70, toPort: 1, toStarboard: 31, epfd: 1, eta: '05-15T14:00Z', draught: 12.2, destination: 'NEW YORK', dte: 0,
    },
  ],
  [
    'message 5 with ETA not available',
    ['!AIVDM,2,1,1,B,54eGpd@2?l6H<HsG3SM==B0u8hD4q>222222220V1p>5740Ht<mPCPkmEQD`,0*7D', '!AIVDM,2,2,1,B,88888888880,2*26'],
    { type: 5, mmsi: 316012721, shipName: 'SST ORLEANS', eta: null, draught: 5.1, destination: 'VANCOUVER' },
  ],
  [
    'message 9 from a SAR aircraft',
    ['!AIVDM,1,1,,A,91b77=h3h00nHt0Q3r@@07000<0b,0*69'],
    { type: 9, mmsi: 111265591, alt: 15, sog: 0, lon: 11.8816, lat: 57.778455, cog: 0, second: 28, dte: 0, assigned: false, radio: 49194 },
  ],
  [
    'message 9 with altitude not available',
    [fixtureLine('libais-test.aivdm', '!AIVDM,1,1,,B,900fK5?wh0IJcT>;6GB004h00408')],
    { type: 9, mmsi: 760596, alt: null, sog: 0 },
  ],
  [
    'message 18 from own ship (VDO)',
    ['!AIVDO,1,1,,,B3uBrjP0=0=Kjm8BoS`AcwUUwP06,0*75'],
    { type: 18, mmsi: 265599690, sog: 5.2, cog: 28.2, heading: null, second: 11, cs: true, display: false, dsc: true, band: true, msg22: true, assigned: true, raim: true, radio: 917510 },
  ],
  [
    'message 19 with name and dimensions',
    ['!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B'],
    { type: 19, mmsi: 367059850, reserved: 248, sog: 8.7, cog: 335.9, heading: null, regional: 4, shipName: 'CAPT.J.RIMES', shipType: 70, toBow: 5, toStern: 21, toPort: 4, toStarboard: 4, epfd: 1 },
  ],
  [
    'message 21 with a name extension across two fragments',
    ['!AIVDM,2,1,5,B,E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q,0*46', '!AIVDM,2,2,5,B,:D44QDlp0C1DU00,2*36'],
    { type: 21, mmsi: 123456789, aidType: 20, name: 'CHINA ROSE MURPHY EXPRESS ALERT', toBow: 5, second: 50, offPosition: false, regional: 165, virtualAid: false },
  ],
  [
    'message 21 with a 4-bit-padded single sentence',
    ['!AIVDM,1,1,,A,ENjAUnVRd:9@24`bRh62c0W:2hFwknNr:AA8h00003P>2QS:<JDP00,4*13'],
    { type: 21, repeat: 1, mmsi: 992241114, aidType: 13, name: 'EXTR DIQUE LEVANTE -FL(1)R', accuracy: true, epfd: 7, raim: true, assigned: true },
  ],
  [
    'message 24 part A',
    ['!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D'],
    { type: 24, mmsi: 271041815, partno: 0, shipName: 'PROGUY' },
  ],
  [
    'message 24 part B (M.1371-4 vendor, model and serial)',
    ['!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40'],
    { type: 24, mmsi: 271041815, partno: 1, shipType: 60, vendorId: '1D0', model: 12, serial: 199796, callsign: 'TC6163', toBow: 0, toStern: 15, toPort: 0, toStarboard: 5, mothershipMmsi: null },
  ],
  [
    'message 27 long-range broadcast',
    ['!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41'],
    { type: 27, repeat: 1, mmsi: 236091959, navStatus: 3, accuracy: false, raim: false, sog: 0, cog: 0, positionLatency: false },
  ],
  [
    'message 27 with course not available',
    ['!AIVDM,1,1,,B,Kk`kDpu@;LkmU0Ot,0*20'],
    { type: 27, repeat: 3, mmsi: 244110563, navStatus: 5, lon: 4.885, lat: 52.39, sog: 0, cog: null, accuracy: true, raim: true },
  ],
  [
    'message 20, decoded as far as its header',
    ['!AIVDM,1,1,,A,D02R3cQk8Nfr:hO6D<,4*6D'],
    { type: 20, repeat: 0, mmsi: 2655150 },
  ],
];

describe('decodeAisPayload', () => {
  it.each(decoded)('decodes %s', (_name, lines, expected) => {
    const r = decodeLines(...lines);
    expect(r.ok).toBe(true);
    expect(r.ok && r.value).toMatchObject(expected);
  });

  it.each([
    ['SOG 102.3 kn as not available', { sog: 1023 }, { sog: null }],
    ['SOG 102.2 kn as 102.2 (or more)', { sog: 1022 }, { sog: 102.2 }],
    ['COG 360 as not available', { cog: 3600 }, { cog: null }],
    ['an invalid COG above 360 as not available', { cog: 3601 }, { cog: null }],
    ['heading 511 as not available', { heading: 511 }, { heading: null }],
    ['an invalid heading 360 as not available', { heading: 360 }, { heading: null }],
    ['lon 181 / lat 91 as not available', { lon: 108_600_000, lat: 54_600_000 }, { lon: null, lat: null }],
    ['negative positions', { lon: -600_000, lat: -300_000 }, { lon: -1, lat: -0.5 }],
    ['ROT_AIS -128 as not available', { rot: -128 }, { rot: null, rotRaw: -128 }],
    ['ROT_AIS 126 as +708 °/min', { rot: 126 }, { rotRaw: 126, rot: (126 / 4.733) ** 2 }],
    ['ROT_AIS -10 as a left turn', { rot: -10 }, { rotRaw: -10, rot: -((10 / 4.733) ** 2) }],
  ])('reads %s in a class A report', (_name, raw, expected) => {
    const r = decodeFields(classA(raw));
    expect(r.ok && r.value).toMatchObject(expected);
  });

  it('decodes a 163-bit class A report with a short communication state, as gpsd does', () => {
    const r = decodeFields(classA({ radio: 0b1011 }, 14));
    expect(r.ok && r.value).toMatchObject({ type: 1, radio: 0b1011 });
  });

  it('reads message 24 part B from an auxiliary craft as its mothership MMSI', () => {
    const r = decodeFields([
      [24, 6], [0, 2], [982_710_001, 30], [1, 2], [52, 8], ...textFields('ABC', 3), [0, 4], [0, 20],
      ...textFields('CALL', 7), [271_041_815, 30], [0, 6],
    ]);
    expect(r.ok && r.value).toMatchObject({ partno: 1, shipType: 52, vendorId: 'ABC', callsign: 'CALL', mothershipMmsi: 271_041_815, toBow: null, toStarboard: null });
  });

  it('reads class B "not available" speed and position as null', () => {
    const r = decodeFields([
      [18, 6], [0, 2], [367_000_000, 30], [0, 8], [1023, 10], [0, 1], [108_600_000, 28], [54_600_000, 27],
      [3600, 12], [511, 9], [60, 6], [0, 2], [1, 1], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [0, 1], [393_222, 20],
    ]);
    expect(r.ok && r.value).toMatchObject({ type: 18, sog: null, lon: null, lat: null, cog: null, heading: null, second: 60, cs: true });
  });

  it('accepts message 5 of 420 bits without its DTE bit, as transmitters in the wild send it', () => {
    const r = decodeFields([
      [5, 6], [0, 2], [351_759_000, 30], [0, 2], [0, 30], ...textFields('CALL', 7), ...textFields('NAME', 20), [70, 8],
      [10, 9], [10, 9], [3, 6], [3, 6], [1, 4], [0, 4], [0, 5], [24, 5], [60, 6], [0, 8], ...textFields('PORT', 19), [0, 4],
    ]);
    expect(r.ok && r.value).toMatchObject({ type: 5, imo: 0, callsign: 'CALL', shipName: 'NAME', eta: null, draught: 0, destination: 'PORT', dte: 0 });
  });

  const rejects: [string, () => ReturnType<typeof decodeAisPayload>, AisPayloadRejectReason][] = [
    ['a payload shorter than the header', () => decodeFields([[1, 6], [0, 2], [1, 29]]), 'payload-too-short'],
    ['a 162-bit class A report', () => decodeFields(classA({}, 13)), 'payload-too-short'],
    ['the first fragment of message 5 alone', () => decodeLines(sentence('AIVDM,1,1,,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0')), 'payload-too-short'],
    ['message 27 of 84 bits', () => decodeFields([[27, 6], [0, 2], [1, 30], [0, 46]]), 'payload-too-short'],
    ['message 27 of 104 bits (libais test corpus junk)', () => decodeLines(fixtureLine('libais-test.aivdm', '!AIVDM,1,1,,B,KEkV@caow3vMnRkg20,4*72')), 'bad-payload-length'],
    ['message 23 of 58 bits (libais test corpus junk)', () => decodeLines(fixtureLine('libais-test.aivdm', '!AIVDM,1,1,,B,GFwkw?Bgph,2*4F')), 'payload-too-short'],
    ['message 24 with part number 3 (gpsd-ais-18-27.log)', () => decodeLines('!AIVDM,1,1,,A,H3KLehdt00000000?6ekkjm000000,0*2C'), 'bad-part-number'],
    ['message 24 part A over 168 bits', () => decodeFields([[24, 6], [0, 2], [1, 30], [0, 2], [0, 134]]), 'payload-too-long'],
    ['message 21 over 368 bits', () => decodeFields([[21, 6], [0, 2], [1, 30], [0, 340]]), 'payload-too-long'],
    ['addressed message 26 too short for its destination MMSI', () => decodeFields([[26, 6], [0, 2], [1, 30], [1, 1], [0, 1], [0, 40]]), 'payload-too-short'],
    ['undefined message type 28 (libais test corpus)', () => decodeLines(fixtureLine('libais-test.aivdm', '!AIVDM,1,1,,A,L4AwBiCN9merkniqfWOfso6mGJi2lCe>woLrUIrVuIL')), 'unknown-message-type'],
    ['message type 0', () => decodeFields([[0, 6], [0, 2], [1, 30], [0, 130]]), 'unknown-message-type'],
  ];

  it.each(rejects)('rejects %s', (_name, run, reason) => {
    const r = run();
    expect(r.ok ? 'accepted' : r.reason).toBe(reason);
  });
});
