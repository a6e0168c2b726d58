import type { TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { cleanSensorText, formatDegrees, formatLocalDateTime, formatLocalTime, formatMmsi, formatSog, formatTrackTitle } from './track-format';

describe('track formatting', () => {
  it.each([
    ['HAI XUN 01@@@@', 'HAI XUN 01'],
    ['  OCEAN   STAR  ', 'OCEAN STAR'],
    ['BAD\u0000NAME\u001b[31m', 'BAD NAME [31m'],
    ['@@@@@@', null],
    ['', null],
    [null, null],
  ])('sensor text %j is shown as %j', (raw, shown) => {
    expect(cleanSensorText(raw)).toBe(shown);
  });

  it('a track without a name is titled by its kind and id', () => {
    expect(formatTrackTitle({ name: null, id: 'radar:rdr-haikou:7' as TrackId, kind: 'radar' })).toBe(
      '雷达 radar radar:rdr-haikou:7',
    );
  });

  it('MMSI is nine digits and missing values show a dash', () => {
    expect(formatMmsi(12345)).toBe('000012345');
    expect(formatMmsi(null)).toBe('—');
  });

  it('speed has one decimal and courses three whole digits', () => {
    expect(formatSog(12.345)).toBe('12.3 kn');
    expect(formatSog(null)).toBe('—');
    expect(formatDegrees(5.4)).toBe('005°');
    expect(formatDegrees(359.6)).toBe('000°');
    expect(formatDegrees(511)).toBe('—');
  });

  it('times are local 24-hour clock time', () => {
    const ms = new Date(2026, 0, 15, 9, 5, 7).getTime();
    expect(formatLocalTime(ms)).toBe('09:05:07');
    expect(formatLocalTime(null)).toBe('—');
  });

  it('a time from another day carries its date', () => {
    const now = new Date(2026, 0, 15, 12, 0, 0).getTime();
    expect(formatLocalDateTime(new Date(2026, 0, 15, 9, 5, 7).getTime(), now)).toBe('09:05:07');
    expect(formatLocalDateTime(new Date(2025, 11, 31, 23, 59, 1).getTime(), now)).toBe('2025-12-31 23:59:01');
  });
});
