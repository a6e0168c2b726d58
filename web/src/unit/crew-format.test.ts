import { describe, expect, it } from 'vitest';
import { distanceBearing, formatAge, formatDistance, formatLatLon, formatSpeedMs, msToKn, selfStatusChoices } from './crew-format';

describe('formatLatLon', () => {
  it('writes degrees and decimal minutes with the hemisphere, latitude first', () => {
    expect(formatLatLon(20.15, 110.3)).toBe('20°09.000′N 110°18.000′E');
    expect(formatLatLon(-0.5, -9.25)).toBe('00°30.000′S 009°15.000′W');
  });

  it('carries rounded minutes into the degree rather than printing 60′', () => {
    expect(formatLatLon(19.9999999, 110)).toBe('20°00.000′N 110°00.000′E');
  });

  it('prints a dash for a missing position', () => {
    expect(formatLatLon(null, 110)).toBe('—');
  });
});

describe('distanceBearing', () => {
  it('one minute of latitude due north is one nautical mile on 000°', () => {
    const { distanceM, bearingDeg } = distanceBearing({ lon: 110, lat: 20 }, { lon: 110, lat: 20 + 1 / 60 });
    expect(distanceM).toBeCloseTo(1853, -1);
    expect(bearingDeg).toBeCloseTo(0, 5);
  });

  it('due east is 090°', () => {
    expect(distanceBearing({ lon: 110, lat: 20 }, { lon: 110.1, lat: 20 }).bearingDeg).toBeCloseTo(90, 0);
  });
});

describe('formatting', () => {
  it('distances in nautical miles with kilometres beside', () => {
    expect(formatDistance(1852)).toBe('1.00 nm · 1.85 km');
    expect(formatDistance(40_000)).toBe('21.6 nm · 40.0 km');
    expect(formatDistance(null)).toBe('—');
  });

  it('speeds in m/s and knots', () => {
    expect(msToKn(1852 / 3600)).toBeCloseTo(1, 10);
    expect(formatSpeedMs(10)).toBe('10.0 m/s · 19.4 kn');
    expect(formatSpeedMs(null)).toBe('—');
  });

  it('ages in seconds, minutes, hours', () => {
    expect(formatAge(12_400)).toBe('12 s');
    expect(formatAge(240_000)).toBe('4 min');
    expect(formatAge(7_500_000)).toBe('2 h 5 min');
    expect(formatAge(-5)).toBe('0 s');
  });
});

describe('selfStatusChoices', () => {
  it('a free unit may go off duty, an off-duty or returning one may report available; on a call, none', () => {
    expect(selfStatusChoices('available')).toEqual(['off-duty']);
    expect(selfStatusChoices('off-duty')).toEqual(['available']);
    expect(selfStatusChoices('returning')).toEqual(['available', 'off-duty']);
    expect(selfStatusChoices('en-route')).toEqual([]);
  });
});
