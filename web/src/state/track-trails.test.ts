import { describe, expect, it } from 'vitest';
import { TrackTrails } from './track-trails';

const RED = Uint8Array.of(255, 59, 48, 255);

describe('TrackTrails', () => {
  it('keeps segments in time order and hands out only the rows that changed', () => {
    const trails = new TrackTrails({ windowMs: 60_000 });
    trails.append(1, 110, 19, 110.01, 19, 1_000, RED, 0);
    trails.append(2, 109, 18, 109, 18.01, 1_000, RED, 0);
    expect(trails.count).toBe(2);
    expect(trails.takeDirtyRanges()).toEqual([{ startRow: 0, endRow: trails.capacity }]);
    trails.append(1, 110.01, 19, 110.02, 19, 6_000, RED, 0);
    expect(trails.takeDirtyRanges()).toEqual([{ startRow: 2, endRow: 3 }]);
    expect(trails.takeDirtyRanges()).toEqual([]);
  });

  it('a track\'s path joins its segments oldest first', () => {
    const trails = new TrackTrails();
    trails.append(7, 110, 19, 110.5, 19, 1_000, RED, 0);
    trails.append(8, 100, 10, 100.5, 10, 1_000, RED, 0);
    trails.append(7, 110.5, 19, 111, 19.5, 2_000, RED, 0);
    expect(trails.pathOf(7)).toEqual([110, 19, 110.5, 19, 111, 19.5]);
    expect(trails.pathOf(9)).toEqual([]);
  });

  it('segments older than the window are cleared from the tail', () => {
    const trails = new TrackTrails({ windowMs: 10_000 });
    trails.append(1, 110, 19, 110.5, 19, 1_000, RED, 0);
    trails.append(1, 110.5, 19, 111, 19, 8_000, RED, 0);
    trails.takeDirtyRanges();
    trails.expire(5_000);
    expect(trails.count).toBe(1);
    expect(trails.colors[3]).toBe(0);
    expect(trails.takeDirtyRanges()).toEqual([{ startRow: 0, endRow: 1 }]);
    expect(trails.pathOf(1)).toEqual([110.5, 19, 111, 19]);
  });

  it('forgets the segments of removed tracks', () => {
    const trails = new TrackTrails();
    trails.append(1, 110, 19, 110.5, 19, 1_000, RED, 0);
    trails.append(2, 100, 10, 100.5, 10, 1_000, RED, 0);
    trails.forget(new Set([1]));
    expect(trails.pathOf(1)).toEqual([]);
    expect(trails.pathOf(2)).toEqual([100, 10, 100.5, 10]);
  });

  it('never holds more than its cap: the oldest segment is overwritten', () => {
    const trails = new TrackTrails({ maxSegments: 1024 });
    for (let i = 0; i < 1500; i++) trails.append(1, i, 0, i + 1, 0, i, RED, 0);
    expect(trails.capacity).toBe(1024);
    expect(trails.count).toBe(1024);
    const path = trails.pathOf(1);
    expect(path.slice(0, 2)).toEqual([476, 0]);
    expect(path.slice(-2)).toEqual([1500, 0]);
  });

  it('samples less often as tracks grow, so the cap covers the whole window', () => {
    const trails = new TrackTrails({ windowMs: 600_000, maxSegments: 500_000, minIntervalMs: 5_000 });
    expect(trails.sampleIntervalMs(1_000)).toBe(5_000);
    expect(trails.sampleIntervalMs(50_000)).toBe(60_000);
  });

  it("a track's trail version moves only when its own segments change", () => {
    const trails = new TrackTrails({ windowMs: 10_000 });
    const none = trails.versionOf(1);
    trails.append(1, 110, 19, 110.5, 19, 1_000, RED, 0);
    const one = trails.versionOf(1);
    expect(one).not.toBe(none);
    trails.append(2, 100, 10, 100.5, 10, 5_000, RED, 0);
    expect(trails.versionOf(1)).toBe(one);
    trails.expire(2_000);
    expect(trails.versionOf(1)).not.toBe(one);
    expect(trails.pathOf(1)).toEqual([]);
    const two = trails.versionOf(2);
    trails.clear();
    expect(trails.versionOf(2)).not.toBe(two);
  });
});
