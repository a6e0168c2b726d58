import { describe, expect, it } from 'vitest';
import { buildGraticule } from './graticule';

describe('buildGraticule', () => {
  it('draws meridians and parallels on the step, [lon, lat] order, whole degrees marked major', () => {
    const grid = buildGraticule({ west: 108, south: 18, east: 109, north: 19 }, 0.5);
    const meridians = grid.features.filter((f) => f.geometry.coordinates[0]?.[0] === f.geometry.coordinates[1]?.[0]);
    expect(meridians.map((f) => f.geometry.coordinates[0]?.[0])).toEqual([108, 108.5, 109]);
    expect(grid.features).toHaveLength(6);
    expect(grid.features.filter((f) => f.properties?.major)).toHaveLength(4);
    expect(meridians[0]?.geometry.coordinates).toEqual([[108, 18], [108, 19]]);
  });

  it('refuses a step that would never end', () => {
    expect(() => buildGraticule({ west: 0, south: 0, east: 1, north: 1 }, 0)).toThrow(RangeError);
  });
});
