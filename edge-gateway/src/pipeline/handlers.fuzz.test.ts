import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAisHandler } from './ais-handler';
import { createDroneHandler } from './drone-handler';
import { createJsonHandler } from './json-handler';
import { createRadarHandler } from './radar-handler';
import { loadRadarSites } from '../normalize/radar-observation-sites';
import type { SensorHandler } from './sensor-handler';

const FUZZ_CASES = 100_000;
const fixtures = new URL('../../../../shared/fixtures/', import.meta.url);

/** mulberry32: a small seeded PRNG, so a failing case can be replayed from its seed. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Turns a valid payload into a hostile one: bit flips, truncation, a wrong checksum, junk, repetition, huge lines. */
function mutate(valid: Uint8Array, rand: () => number): Uint8Array {
  const pick = Math.floor(rand() * 9);
  const bytes = Uint8Array.from(valid);
  const at = () => Math.floor(rand() * Math.max(1, bytes.length));
  switch (pick) {
    case 0: // flip one to eight bits
      for (let n = 1 + Math.floor(rand() * 8); n > 0 && bytes.length > 0; n--) bytes[at()]! ^= 1 << Math.floor(rand() * 8);
      return bytes;
    case 1: // truncate
      return bytes.subarray(0, at());
    case 2: { // wrong checksum (or a random byte where there is none)
      const text = Buffer.from(bytes).toString('latin1');
      const star = text.lastIndexOf('*');
      if (star < 0) return mutate(valid, rand);
      return Buffer.from(`${text.slice(0, star + 1)}${Math.floor(rand() * 256).toString(16).toUpperCase().padStart(2, '0')}${text.slice(star + 3)}`, 'latin1');
    }
    case 3: // binary junk
      return Uint8Array.from({ length: Math.floor(rand() * 512) }, () => Math.floor(rand() * 256));
    case 4: // a huge line
      return Buffer.concat([bytes, Buffer.alloc(Math.floor(rand() * 400_000), 'A'.charCodeAt(0))]);
    case 5: // the payload twice, glued together
      return Buffer.concat([bytes, bytes]);
    case 6: // splice a random slice of itself into itself
      return Buffer.concat([bytes.subarray(0, at()), bytes.subarray(at())]);
    case 7: // printable noise
      return Buffer.from(Array.from({ length: Math.floor(rand() * 200) }, () => String.fromCharCode(32 + Math.floor(rand() * 95))).join(''));
    default: // unchanged: valid input must still decode among the hostile
      return bytes;
  }
}

interface FuzzReport {
  cases: number;
  decoded: number;
  deadLettered: number;
  ignored: number;
  reasons: Record<string, number>;
}

function fuzz(handler: SensorHandler, corpus: Uint8Array[], seed: number, sensorIds = ['fuzz-0', 'fuzz-1', 'fuzz-2']): FuzzReport {
  const rand = prng(seed);
  const report: FuzzReport = { cases: 0, decoded: 0, deadLettered: 0, ignored: 0, reasons: {} };
  for (let i = 0; i < FUZZ_CASES; i++) {
    const payload = mutate(corpus[Math.floor(rand() * corpus.length)]!, rand);
    let result;
    try {
      result = handler.handle(sensorIds[i % sensorIds.length]!, payload, 1_764_201_600_000 + i * 100);
    } catch (err) {
      throw new Error(`case ${i} (seed ${seed}) threw: ${String(err)}; payload ${Buffer.from(payload).toString('base64').slice(0, 200)}`);
    }
    report.cases++;
    for (const r of result.rejections) {
      if (!r.reason) throw new Error(`case ${i} (seed ${seed}) was rejected without a reason`);
      report.reasons[r.reason] = (report.reasons[r.reason] ?? 0) + 1;
    }
    for (const reason of result.ignored ?? []) report.reasons[`ignored:${reason}`] = (report.reasons[`ignored:${reason}`] ?? 0) + 1;
    const accounted = result.observations.length + result.rejections.length + (result.ignored?.length ?? 0);
    if (accounted === 0) throw new Error(`case ${i} (seed ${seed}) was neither decoded, dead-lettered nor counted`);
    if (result.observations.length > 0) report.decoded++;
    else if (result.rejections.length > 0) report.deadLettered++;
    else report.ignored++;
  }
  return report;
}

function lines(path: string): Uint8Array[] {
  return readFileSync(new URL(path, fixtures), 'latin1')
    .split(/\r?\n/)
    .filter((l) => l.length > 0 && !l.startsWith('#'))
    .map((l) => Buffer.from(l, 'latin1'));
}

describe('hostile input through every sensor handler', () => {
  it(`AIS: ${FUZZ_CASES} mutated receiver payloads, no exception, each decoded, dead-lettered or counted`, () => {
    const corpus = [...lines('ais/gpsd-sample.aivdm'), ...lines('ais/libais-tagblock.nmea'), ...lines('ais/pyais-mixed.txt')];
    const report = fuzz(createAisHandler('gw-fuzz', 0), corpus, 1);
    console.log('fuzz ais', JSON.stringify(report));
    expect(report.decoded).toBeGreaterThan(FUZZ_CASES / 20);
    expect(report.deadLettered).toBeGreaterThan(FUZZ_CASES / 2);
  });

  it(`radar: ${FUZZ_CASES} mutated TTM/TLL payloads, no exception, each decoded, dead-lettered or counted`, () => {
    const corpus = [...lines('radar/ttm-tll-valid.nmea'), ...lines('radar/ttm-tll-invalid.nmea')];
    corpus.push(Buffer.from(corpus.slice(0, 8).map((l) => Buffer.from(l).toString('latin1')).join('\r\n'), 'latin1'));
    const sites = loadRadarSites();
    const report = fuzz(createRadarHandler('gw-fuzz', sites), corpus, 3, [...sites.keys(), 'rdr-unconfigured']);
    console.log('fuzz radar', JSON.stringify(report));
    expect(report.decoded).toBeGreaterThan(FUZZ_CASES / 20);
    expect(report.deadLettered).toBeGreaterThan(FUZZ_CASES / 4);
  });

  it(`drone: ${FUZZ_CASES} mutated MAVLink chunks, no exception, each decoded, dead-lettered or counted`, () => {
    const rand = prng(40);
    const corpus: Uint8Array[] = [];
    for (const file of ['mavlink/node-mavlink-v2-3412-packets.bin', 'mavlink/node-mavlink-GH-5.bin', 'mavlink/node-mavlink-data.mavlink']) {
      const bytes = readFileSync(new URL(file, fixtures));
      for (let at = 0; at < bytes.length; ) {
        const size = 20 + Math.floor(rand() * 400);
        corpus.push(bytes.subarray(at, at + size));
        at += size;
      }
    }
    const report = fuzz(createDroneHandler('gw-fuzz'), corpus, 4);
    console.log('fuzz drone', JSON.stringify(report));
    expect(report.decoded).toBeGreaterThan(FUZZ_CASES / 50);
    expect(report.reasons['bad-crc']).toBeGreaterThan(FUZZ_CASES / 50);
  });

  it(`JSON: ${FUZZ_CASES} mutated reports, no exception, each decoded or dead-lettered`, () => {
    const corpus = [
      { kind: 'radar.target', observedAtMs: 1764201600000, targetNumber: 12, lon: 110.31, lat: 20.08, status: 'tracking' },
      { kind: 'unit.position', unitId: 'pb-01', lon: 110.1, lat: 20.05, sogKn: 18.5, cogDeg: 270 },
      [{ kind: 'drone.telemetry', systemId: 1, lon: 109.5, lat: 18.25, altitudeM: 120, batteryPct: 76 }],
      { kind: 'ais.static', mmsi: 413521110, msgType: 5, aisClass: 'A', shipName: '<img src=x onerror=alert(1)>' },
    ].map((r) => Buffer.from(JSON.stringify(r)));
    const report = fuzz(createJsonHandler('gw-fuzz'), corpus, 2);
    console.log('fuzz json', JSON.stringify(report));
    expect(report.decoded).toBeGreaterThan(FUZZ_CASES / 20);
    expect(report.deadLettered).toBeGreaterThan(FUZZ_CASES / 2);
  });
});
