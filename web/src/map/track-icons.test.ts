import type { Track } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { TRACK_ICON_DEFS, TRACK_ICON_MAPPING, TRACK_ICON_ORDER, TRACK_ICON_SIZES, TRACK_ICON_SIZE_PX, trackBearingDeg, trackIconAngle, trackIconIndex, trackIconOf } from './track-icons';

type Motion = Pick<Track, 'kind' | 'headingDeg' | 'cogDeg' | 'sogKn'>;
const ship = (patch: Partial<Motion>): Motion => ({ kind: 'ais', headingDeg: null, cogDeg: null, sogKn: null, ...patch });

describe('track symbols', () => {
  it('a ship points along its heading, else along its course when under way', () => {
    expect(trackBearingDeg(ship({ headingDeg: 120, cogDeg: 90, sogKn: 10 }))).toBe(120);
    expect(trackBearingDeg(ship({ cogDeg: 90, sogKn: 10 }))).toBe(90);
    expect(trackBearingDeg(ship({ cogDeg: 90, sogKn: 0.1 }))).toBeNull();
    expect(trackBearingDeg(ship({ headingDeg: 511, cogDeg: 360 }))).toBeNull();
  });

  it('each kind has its own shape, with a still variant when the direction is unknown', () => {
    expect(trackIconOf(ship({ headingDeg: 10 }))).toBe('vessel');
    expect(trackIconOf(ship({}))).toBe('vessel-still');
    expect(trackIconOf(ship({ kind: 'radar', cogDeg: 45, sogKn: 12 }))).toBe('radar');
    expect(trackIconOf(ship({ kind: 'radar' }))).toBe('radar-still');
    expect(trackIconOf(ship({ kind: 'fused', headingDeg: 200 }))).toBe('fused');
    expect(trackIconOf(ship({ kind: 'fused' }))).toBe('fused-still');
    expect(trackIconOf(ship({ kind: 'drone', headingDeg: 10 }))).toBe('drone');
    expect(trackIconOf(ship({ kind: 'unit' }))).toBe('unit');
  });

  it('the symbol turns against the bearing (deck.gl angles run counter-clockwise), not at all without one', () => {
    expect(trackIconAngle(ship({ headingDeg: 90 }))).toBe(-90);
    expect(trackIconAngle(ship({ kind: 'drone', headingDeg: 30 }))).toBe(-30);
    expect(trackIconAngle(ship({}))).toBe(0);
  });

  it('the binary icon tables agree with the named mapping', () => {
    for (const [i, name] of TRACK_ICON_ORDER.entries()) {
      const cell = TRACK_ICON_MAPPING[name];
      expect([...TRACK_ICON_DEFS.subarray(7 * i, 7 * i + 7)]).toEqual([0, 0, cell.x, cell.y, cell.width, cell.height, 1]);
      expect(TRACK_ICON_SIZES[i]).toBe(TRACK_ICON_SIZE_PX[name]);
    }
    expect(TRACK_ICON_ORDER[trackIconIndex(ship({ kind: 'fused' }))]).toBe('fused-still');
  });
});
