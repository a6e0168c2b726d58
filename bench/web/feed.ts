import type { RiskLevel, Track, TrackId, TrackKind } from '@seawall/contracts';

/** The simulated sea: around Hainan, well inside the map's view at zoom 7. */
export const FEED_BOX = { west: 108.5, east: 111.2, south: 17.9, north: 20.3 } as const;

/** Mixed kinds and levels, roughly as a busy day looks: mostly AIS, few alerts. */
const KINDS: readonly [TrackKind, number][] = [['ais', 0.6], ['radar', 0.15], ['fused', 0.15], ['drone', 0.03], ['unit', 0.07]];
const LEVELS: readonly [RiskLevel | null, number][] = [[null, 0.9], ['blue', 0.05], ['yellow', 0.03], ['orange', 0.015], ['red', 0.005]];
/** Share of tracks lying still (anchored, moored): they carry no direction and leave no trail. */
const STILL = 0.1;
/** Per batch, this share of tracks gets a new risk level (an alert raised or closed). */
const LEVEL_CHANGES = 0.001;

function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RADAR_SITES = ['haikou', 'sanya', 'wenchang', 'danzhou', 'dongfang', 'qionghai', 'lingshui'];

/** Ids as the server makes them (track-table.ts): `ais:<MMSI>` (fused tracks too), `radar:<sensor>:<target>`, …. */
function trackIdOf(kind: TrackKind, i: number): TrackId {
  switch (kind) {
    case 'radar':
      return `radar:rdr-${RADAR_SITES[i % RADAR_SITES.length]}:${i}` as TrackId;
    case 'drone':
      return `drone:uav-${RADAR_SITES[i % RADAR_SITES.length]}:${i}` as TrackId;
    case 'unit':
      return `unit:pb-${i}` as TrackId;
    default:
      return `ais:${412_000_000 + i}` as TrackId;
  }
}

function pick<T>(table: readonly [T, number][], r: number): T {
  let acc = 0;
  for (const [value, share] of table) {
    acc += share;
    if (r < acc) return value;
  }
  return table[table.length - 1]![0];
}

/**
 * N simulated tracks that move every second along their heading (bouncing off the box), as the
 * server's broadcaster holds them before it encodes a track frame (run.ts encodes them as it does):
 * complete `Track` objects, fresh each batch, in a new order each time.
 */
export class SyntheticFeed {
  readonly #rand: () => number;
  readonly #tracks: Track[] = [];
  #t: number;

  constructor(n: number, startMs: number, seed = 1) {
    this.#rand = rng(seed);
    this.#t = startMs;
    const r = this.#rand;
    for (let i = 0; i < n; i++) {
      const kind = pick(KINDS, r());
      const still = r() < STILL && kind !== 'drone';
      const heading = Math.floor(r() * 360);
      const mmsi = kind === 'ais' || kind === 'fused' ? 412_000_000 + i : null;
      this.#tracks.push({
        id: trackIdOf(kind, i),
        kind,
        state: 'active',
        lon: FEED_BOX.west + r() * (FEED_BOX.east - FEED_BOX.west),
        lat: FEED_BOX.south + r() * (FEED_BOX.north - FEED_BOX.south),
        sogKn: still ? 0 : kind === 'drone' ? 40 + 20 * r() : 3 + 22 * r(),
        cogDeg: still ? null : heading,
        headingDeg: still || kind === 'radar' ? null : heading,
        mmsi,
        name: mmsi === null ? null : `SIM ${i}`,
        callsign: null,
        shipType: mmsi === null ? null : 70,
        destination: null,
        ring: 'near-sea',
        level: pick(LEVELS, r()),
        sources: kind === 'fused' ? ['rx-haikou', 'rdr-haikou'] : ['rx-haikou'],
        firstSeenMs: startMs,
        lastSeenMs: startMs,
        updates: 1,
      });
    }
  }

  /** The current picture (what a snapshot would carry). */
  snapshot(): Track[] {
    return this.#tracks.map((t) => ({ ...t }));
  }

  /** Move every track by `dtMs` and return the batch: all of them, as new objects. */
  step(dtMs = 1000): Track[] {
    this.#t += dtMs;
    const r = this.#rand;
    const hours = dtMs / 3_600_000;
    const batch: Track[] = new Array(this.#tracks.length);
    for (let i = 0; i < this.#tracks.length; i++) {
      const t = this.#tracks[i]!;
      let { lon, lat, cogDeg, headingDeg, level } = t;
      if (cogDeg !== null && t.sogKn) {
        cogDeg = (cogDeg + (r() - 0.5) * 4 + 360) % 360;
        const rad = (cogDeg * Math.PI) / 180;
        const nm = t.sogKn * hours;
        lat += (nm / 60) * Math.cos(rad);
        lon += ((nm / 60) * Math.sin(rad)) / Math.cos((lat * Math.PI) / 180);
        if (lon < FEED_BOX.west || lon > FEED_BOX.east) cogDeg = (360 - cogDeg) % 360;
        if (lat < FEED_BOX.south || lat > FEED_BOX.north) cogDeg = (540 - cogDeg) % 360;
        lon = Math.min(FEED_BOX.east, Math.max(FEED_BOX.west, lon));
        lat = Math.min(FEED_BOX.north, Math.max(FEED_BOX.south, lat));
        if (headingDeg !== null) headingDeg = Math.round(cogDeg);
      }
      if (r() < LEVEL_CHANGES) level = pick(LEVELS, r());
      const next: Track = { ...t, lon, lat, cogDeg, headingDeg, level, lastSeenMs: this.#t, updates: t.updates + 1 };
      this.#tracks[i] = next;
      batch[i] = next;
    }
    // The server sends a batch in the order its tracks changed, which is no order the page keeps.
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      const x = batch[i]!;
      batch[i] = batch[j]!;
      batch[j] = x;
    }
    return batch;
  }
}
