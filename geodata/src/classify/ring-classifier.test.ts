import { describe, expect, it } from 'vitest';
import { createClassifier, loadGeodata, loadPlaces } from '../index';

const classifier = createClassifier();
const place = (name: string): [number, number] => {
  const f = loadPlaces().features.find((p) => p.properties.name === name);
  if (!f) throw new Error(`no place ${name}`);
  return [f.geometry.coordinates[0]!, f.geometry.coordinates[1]!];
};

describe('rings at real places', () => {
  it('puts the Haikou city centre inland (Wikipedia: 20°02′34″N 110°20′30″E)', () => {
    expect(classifier.ring(110.34167, 20.04278)).toBe('inland');
  });

  it('puts the Xiuying port berths on the shoreline, inside the port zone', () => {
    // Natural Earth's port point and the "Port of Haikou" draft's coordinate, 1.1 km apart.
    for (const [lon, lat] of [place('Haikou Xiuying Port'), [110.285213, 20.03084] as [number, number]]) {
      expect(classifier.classify(lon, lat)).toMatchObject({ ring: 'shoreline', inPortZone: true });
      expect(classifier.zones(lon, lat)).toContain('port-haikou-xiuying');
    }
  });

  it('puts the middle of the Qiongzhou Strait (Wikipedia: 20°09′N 110°16′E) in the near sea, and the water past the median line outside', () => {
    expect(classifier.ring(...place('Qiongzhou Strait (centre)'))).toBe('near-sea');
    // Due north along 110°16′E the Hainan side ends about 1 km on; 3 km on is nearer the mainland.
    expect(classifier.ring(110.266667, 20.18)).toBe('outside');
  });

  it('puts a point 60 nautical miles south of Sanya outside all rings', () => {
    // Sanya (Natural Earth port point 18.2397 N, 109.5005 E); one minute of latitude is one nautical mile.
    expect(classifier.ring(109.5005, 18.2397 - 60 / 60)).toBe('outside');
    expect(classifier.ring(109.5005, 18.2397 - 20 / 60)).toBe('near-sea');
  });

  it('puts no part of the mainland in a ring: Zhanjiang, Xuwen, the Hai\'an ferry port', () => {
    expect(classifier.ring(110.3589, 21.2707)).toBe('outside');
    expect(classifier.ring(110.177, 20.325)).toBe('outside');
    expect(classifier.classify(...place("Hai'an Port (Xuwen, Guangdong)"))).toMatchObject({ ring: 'outside', zones: ['port-haian'] });
  });

  it('gives every anchorage a sea centre and every station and base a shoreline one', () => {
    for (const zone of loadGeodata().zones.features) {
      const [lon, lat] = zone.properties.center as [number, number];
      const ring = classifier.ring(lon, lat);
      if (zone.properties.kind === 'anchorage') expect([zone.properties.id, ring]).toEqual([zone.properties.id, 'near-sea']);
      if (zone.properties.kind === 'station' || zone.properties.kind === 'patrol-base') expect([zone.properties.id, ring]).toEqual([zone.properties.id, 'shoreline']);
      expect(classifier.zones(lon, lat)).toContain(zone.properties.id);
    }
  });

  it('answers outside for positions that are not numbers', () => {
    expect(classifier.classify(Number.NaN, 20)).toEqual({ ring: 'outside', zones: [], inPortZone: false });
    expect(classifier.ring(110, Number.POSITIVE_INFINITY)).toBe('outside');
  });
});
