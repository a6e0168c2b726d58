import { describe, expect, it } from 'vitest';
import { RISK_COLORS, NO_RISK_COLOR } from './risk-colors';
import { AREA_RINGS, RING_COLORS, ringLayers, zoneLayers } from './ring-layers';

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const distance = (a: readonly number[], b: readonly number[]) => Math.hypot(...a.map((v, i) => v - b[i]!));

describe('ring layers', () => {
  it('give each ring its own colour, far from the other rings and from every risk colour', () => {
    const rings = AREA_RINGS.map((r) => rgb(RING_COLORS[r]));
    for (const [i, a] of rings.entries()) {
      for (const b of rings.slice(i + 1)) expect(distance(a, b)).toBeGreaterThan(120);
      for (const risk of [...Object.values(RISK_COLORS), NO_RISK_COLOR]) expect(distance(a, risk)).toBeGreaterThan(80);
    }
  });

  it('draw fills and outlines from the named source, zones above from theirs', () => {
    expect(ringLayers('rings').map((l) => [l.id, l.type, 'source' in l && l.source])).toEqual([
      ['ring-fill', 'fill', 'rings'],
      ['ring-outline', 'line', 'rings'],
    ]);
    expect(zoneLayers('zones').every((l) => 'source' in l && l.source === 'zones')).toBe(true);
  });
});
