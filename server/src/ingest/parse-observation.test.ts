import { MAX_OBSERVATIONS_PER_MESSAGE } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { MAX_OBSERVATION_BYTES, parseObservations } from './parse-observation';

const position = (i: number) => ({
  obsId: `rx-haikou:${i}`,
  sensorId: 'rx-haikou',
  gatewayId: 'gw-haikou',
  observedAtMs: 1_764_201_600_000 + i,
  receivedAtMs: 1_764_201_600_100 + i,
  kind: 'ais.position',
  mmsi: 413_000_000 + i,
  msgType: 1,
  aisClass: 'A',
  lon: 110.3,
  lat: 20.1,
  sogKn: 8.6,
  cogDeg: 35.9,
  headingDeg: null,
  navStatus: 0,
  rotDegPerMin: null,
  accuracy: false,
});
const bytes = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));

describe('parseObservations', () => {
  it('reads one observation, or a batch of them in order', () => {
    expect(parseObservations(bytes(position(1)))).toEqual([{ ok: true, value: position(1) }]);
    const batch = [position(1), position(2), position(3)];
    expect(parseObservations(bytes(batch))).toEqual(batch.map((value) => ({ ok: true, value })));
  });

  it('judges each observation of a batch on its own: the bad one is rejected, the rest live', () => {
    const results = parseObservations(bytes([position(1), { ...position(2), lat: 91 }, { ...position(3), obsId: 'a\u0000b' }, position(4)]));
    expect(results.map((r) => (r.ok ? r.value.obsId : r.reason))).toEqual(['rx-haikou:1', 'schema', 'bad-text', 'rx-haikou:4']);
  });

  it('rejects what cannot be read at all as one payload: broken JSON, an empty or too long batch, oversize', () => {
    const reasons = (payload: Buffer) => parseObservations(payload).map((r) => (r.ok ? 'ok' : r.reason));
    expect(reasons(bytes('[{"obsId":'))).toEqual(['bad-json']);
    expect(reasons(bytes([]))).toEqual(['schema']);
    expect(reasons(bytes(Array.from({ length: MAX_OBSERVATIONS_PER_MESSAGE + 1 }, (_, i) => position(i))))).toEqual(['oversize']);
    expect(reasons(bytes({ ...position(1), pad: 'x'.repeat(MAX_OBSERVATION_BYTES) }))).toEqual(['oversize']);
    // A batch may average what one observation may weigh, no more.
    expect(reasons(bytes([{ ...position(1), pad: 'x'.repeat(2 * MAX_OBSERVATION_BYTES) }, position(2)]))).toEqual(['oversize']);
    expect(reasons(bytes([7, 'x', null]))).toEqual(['schema', 'schema', 'schema']);
  });
});
