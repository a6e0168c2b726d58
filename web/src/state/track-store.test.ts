import { riskRank, type RiskLevel, type Track, type TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { NO_RISK_COLOR, RISK_COLORS } from '../map/risk-colors';
import { TRACK_ICON_ORDER } from '../map/track-icons';
import { DIRTY_ANGLE, DIRTY_POSITION, DIRTY_STYLE, TrackStore, type TrackStoreChange } from './track-store';
import { testTrack } from './test-track';

const track = testTrack;

describe('TrackStore', () => {
  it('a snapshot replaces everything the store held', () => {
    const store = new TrackStore();
    store.replaceAll([track('ais:1'), track('ais:2')]);
    store.replaceAll([track('ais:3')]);
    expect(store.size).toBe(1);
    expect(store.list().map((t) => t.id)).toEqual(['ais:3']);
  });

  it('a delta batch overwrites known tracks and adds new ones', () => {
    const store = new TrackStore();
    store.replaceAll([track('ais:1', { lon: 109 })]);
    store.upsert([track('ais:1', { lon: 110 }), track('ais:2')]);
    expect(store.size).toBe(2);
    expect(store.get('ais:1' as TrackId)?.lon).toBe(110);
  });

  it('removal forgets tracks and ignores unknown ids without a change event', () => {
    const store = new TrackStore();
    const changes: TrackStoreChange[] = [];
    store.replaceAll([track('ais:1'), track('ais:2')]);
    store.subscribe((c) => changes.push(c));
    store.remove(['ais:1' as TrackId]);
    store.remove(['ais:9' as TrackId]);
    expect(store.size).toBe(1);
    expect(changes).toEqual([{ kind: 'removed', count: 1 }]);
  });

  it('list() gives a new array after a change and the same array between changes', () => {
    const store = new TrackStore();
    store.replaceAll([track('ais:1')]);
    const first = store.list();
    expect(store.list()).toBe(first);
    store.upsert([track('ais:1', { lat: 19.5 })]);
    expect(store.list()).not.toBe(first);
  });

  it('a listener that throws does not stop the other listeners', () => {
    const store = new TrackStore();
    let called = 0;
    const quiet = console.error;
    console.error = () => undefined;
    try {
      store.subscribe(() => {
        throw new Error('boom');
      });
      store.subscribe(() => {
        called += 1;
      });
      store.upsert([track('ais:1')]);
    } finally {
      console.error = quiet;
    }
    expect(called).toBe(1);
  });

  it('records when it last changed', () => {
    const store = new TrackStore();
    expect(store.lastChangeMs).toBeNull();
    store.upsert([track('ais:1')], 1234);
    expect(store.lastChangeMs).toBe(1234);
  });

  it('writes each track into the typed-array columns: position, angle, risk colour, symbol', () => {
    const store = new TrackStore();
    store.replaceAll([track('ais:1', { lon: 110.25, lat: 19.5, headingDeg: 90, level: 'orange' }), track('radar:r:2', { kind: 'radar', headingDeg: null, cogDeg: null })]);
    const row = store.rowOf('ais:1' as TrackId)!;
    const { positions, angles, colors, icons } = store.columns;
    expect([positions[2 * row], positions[2 * row + 1]]).toEqual([110.25, 19.5]);
    expect(angles[row]).toBe(-90);
    expect([...colors.subarray(4 * row, 4 * row + 4)]).toEqual([...RISK_COLORS.orange, 255]);
    expect(TRACK_ICON_ORDER[icons[row]!]).toBe('vessel');
    expect(TRACK_ICON_ORDER[icons[store.rowOf('radar:r:2' as TrackId)!]!]).toBe('radar-still');
  });

  it('rows stay grouped by risk, lowest first, through inserts, level changes and removals', () => {
    const store = new TrackStore();
    const levels: (RiskLevel | null)[] = [null, 'blue', 'yellow', 'orange', 'red'];
    const ids: string[] = [];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const expected = new Map<string, Track>();
    for (let step = 0; step < 3000; step++) {
      const r = rand();
      if (r < 0.5 || ids.length === 0) {
        const id = `ais:${step}`;
        ids.push(id);
        const t = track(id, { level: levels[Math.floor(rand() * 5)]!, lon: 100 + step / 100 });
        expected.set(id, t);
        store.upsert([t]);
      } else if (r < 0.8) {
        const id = ids[Math.floor(rand() * ids.length)]!;
        const t = track(id, { level: levels[Math.floor(rand() * 5)]!, lon: 100 + step / 100 });
        expected.set(id, t);
        store.upsert([t]);
      } else {
        const [id] = ids.splice(Math.floor(rand() * ids.length), 1);
        expected.delete(id!);
        store.remove([id as TrackId]);
      }
    }
    expect(store.size).toBe(expected.size);
    const { positions, colors } = store.columns;
    const list = store.list();
    for (let row = 0; row < store.size; row++) {
      const t = list[row]!;
      expect(t).toEqual(expected.get(t.id));
      expect(store.rowOf(t.id)).toBe(row);
      if (row > 0) expect(riskRank(t.level)).toBeGreaterThanOrEqual(riskRank(list[row - 1]!.level));
      expect(positions[2 * row]).toBe(Math.fround(t.lon));
      expect([...colors.subarray(4 * row, 4 * row + 3)]).toEqual([...(t.level === null ? NO_RISK_COLOR : RISK_COLORS[t.level])]);
    }
    const counts = store.levelCounts();
    expect(counts.red).toBe([...expected.values()].filter((t) => t.level === 'red').length);
    expect(counts.none).toBe([...expected.values()].filter((t) => t.level === null).length);
  });

  it('only the columns that changed get a new version', () => {
    const store = new TrackStore();
    store.replaceAll([track('ais:1'), track('ais:2')]);
    const before = { ...store.versions };
    store.upsert([track('ais:1', { lon: 109.8 })]);
    const after = store.versions;
    expect(after.positions).toBe(before.positions + 1);
    expect([after.layout, after.angles, after.colors, after.icons]).toEqual([before.layout, before.angles, before.colors, before.icons]);
    store.upsert([track('ais:2', { state: 'stale' })]);
    expect(store.versions.colors).toBe(before.colors + 1);
  });

  it('trails only tracks that moved, at most once per sampling interval', () => {
    const store = new TrackStore({ trails: { minIntervalMs: 5_000 } });
    store.replaceAll([track('ais:1', { lon: 110 }), track('ais:2', { lon: 109 })], 0);
    for (let t = 1_000; t <= 30_000; t += 1_000) store.upsert([track('ais:1', { lon: 110 + t / 1e6 }), track('ais:2', { lon: 109 })], t);
    const serialOf = (id: string) => store.columns.serials[store.rowOf(id as TrackId)!]!;
    const path = store.trails.pathOf(serialOf('ais:1'));
    expect(path.length / 2).toBeGreaterThanOrEqual(6);
    expect(path.length / 2).toBeLessThanOrEqual(8);
    expect(store.trails.pathOf(serialOf('ais:2'))).toEqual([]);
    // The newest sample is where the trail's live piece starts.
    const row = store.rowOf('ais:1' as TrackId)!;
    expect(store.columns.trailHeads[2 * row]).toBe(path[path.length - 2]);
  });

  it('a snapshot keeps the trails of the tracks still in it and drops the others', () => {
    const store = new TrackStore({ trails: { minIntervalMs: 1_000 } });
    store.replaceAll([track('ais:1', { lon: 110 }), track('ais:2', { lon: 109 })], 0);
    for (let t = 1_000; t <= 5_000; t += 1_000) store.upsert([track('ais:1', { lon: 110 + t / 1e5 }), track('ais:2', { lon: 109 + t / 1e5 })], t);
    const serialOf = (id: string) => store.columns.serials[store.rowOf(id as TrackId)!]!;
    const gone = serialOf('ais:2');
    const kept = store.trails.pathOf(serialOf('ais:1'));
    store.replaceAll([track('ais:1', { lon: 110.1 }), track('ais:3')], 6_000);
    expect(store.trails.pathOf(serialOf('ais:1')).slice(0, kept.length)).toEqual(kept);
    expect(store.trails.pathOf(gone)).toEqual([]);
  });

  it('marks per row which columns changed, so a layer uploads only those rows', () => {
    const store = new TrackStore();
    store.replaceAll([track('ais:1'), track('ais:2'), track('ais:3')]);
    store.clearDirty();
    store.upsert([track('ais:2', { lon: 109.9 })]);
    const row = store.rowOf('ais:2' as TrackId)!;
    expect(store.dirtyRows[row]).toBe(DIRTY_POSITION);
    expect([...store.dirtyRows].filter((bits) => bits !== 0)).toHaveLength(1);
    store.clearDirty();
    store.upsert([track('ais:3', { headingDeg: 200 })]);
    expect(store.dirtyRows[store.rowOf('ais:3' as TrackId)!]).toBe(DIRTY_ANGLE);
    store.clearDirty();
    // A level change moves the row into its risk group: every row it swapped with is dirty in every column.
    store.upsert([track('ais:1', { level: 'red' })]);
    const moved = [...store.dirtyRows].map((bits, r) => [r, bits] as const).filter(([, bits]) => bits !== 0);
    expect(moved.length).toBeGreaterThanOrEqual(1);
    expect(moved.every(([, bits]) => (bits & DIRTY_STYLE) !== 0)).toBe(true);
    expect(store.rowOf('ais:1' as TrackId)).toBe(2);
  });

  it('keeps the span of its dirty rows and how many rows each column has dirty', () => {
    const store = new TrackStore();
    store.replaceAll(Array.from({ length: 10 }, (_, i) => track(`ais:${i + 1}`, { lon: 109 + i / 100 })));
    store.clearDirty();
    expect(store.dirtySpan).toEqual({ start: 10, end: 0 });
    store.upsert([track('ais:4', { lon: 110 }), track('ais:7', { lon: 110, headingDeg: 200 })]);
    const rows = [store.rowOf('ais:4' as TrackId)!, store.rowOf('ais:7' as TrackId)!].sort((a, b) => a - b);
    expect(store.dirtySpan).toEqual({ start: rows[0], end: rows[1]! + 1 });
    expect([store.dirtyRowCount(DIRTY_POSITION), store.dirtyRowCount(DIRTY_ANGLE), store.dirtyRowCount(DIRTY_STYLE)]).toEqual([2, 1, 0]);
    store.clearDirty();
    expect([...store.dirtyRows].every((bits) => bits === 0)).toBe(true);
    expect(store.dirtyRowCount(DIRTY_POSITION)).toBe(0);
  });

  it('applies deltas given in any order and keeps each track on its own row', () => {
    const store = new TrackStore();
    const ids = Array.from({ length: 50 }, (_, i) => `ais:${i + 1}`);
    store.replaceAll(ids.map((id, i) => track(id, { lon: 100 + i, level: i % 7 === 0 ? 'red' : null })));
    const shuffled = [...ids].reverse().filter((_, i) => i % 3 !== 1);
    store.upsert(shuffled.map((id) => track(id, { lon: 200 + Number(id.slice(4)), level: Number(id.slice(4)) % 5 === 0 ? 'orange' : null })));
    for (const id of ids) {
      const n = Number(id.slice(4));
      const expected = shuffled.includes(id) ? 200 + n : 100 + n - 1;
      expect(store.get(id as TrackId)?.lon).toBe(expected);
      expect(store.columns.positions[2 * store.rowOf(id as TrackId)!]).toBe(Math.fround(expected));
    }
  });

  it('AIS ids and look-alikes stay distinct tracks (ais:413 is not ais:0413 nor ais:413x)', () => {
    const store = new TrackStore();
    const ids = ['ais:413', 'ais:0413', 'ais:413x', 'ais:', 'ais:0', 'ais:999999999', 'ais:1000000000', 'AIS:413', 'radar:rdr-haikou:413'];
    store.replaceAll(ids.map((id, i) => track(id, { lon: 100 + i })));
    store.upsert(ids.map((id, i) => track(id, { lon: 110 + i })));
    expect(store.size).toBe(ids.length);
    ids.forEach((id, i) => expect(store.get(id as TrackId)?.lon).toBe(110 + i));
    store.remove(['ais:413' as TrackId]);
    expect(store.get('ais:413' as TrackId)).toBeUndefined();
    expect(store.get('ais:0413' as TrackId)?.lon).toBe(111);
  });
});
