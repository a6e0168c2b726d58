import type { Track, TrackId } from '@seawall/contracts';
import { describe, expect, it } from 'vitest';
import { KINEMATIC_STRIDE, TrackBatchEncoder, batchTransferables } from './track-columns';
import { STYLE_RANK } from './track-style';
import { testTrack } from './test-track';

// A track without a heading, as these tests expect.
const track = (id: string, patch: Partial<Track> = {}): Track => testTrack(id, { headingDeg: null, ...patch });

describe('TrackBatchEncoder', () => {
  it('gives each track a slot it keeps, and sends its record only when something but its motion changed', () => {
    const encoder = new TrackBatchEncoder();
    const first = encoder.replace([track('ais:1'), track('ais:2')]);
    expect(first.records.map((r) => r.record.id).sort()).toEqual(['ais:1', 'ais:2']);
    const moved = encoder.upsert([track('ais:2', { lon: 110, sogKn: null, updates: 2 }), track('ais:1', { level: 'red' })]);
    expect(moved.records.map((r) => r.record.id)).toEqual(['ais:1']);
    const slot1 = first.slots[first.records.findIndex((r) => r.record.id === 'ais:1')]!;
    const slot2 = first.slots[first.records.findIndex((r) => r.record.id === 'ais:2')]!;
    // Deltas come in slot order, whatever order the batch had.
    expect([...moved.slots]).toEqual([slot1, slot2].sort((a, b) => a - b));
    const at2 = [...moved.slots].indexOf(slot2);
    const at1 = [...moved.slots].indexOf(slot1);
    expect([...moved.kinematics.subarray(KINEMATIC_STRIDE * at2, KINEMATIC_STRIDE * (at2 + 1))]).toEqual([110, 19.1, NaN, 90, NaN, 2_000, 2]);
    expect([...moved.positions.subarray(2 * at2, 2 * at2 + 2)]).toEqual([110, Math.fround(19.1)]);
    expect(STYLE_RANK[moved.styles[at1]!]).toBe(4);
  });

  it('puts deltas in slot order, a track twice in one batch keeping its later item last', () => {
    const encoder = new TrackBatchEncoder();
    encoder.replace([track('ais:1'), track('ais:2'), track('ais:3')]);
    const batch = encoder.upsert([track('ais:3'), track('ais:1', { lon: 1 }), track('ais:2'), track('ais:1', { lon: 2 })]);
    expect([...batch.slots]).toEqual([...batch.slots].sort((a, b) => a - b));
    const last = batch.slots.lastIndexOf(batch.slots[0]!);
    expect([batch.kinematics[0], batch.kinematics[KINEMATIC_STRIDE * last]]).toEqual([1, 2]);
  });

  it("a snapshot lists the tracks not in it as removed, and their slots are reused only after they are freed", () => {
    const encoder = new TrackBatchEncoder();
    const first = encoder.replace([track('ais:1'), track('ais:2')]);
    const second = encoder.replace([track('ais:2'), track('ais:3')]);
    const slot1 = first.slots[first.records.findIndex((r) => r.record.id === 'ais:1')]!;
    expect([...second.removed]).toEqual([slot1]);
    expect(second.records.find((r) => r.record.id === 'ais:3')?.slot).toBe(slot1);
    expect(encoder.size).toBe(2);
    expect([...encoder.remove(['ais:2' as TrackId, 'ais:9' as TrackId]).removed]).toHaveLength(1);
  });

  it('a snapshot comes lowest risk first', () => {
    const encoder = new TrackBatchEncoder();
    const batch = encoder.replace([track('ais:1', { level: 'red' }), track('ais:2'), track('ais:3', { level: 'blue' })]);
    expect([...batch.styles].map((s) => STYLE_RANK[s])).toEqual([0, 1, 4]);
  });

  it('writes the next batches into the buffers the page handed back, views of the batch length', () => {
    const encoder = new TrackBatchEncoder();
    const tracks = Array.from({ length: 600 }, (_, i) => track(`ais:${i + 1}`));
    encoder.replace(tracks);
    const first = encoder.upsert(tracks);
    const buffers = batchTransferables(first);
    expect(new Set(buffers).size).toBe(buffers.length);
    encoder.recycle(buffers);
    // Fewer items than before: the old buffers fit, and the arrays are views of the batch's length on them.
    const second = encoder.upsert(tracks.slice(0, 500).map((t) => ({ ...t, lon: 110.5 })));
    expect(second.slots.length).toBe(500);
    expect(second.kinematics.length).toBe(KINEMATIC_STRIDE * 500);
    expect(second.positions.length).toBe(1000);
    expect(buffers).toContain(second.kinematics.buffer);
    expect(buffers).toContain(second.slots.buffer);
    expect(second.kinematics[0]).toBe(110.5);
    expect([...second.slots]).toEqual([...second.slots].sort((a, b) => a - b));
    // Detached (already transferred) or empty buffers are ignored.
    const detached = new ArrayBuffer(64);
    structuredClone(detached, { transfer: [detached] });
    encoder.recycle([detached, new ArrayBuffer(0)]);
    expect(encoder.upsert(tracks).slots.length).toBe(600);
  });
});
