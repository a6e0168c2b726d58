import type { Track } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { trackBearingDeg, trackIconOf } from './track-icons';

type Motion = Pick<Track, 'kind' | 'headingDeg' | 'cogDeg' | 'sogKn'>;
const ship = (patch: Partial<Motion>): Motion => ({ kind: 'ais', headingDeg: null, cogDeg: null, sogKn: null, ...patch });

describe('track symbols', () => {
  it('a ship points along its heading, else along its course when under way', () => {
    expect(trackBearingDeg(ship({ headingDeg: 120, cogDeg: 90, sogKn: 10 }))).toBe(120);
    expect(trackBearingDeg(ship({ cogDeg: 90, sogKn: 10 }))).toBe(90);
    expect(trackBearingDeg(ship({ cogDeg: 90, sogKn: 0.1 }))).toBeNull();
    expect(trackBearingDeg(ship({ headingDeg: 511, cogDeg: 360 }))).toBeNull();
  });

  it('an arrow for a ship with a direction, a dot without one, own symbols for drones and units', () => {
    expect(trackIconOf(ship({ headingDeg: 10 }))).toBe('vessel');
    expect(trackIconOf(ship({ kind: 'radar' }))).toBe('contact');
    expect(trackIconOf(ship({ kind: 'drone', headingDeg: 10 }))).toBe('drone');
    expect(trackIconOf(ship({ kind: 'unit' }))).toBe('unit');
  });
});
