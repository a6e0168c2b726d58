import { describe, expect, it } from 'vitest';
import { GpuColumn, coalesce, type GpuBuffer, type GpuDevice } from './column-buffers';

function fakeDevice(): GpuDevice & { writes: [number, number][] } {
  const writes: [number, number][] = [];
  const buffer = (byteLength: number): GpuBuffer => ({ byteLength, write: (data, byteOffset = 0) => writes.push([byteOffset, data.byteLength]), destroy: () => undefined });
  return { writes, createBuffer: ({ byteLength }) => buffer(byteLength) };
}

describe('GpuColumn', () => {
  it('joins ranges a few kilobytes apart into one write, and keeps far ones apart', () => {
    expect(coalesce([{ startRow: 0, endRow: 1 }, { startRow: 10, endRow: 12 }, { startRow: 500, endRow: 501 }], 100)).toEqual([
      { startRow: 0, endRow: 12 },
      { startRow: 500, endRow: 501 },
    ]);
    const device = fakeDevice();
    const colors = new GpuColumn('unorm8', 4);
    const source = new Uint8Array(4 * 100_000);
    colors.write(device, source, 100_000, null);
    device.writes.length = 0;
    // 4-byte rows: 1,000 rows apart is 4 kB, one write; 50,000 rows apart is 200 kB, two.
    colors.write(device, source, 100_000, [{ startRow: 0, endRow: 1 }, { startRow: 1_000, endRow: 1_001 }, { startRow: 51_000, endRow: 51_001 }]);
    expect(device.writes).toEqual([
      [0, 4 * 1_001],
      [4 * 51_000, 4],
    ]);
  });
});
