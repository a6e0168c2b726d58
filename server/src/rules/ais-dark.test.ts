import type { Track, TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { checkAisDark, longestSilenceMs, requiredIntervalMs, silenceThresholdMs, type AisReporting } from './ais-dark';
import { loadRuleConfig } from './rule-config';

const params = loadRuleConfig().aisDark;
const T0 = Date.UTC(2026, 0, 15, 10, 50, 0);
const MIN = 60_000;
const classA = (sogKn: number, navStatus: number | null = 0): AisReporting => ({ aisClass: 'A', navStatus, sogKn });
const classB = (sogKn: number): AisReporting => ({ aisClass: 'B', navStatus: null, sogKn });

function track(kind: Track['kind'], id: string, lastSeenMs: number, sogKn: number): Track {
  return {
    id: id as TrackId, kind, state: 'active', lon: 110.1, lat: 20.1, sogKn, cogDeg: 270, headingDeg: null,
    mmsi: kind === 'radar' ? null : 412463270, name: kind === 'radar' ? null : 'HAI XUN 1', callsign: null, shipType: 70, destination: null,
    ring: 'near-sea', level: null, sources: [], firstSeenMs: T0 - 60 * MIN, lastSeenMs, updates: 100,
  };
}

describe('AIS switched off', () => {
  it('knows the reporting interval ITU-R M.1371-5 table 1 requires of each class and speed', () => {
    expect(requiredIntervalMs(classA(10), params)).toBe(10_000);
    expect(requiredIntervalMs(classA(18), params)).toBe(6_000);
    expect(requiredIntervalMs(classA(30), params)).toBe(2_000);
    expect(requiredIntervalMs(classA(0.2, 1), params)).toBe(180_000); // at anchor
    expect(requiredIntervalMs(classA(0, 5), params)).toBe(180_000); // moored
    expect(requiredIntervalMs(classA(5, 1), params)).toBe(10_000); // at anchor, yet moving faster than 3 kn
    expect(requiredIntervalMs(classA(0.2, 0), params)).toBe(10_000); // under way using engine, however slow
    expect(requiredIntervalMs(classB(1), params)).toBe(180_000);
    expect(requiredIntervalMs(classB(8), params)).toBe(30_000);
    expect(requiredIntervalMs(undefined, params)).toBe(180_000); // class not heard yet: held to the slowest
  });

  it('needs ten minutes of silence from a vessel under way, fifteen from one at anchor (five missed reports)', () => {
    expect(silenceThresholdMs(classA(12), params)).toBe(10 * MIN);
    expect(silenceThresholdMs(classB(8), params)).toBe(10 * MIN);
    expect(silenceThresholdMs(classA(0.1, 1), params)).toBe(15 * MIN);
    expect(silenceThresholdMs(classB(0.5), params)).toBe(15 * MIN);
  });

  it('is orange on the vessel and the radar target still following it, with its evidence', () => {
    const ais = track('ais', 'ais:412463270', T0, 12);
    const radar = track('radar', 'radar:rdr-haikou:7', T0 + 10 * MIN, 12);
    expect(checkAisDark(ais, { ...radar, lastSeenMs: T0 + 10 * MIN - 1 }, params, classA(12))).toBeNull();
    expect(checkAisDark(ais, radar, params, classA(12))).toMatchObject({
      rule: 'ais-dark',
      level: 'orange',
      trackIds: ['ais:412463270', 'radar:rdr-haikou:7'],
      atMs: T0 + 10 * MIN,
      evidence: { silentMs: 10 * MIN, thresholdMs: 10 * MIN, requiredIntervalMs: 10_000, aisClass: 'A', lastAisAtMs: T0 },
    });
  });

  it('gives a vessel at anchor its longer interval before calling it dark', () => {
    const ais = track('ais', 'ais:412463270', T0, 0.1);
    const radarAt = (ms: number) => track('radar', 'radar:rdr-haikou:7', T0 + ms, 0.1);
    expect(checkAisDark(ais, radarAt(12 * MIN), params, classA(0.1, 1))).toBeNull();
    expect(checkAisDark(ais, radarAt(15 * MIN), params, classA(0.1, 1))?.evidence.thresholdMs).toBe(15 * MIN);
  });

  it('raises nothing outside the watched rings, or when the radar target is itself stale', () => {
    const radar = track('radar', 'radar:rdr-haikou:7', T0 + 20 * MIN, 12);
    expect(checkAisDark({ ...track('ais', 'ais:412463270', T0, 12), ring: 'inland' }, radar, params, classA(12))).toBeNull();
    expect(checkAisDark(track('ais', 'ais:412463270', T0, 12), { ...radar, state: 'stale' }, params, classA(12))).toBeNull();
  });

  it('measures the longest silence left once late reports fill a gap', () => {
    expect(longestSilenceMs(0, 10 * MIN, [])).toBe(10 * MIN);
    expect(longestSilenceMs(0, 10 * MIN, [6 * MIN, 3 * MIN])).toBe(4 * MIN);
    expect(longestSilenceMs(0, 10 * MIN, [-MIN, 11 * MIN])).toBe(10 * MIN);
  });
});
