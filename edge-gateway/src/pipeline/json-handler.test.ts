import { describe, expect, it } from 'vitest';
import { createJsonHandler } from './json-handler';

const handler = createJsonHandler('gw-1');
const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('JSON sensor reports', () => {
  it('turns a radar report into an observation, filling what the gateway owns and nulls for what was left out', () => {
    const r = handler.handle(
      'radar-json-1',
      bytes('{"kind":"radar.target","observedAtMs":1764201600000,"targetNumber":12,"lon":110.31,"lat":20.08,"status":"tracking"}'),
      1764201601000,
    );
    expect(r.rejections).toEqual([]);
    expect(r.observations).toEqual([
      expect.objectContaining({
        kind: 'radar.target', sensorId: 'radar-json-1', gatewayId: 'gw-1', observedAtMs: 1764201600000,
        receivedAtMs: 1764201601000, targetNumber: 12, lon: 110.31, lat: 20.08, status: 'tracking',
        sogKn: null, cogDeg: null, rangeM: null, bearingDeg: null, name: null,
      }),
    ]);
    expect(r.observations[0]!.obsId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('takes an array, keeps the good reports and rejects each bad one with its reason', () => {
    const r = handler.handle(
      'unit-7',
      bytes(JSON.stringify([
        { kind: 'unit.position', unitId: 'pb-01', lon: 110.1, lat: 20.05 },
        { kind: 'unit.position', unitId: 'pb-01', lon: 999, lat: 20.05 },
        { kind: 'unit.position', unitId: 'pb-01', lon: 110.1, lat: 20.05, obsId: 'forged' },
        { kind: 'teleport' },
      ])),
      1000,
    );
    expect(r.observations).toHaveLength(1);
    expect(r.observations[0]).toMatchObject({ kind: 'unit.position', unitId: 'pb-01', observedAtMs: 1000 });
    expect(r.rejections.map((x) => x.reason)).toEqual(['schema', 'schema', 'schema']);
    expect(r.rejections[0]!.detail).toMatch(/^lon:/);
  });

  it('rejects broken JSON and oversize payloads without throwing', () => {
    expect(handler.handle('s', bytes('{"kind":'), 0).rejections[0]!.reason).toBe('bad-json');
    expect(handler.handle('s', new Uint8Array(300 * 1024), 0).rejections[0]!.reason).toBe('oversize');
    expect(handler.handle('s', bytes('null'), 0).rejections[0]!.reason).toBe('schema');
  });
});
