import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Track, type TrackId } from './index';
import { decodeTrackFrame, TrackFrameEncoder, TrackFrameError, type TrackIdentity } from './track-frame';

/** The fields of gpsd's JSON decode the tracks take. */
interface GpsdAis {
  type: number;
  mmsi: number;
  lon: number;
  lat: number;
  speed?: number;
  course?: number;
  heading?: number;
  shipname?: string;
  callsign?: string;
  shiptype?: number;
  destination?: string;
}

/** Tracks as the server would build them from gpsd's decodes of the recorded AIS corpora: positions with their vessel's static data. */
function fixtureTracks(): Track[] {
  const dir = new URL('../../../../shared/fixtures/ais/', import.meta.url);
  const statics = new Map<number, Partial<GpsdAis>>();
  // The latest position of each vessel: one track per MMSI.
  const positions = new Map<number, GpsdAis>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.gpsdecode.jsonl'))) {
    for (const line of readFileSync(new URL(file, dir), 'utf8').split('\n')) {
      if (!line.startsWith('{')) continue;
      const m = JSON.parse(line) as GpsdAis;
      if (m.type === 5 || m.type === 24) statics.set(m.mmsi, { ...statics.get(m.mmsi), ...m });
      else if ([1, 2, 3, 18, 19].includes(m.type) && Math.abs(m.lon) <= 180 && Math.abs(m.lat) <= 90) positions.set(m.mmsi, m);
    }
  }
  return [...positions.values()].map((p, i): Track => {
    const s: Partial<GpsdAis> = statics.get(p.mmsi) ?? {};
    const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
    return {
      id: `ais:${p.mmsi}` as TrackId,
      kind: i % 7 === 0 ? 'fused' : 'ais',
      state: (['active', 'stale', 'lost'] as const)[i % 3]!,
      lon: p.lon,
      lat: p.lat,
      sogKn: typeof p.speed === 'number' && p.speed < 102.3 ? p.speed : null,
      cogDeg: typeof p.course === 'number' && p.course < 360 ? p.course : null,
      headingDeg: typeof p.heading === 'number' && p.heading < 360 ? p.heading : null,
      mmsi: p.mmsi,
      name: text(s.shipname),
      callsign: text(s.callsign),
      shipType: typeof s.shiptype === 'number' ? s.shiptype : null,
      destination: text(s.destination),
      ring: (['near-sea', 'shoreline', 'inland', 'outside', null] as const)[i % 5]!,
      level: (['red', 'orange', 'yellow', 'blue', null] as const)[i % 5]!,
      sources: i % 7 === 0 ? ['rx-haikou', 'rdr-haikou'] : ['rx-haikou'],
      firstSeenMs: 1_700_000_000_000 + i,
      lastSeenMs: 1_700_000_060_000 + i * 1000,
      updates: i + 1,
    };
  });
}

const tracks = fixtureTracks();

describe('track frames', () => {
  it('carry every field of the recorded tracks exactly, in about a seventh of their JSON', () => {
    expect(tracks.length).toBeGreaterThan(100);
    expect(tracks.filter((t) => t.name !== null).length).toBeGreaterThan(20);
    const encoder = new TrackFrameEncoder();
    const frame = encoder.encode(tracks, true);
    const decoded = decodeTrackFrame(frame, new Map());
    expect(decoded.unknown).toEqual([]);
    expect(decoded.tracks).toEqual(tracks);
    for (const t of decoded.tracks) expect(Track.safeParse(t).success).toBe(true);

    // Positions only (identities known): what a batch of moving vessels costs.
    encoder.encode(tracks);
    const moving = tracks.map((t) => ({ ...t, lastSeenMs: t.lastSeenMs + 1000, updates: t.updates + 1 }));
    const batch = encoder.encode(moving);
    const json = Buffer.byteLength(JSON.stringify(moving));
    expect(batch.length / tracks.length).toBeLessThan(60);
    expect(json / batch.length).toBeGreaterThan(5);
  });

  it('send an identity again only when it changed, and the receiver keeps it across frames', () => {
    const encoder = new TrackFrameEncoder();
    const identities = new Map<TrackId, TrackIdentity>();
    const few = tracks.slice(0, 50);
    const first = encoder.encode(few);
    expect(decodeTrackFrame(first, identities).tracks).toEqual(few);

    const renamed = few.map((t, i) => (i === 3 ? { ...t, name: '琼海渔 01', sources: [...t.sources, 'rdr-sanya'] } : { ...t, lon: t.lon / 2 }));
    const second = encoder.encode(renamed);
    expect(second.length).toBeLessThan(first.length);
    expect(decodeTrackFrame(second, identities).tracks).toEqual(renamed);

    // A receiver that missed the first frame cannot place the records without an identity.
    const fresh = decodeTrackFrame(second, new Map());
    expect(fresh.tracks.map((t) => t.id)).toEqual([renamed[3]!.id]);
    expect(fresh.unknown).toHaveLength(49);

    // Thirty seconds of observation time on, every identity goes again.
    const later = few.map((t) => ({ ...t, lastSeenMs: t.lastSeenMs + 30_000 }));
    expect(decodeTrackFrame(encoder.encode(later), new Map()).tracks).toEqual(later);

    // A forgotten track (dropped from the picture) comes back with its identity.
    encoder.forget([few[0]!.id]);
    const back = decodeTrackFrame(encoder.encode([few[0]!]), new Map());
    expect(back.tracks).toEqual([few[0]]);
  });

  it('keep hostile and non-Latin text as text, and clamp speeds and counts to what the frame holds', () => {
    const t: Track = {
      ...tracks[0]!,
      name: '<img src=x onerror=alert(1)>',
      destination: '三亚 🚢 "quoted" \\ \u0000',
      callsign: null,
      sogKn: 900,
      cogDeg: 359.99,
      headingDeg: 0,
    };
    const [back] = decodeTrackFrame(new TrackFrameEncoder().encode([t], true), new Map()).tracks;
    expect(back).toEqual({ ...t, sogKn: 655.34 });
  });

  it('refuse a truncated, padded or foreign frame with a TrackFrameError, never anything else', () => {
    const frame = new TrackFrameEncoder().encode(tracks.slice(0, 20), true);
    for (let n = 0; n < frame.length; n++) {
      expect(() => decodeTrackFrame(frame.subarray(0, n), new Map()), `cut at ${n}`).toThrow(TrackFrameError);
    }
    expect(() => decodeTrackFrame(Uint8Array.from([...frame, 0]), new Map())).toThrow(/after the last track/);
    expect(() => decodeTrackFrame(Uint8Array.from([2, ...frame.subarray(1)]), new Map())).toThrow(/version 2/);
    const huge = frame.slice();
    new DataView(huge.buffer).setUint32(1, 0xffffffff, true);
    expect(() => decodeTrackFrame(huge, new Map())).toThrow(/cannot hold/);
  });

  it('turn corrupted bytes into a TrackFrameError or into tracks inside the contract', () => {
    // A seeded xorshift, so a failure replays.
    let seed = 0x5ea3a11;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) / 0x1_0000_0000;
    };
    const frame = new TrackFrameEncoder().encode(tracks.slice(0, 30), true);
    let refused = 0;
    let read = 0;
    for (let round = 0; round < 5000; round++) {
      const bad = frame.slice();
      const flips = 1 + Math.floor(next() * 4);
      for (let f = 0; f < flips; f++) bad[Math.floor(next() * bad.length)] = Math.floor(next() * 256);
      try {
        for (const t of decodeTrackFrame(bad, new Map()).tracks) expect(Track.safeParse(t).success).toBe(true);
        read++;
      } catch (error) {
        expect(error).toBeInstanceOf(TrackFrameError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(100);
    expect(read).toBeGreaterThan(100);
  });
});
