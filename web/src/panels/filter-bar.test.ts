import type { Track } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { testTrack } from '../state/test-track';
import { NO_FILTER, isFilterEmpty, matchesFilter, searchTracks, type TrackFilter } from './filter-bar';

/** The state tests' track, with no identity unless a test gives one (searches must find only what they name). */
function track(id: string, fields: Partial<Track> = {}): Track {
  return testTrack(id, { mmsi: null, name: null, ...fields });
}

const filter = (f: Partial<TrackFilter>): TrackFilter => ({ ...NO_FILTER, ...f });

describe('matchesFilter', () => {
  const ferry = track('ais:412345678', { ring: 'shoreline', level: 'orange', kind: 'ais' });
  const echo = track('radar:rdr-haikou:7', { ring: 'near-sea', level: null, kind: 'radar' });
  const unknownRing = track('radar:rdr-haikou:8', { ring: null, kind: 'radar' });

  it('lets every track through when nothing is chosen', () => {
    expect(isFilterEmpty(NO_FILTER)).toBe(true);
    for (const t of [ferry, echo, unknownRing]) expect(matchesFilter(t, NO_FILTER)).toBe(true);
  });

  it('keeps only the chosen rings, and a track of unknown ring only when no ring is chosen', () => {
    const f = filter({ rings: ['shoreline', 'inland'] });
    expect(matchesFilter(ferry, f)).toBe(true);
    expect(matchesFilter(echo, f)).toBe(false);
    expect(matchesFilter(unknownRing, f)).toBe(false);
  });

  it('matches a track without open alerts under the level "none"', () => {
    expect(matchesFilter(echo, filter({ levels: ['none'] }))).toBe(true);
    expect(matchesFilter(ferry, filter({ levels: ['none'] }))).toBe(false);
    expect(matchesFilter(ferry, filter({ levels: ['red', 'orange'] }))).toBe(true);
  });

  it('filters by source kind', () => {
    expect(matchesFilter(echo, filter({ kinds: ['radar'] }))).toBe(true);
    expect(matchesFilter(ferry, filter({ kinds: ['radar', 'drone'] }))).toBe(false);
  });

  it('requires every chosen facet at once', () => {
    const f = filter({ rings: ['shoreline'], levels: ['orange'], kinds: ['radar'] });
    expect(isFilterEmpty(f)).toBe(false);
    expect(matchesFilter(ferry, f)).toBe(false);
    expect(matchesFilter({ ...ferry, kind: 'radar' }, f)).toBe(true);
  });
});

describe('searchTracks', () => {
  const tracks = [
    track('ais:412345678', { mmsi: 412345678, name: 'HAI XUN 1601', callsign: 'BQRS' }),
    track('ais:412300001', { mmsi: 412300001, name: 'QIONG SHA 3', callsign: 'BHAB' }),
    track('ais:413999999', { mmsi: 413999999, name: 'HAI NAN@@@@', callsign: 'HN88' }),
    track('ais:002340001', { mmsi: 2340001, name: null, callsign: null }),
    track('unit:pb-01', { kind: 'unit', name: 'Patrol Boat 01' }),
    track('radar:rdr-haikou:7', { kind: 'radar' }),
  ];
  const ids = (query: string) => searchTracks(tracks, query).map((h) => h.track.id);

  it('finds nothing for an empty or blank query', () => {
    expect(searchTracks(tracks, '')).toEqual([]);
    expect(searchTracks(tracks, '   ')).toEqual([]);
  });

  it('finds ships by the start of their MMSI as it is typed, ignoring spaces', () => {
    expect(ids('4123')).toEqual(['ais:412345678', 'ais:412300001']);
    expect(ids('412 345')).toEqual(['ais:412345678']);
    expect(searchTracks(tracks, '412345678')[0]).toMatchObject({ field: 'mmsi', quality: 0 });
  });

  it('finds an MMSI with leading zeros whether they are typed or not', () => {
    expect(ids('002340001')).toEqual(['ais:002340001']);
    expect(searchTracks(tracks, '2340001')[0]).toMatchObject({ field: 'mmsi', quality: 0 });
  });

  it('finds names case-insensitively anywhere, word starts before inner matches, AIS padding ignored', () => {
    expect(ids('hai')).toEqual(['ais:413999999', 'ais:412345678']);
    expect(ids('xun')).toEqual(['ais:412345678']);
    expect(ids('hai nan')).toEqual(['ais:413999999']);
    expect(ids('@')).toEqual([]);
  });

  it('finds a call sign, a whole call sign first', () => {
    expect(searchTracks(tracks, 'bqrs')).toEqual([expect.objectContaining({ field: 'callsign', quality: 0 })]);
    expect(ids('HN8')).toEqual(['ais:413999999']);
  });

  it('finds a patrol unit by its unit id', () => {
    expect(searchTracks(tracks, 'PB-01')[0]).toMatchObject({ field: 'unit', quality: 0, track: { id: 'unit:pb-01' } });
  });

  it('finds a radar echo by its track id', () => {
    expect(searchTracks(tracks, 'rdr-haikou')[0]).toMatchObject({ field: 'id', track: { id: 'radar:rdr-haikou:7' } });
  });

  it('puts whole matches before prefixes before inner matches', () => {
    const list = [
      track('ais:1', { name: 'SEA STAR' }),
      track('ais:2', { name: 'STAR' }),
      track('ais:3', { name: 'STARLIGHT' }),
      track('ais:4', { name: 'NORTHSTAR' }),
    ];
    expect(searchTracks(list, 'star').map((h) => [h.track.id, h.quality])).toEqual([
      ['ais:2', 0],
      ['ais:1', 1],
      ['ais:3', 1],
      ['ais:4', 2],
    ]);
  });

  it('returns at most the limit', () => {
    const many = Array.from({ length: 50 }, (_, i) => track(`ais:41200${String(i).padStart(4, '0')}`, { mmsi: 412000000 + i }));
    expect(searchTracks(many, '412')).toHaveLength(20);
    expect(searchTracks(many, '412', 5)).toHaveLength(5);
  });
});
