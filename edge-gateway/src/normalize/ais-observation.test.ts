import { readFileSync } from 'node:fs';
import { AisPositionObservation, AisStaticObservation } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { AisDecoder, type DecodedAis } from '../decoders/ais/decode-ais-text';
import { toAisObservations, toAisPositionObservation, toAisStaticObservation } from './ais-observation';

// /work/shared/fixtures/ais from edge-gateway/src/normalize.
const FIXTURES = new URL('../../../../shared/fixtures/ais/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const T0 = 1_700_000_000_000;
const context = { sensorId: 'ais-haikou-1', gatewayId: 'gw-main' };

/** Decodes lines received at T0 and returns the message the last one completes. */
function decode(...lines: string[]): DecodedAis {
  const decoder = new AisDecoder();
  let last: DecodedAis | null = null;
  for (const line of lines) {
    const r = decoder.push(line, T0);
    if (!r.ok) throw new Error(`${r.reason}: ${line}`);
    last = r.value;
  }
  if (!last) throw new Error('no message');
  return last;
}

const TYPE5 = ['!AIVDM,2,1,1,A,55?MbV02;H;s<HtKR20EHE:0@T4@Dn2222222216L961O5Gf0NSQEp6ClRp8,0*1C', '!AIVDM,2,2,1,A,88888888880,2*25'];

describe('toAisPositionObservation', () => {
  it('maps a class A report, stamped with its tag-block time (libais-tagblock.nmea)', () => {
    const line = fixture('libais-tagblock.nmea').split('\n')[1]!;
    const r = toAisPositionObservation(decode(line), context);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(AisPositionObservation.parse(r.value)).toEqual(r.value);
    expect(r.value).toMatchObject({
      kind: 'ais.position',
      sensorId: 'ais-haikou-1',
      gatewayId: 'gw-main',
      observedAtMs: 1418172113000,
      receivedAtMs: T0,
      mmsi: 224651000,
      msgType: 1,
      aisClass: 'A',
      sogKn: 1.2,
      cogDeg: 224.6,
      headingDeg: 155,
      navStatus: 7,
      rotDegPerMin: 0,
      accuracy: false,
    });
    expect(r.value.lon).toBeCloseTo(-161.88265, 5);
    expect(r.value.lat).toBeCloseTo(-5.277917, 5);
    expect(r.value.obsId).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each([
    ['class B (18), time from receipt', '!AIVDO,1,1,,,B3uBrjP0=0=Kjm8BoS`AcwUUwP06,0*75', { msgType: 18, aisClass: 'B', sogKn: 5.2, headingDeg: null, navStatus: null, rotDegPerMin: null, observedAtMs: T0 }],
    ['class B extended (19)', '!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B', { msgType: 19, aisClass: 'B', sogKn: 8.7, cogDeg: 335.9 }],
    ['SAR aircraft (9)', '!AIVDM,1,1,,A,91b77=h3h00nHt0Q3r@@07000<0b,0*69', { msgType: 9, aisClass: 'SAR', sogKn: 0, headingDeg: null, navStatus: null }],
    ['long range (27)', '!AIVDM,1,1,,B,Kk`kDpu@;LkmU0Ot,0*20', { msgType: 27, aisClass: 'A', lon: 4.885, lat: 52.39, sogKn: 0, cogDeg: null, navStatus: 5 }],
    ['class A turning fast (rot unknown)', '!AIVDM,1,1,,B,25Cjtd0Oj;Jp7ilG7=UkKBoB0<06,0*60', { msgType: 2, rotDegPerMin: null, sogKn: 13.9 }],
  ])('maps %s', (_name, line, expected) => {
    const r = toAisPositionObservation(decode(line), context);
    expect(r.ok && r.value).toMatchObject(expected);
  });

  it("yields no observation for a report without a position, with reason 'no-position'", () => {
    const r = toAisPositionObservation(decode('!AIVDM,1,1,,A,13aL=c8P?w<tSF0l4Q@>4?wv0>`<,0*35'), context);
    expect(r).toMatchObject({ ok: false, reason: 'no-position' });
  });

  it('rejects messages that are not position reports', () => {
    const r = toAisPositionObservation(decode(...TYPE5), context);
    expect(r).toMatchObject({ ok: false, reason: 'not-a-position-report' });
  });

  it('rejects an observation the contract refuses, e.g. a bad sensor id', () => {
    const r = toAisPositionObservation(decode('!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23'), { sensorId: '', gatewayId: 'gw-main' });
    expect(r).toMatchObject({ ok: false, reason: 'invalid-observation' });
  });
});

describe('toAisStaticObservation', () => {
  it('maps message 5, with "not available" values as null', () => {
    const r = toAisStaticObservation(decode(...TYPE5), context);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(AisStaticObservation.parse(r.value)).toEqual(r.value);
    expect(r.value).toMatchObject({
      kind: 'ais.static',
      mmsi: 351759000,
      msgType: 5,
      aisClass: 'A',
      imo: 9134270,
      callsign: '3FOF8',
      shipName: 'EVER DIADEM',
      shipType: 70,
      toBowM: 225,
      toSternM: 70,
      toPortM: 1,
      toStarboardM: 31,
      destination: 'NEW YORK',
      eta: '05-15T14:00Z',
      draughtM: 12.2,
    });
    const tagged = fixture('libais-tagblock.nmea').split('\n');
    const rosinante = toAisStaticObservation(decode(tagged[0]!, tagged[2]!), context);
    expect(rosinante.ok && rosinante.value).toMatchObject({ imo: null, shipType: null, draughtM: null, destination: null, observedAtMs: 1418169601000 });
  });

  it.each([
    ['message 19', '!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B', { msgType: 19, aisClass: 'B', shipName: 'CAPT.J.RIMES', shipType: 70, toBowM: 5, callsign: null, imo: null }],
    ['message 24 part A', '!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D', { msgType: 24, shipName: 'PROGUY', callsign: null, shipType: null, toBowM: null }],
    ['message 24 part B', '!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40', { msgType: 24, shipName: null, callsign: 'TC6163', shipType: 60, toBowM: 0, toSternM: 15, toPortM: 0, toStarboardM: 5 }],
  ])('maps %s', (_name, line, expected) => {
    const r = toAisStaticObservation(decode(line), context);
    expect(r.ok && r.value).toMatchObject({ ...expected, aisClass: 'B' });
  });
});

describe('toAisObservations', () => {
  it('yields a position and a static observation for message 19, with distinct ids', () => {
    const { observations, rejections } = toAisObservations(decode('!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B'), context);
    expect(observations.map((o) => o.kind)).toEqual(['ais.position', 'ais.static']);
    expect(new Set(observations.map((o) => o.obsId)).size).toBe(2);
    expect(rejections).toEqual([]);
  });

  it('yields nothing, and no rejection, for message types without observations', () => {
    expect(toAisObservations(decode('!AIVDM,1,1,,B,402R3cQuur9F;0o<l<Q0lDi00<5@,0*2C'), context)).toEqual({ observations: [], rejections: [] });
  });

  it('derives the same id from the same raw lines and sensor, and another for another sensor', () => {
    const line = '!AIVDM,1,1,,A,13HOI:0P0000VOHLCnHQKwvL05Ip,0*23';
    const id = (sensorId: string, at: number) => {
      const decoder = new AisDecoder();
      const r = decoder.push(`${line}\r\n`, at);
      const o = r.ok && r.value ? toAisObservations(r.value, { sensorId, gatewayId: 'gw-main' }).observations[0] : undefined;
      return o?.obsId;
    };
    expect(id('ais-1', T0)).toBe(id('ais-1', T0 + 5_000));
    expect(id('ais-1', T0)).not.toBe(id('ais-2', T0));
  });

  it('turns every decodable corpus message into contract-valid observations (opencpn-hakefjord-excerpt.nmea)', () => {
    const decoder = new AisDecoder();
    const counts: Record<string, number> = {};
    for (const line of fixture('opencpn-hakefjord-excerpt.nmea').split('\n')) {
      const r = decoder.push(line, T0);
      if (!r.ok || !r.value) continue;
      const { observations, rejections } = toAisObservations(r.value, context);
      for (const o of observations) {
        expect(o.kind === 'ais.position' ? AisPositionObservation.safeParse(o).success : AisStaticObservation.safeParse(o).success).toBe(true);
        counts[o.kind] = (counts[o.kind] ?? 0) + 1;
      }
      for (const x of rejections) counts[x.reason] = (counts[x.reason] ?? 0) + 1;
    }
    // 81 + 30 class A and 112 class B reports; 4 type 5 and 1 type 24.
    expect(counts).toEqual({ 'ais.position': 223, 'ais.static': 5 });
  });
});
